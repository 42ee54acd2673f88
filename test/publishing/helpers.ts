/**
 * Gateways for the publishing tests: the real composition root and fastify app over a private copy of
 * the knowledge folder (publishing writes into it), embedded storage or the test run's real Redis, and
 * an administrator and a staff member to log in with.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import JSZip from 'jszip';
import { createAssistant, type Assistant, type AssistantOverrides } from '../../src/assistant.js';
import type { Reply } from '../../src/core/types.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { StaffAccounts } from '../../src/staff/accounts.js';
import { systemClock } from '../../src/tickets/ticket-store.js';
import { TEST_SCRYPT } from '../staff/helper.js';

export const FIXTURE = readFileSync(new URL('../fixtures/publishing/pds-2026-9-night-market.txt', import.meta.url), 'utf8');
export const ADMIN = { username: 'pub.admin', password: 'Publish-2026-ok' };
export const CLERK = { username: 'pub.clerk', password: 'Clerk-2026-okay' };

/** A copy of knowledge/ that a test may publish into (the snapshot, when built, is copied too). */
export function knowledgeCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'epa-knowledge-'));
  for (const sub of ['docs', 'programs', 'rules', 'lexicon', '.index']) {
    try {
      cpSync(join('knowledge', sub), join(dir, sub), { recursive: true });
    } catch {
      // no snapshot yet: the first gateway builds one
    }
  }
  return dir;
}

export interface Gateway {
  app: FastifyInstance;
  assistant: Assistant;
  chat(userId: string, text: string): Promise<string>;
  /** Authorization header of a logged-in user. */
  as(user: { username: string; password: string }): Promise<{ authorization: string }>;
  close(): Promise<void>;
}

export async function startGateway(env: Record<string, string>, overrides: AssistantOverrides = {}, opts: { accounts?: boolean } = {}): Promise<Gateway> {
  const config = loadConfig({ LOG_LEVEL: 'silent', TODAY: '2026-11-23', ...env });
  const assistant = await createAssistant(config, overrides);
  const app = await buildApp(assistant, { logLevel: 'silent' });
  if (opts.accounts !== false) {
    const accounts = new StaffAccounts(assistant.staffAccounts, systemClock, TEST_SCRYPT);
    for (const [u, role] of [[ADMIN, 'admin'], [CLERK, 'staff']] as const) {
      await accounts.create('test', { ...u, role, displayName: null }).catch((err: Error) => {
        if (!/已存在/.test(err.message)) throw err;
      });
    }
  }
  const tokens = new Map<string, string>();
  return {
    app,
    assistant,
    async chat(userId, text) {
      const res = await app.inject({ method: 'POST', url: '/api/chat', payload: { userId, text } });
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${res.body}`);
      return (res.json() as { replies: Reply[] }).replies.map((r) => r.text).join('\n');
    },
    async as(user) {
      let token = tokens.get(user.username);
      if (!token) {
        const res = await app.inject({ method: 'POST', url: '/api/staff/login', payload: user });
        if (res.statusCode !== 200) throw new Error(`login ${user.username}: ${res.statusCode} ${res.body}`);
        token = (res.json() as { token: string }).token;
        tokens.set(user.username, token);
      }
      return { authorization: `Bearer ${token}` };
    },
    close: () => app.close(),
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A real Word file (.docx) with one paragraph per line, built with jszip. */
export async function docx(paragraphs: string[]): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>');
  zip.file('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>');
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const body = paragraphs.map((p) => `<w:p><w:r><w:t xml:space="preserve">${esc(p)}</w:t></w:r></w:p>`).join('');
  zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`);
  return zip.generateAsync({ type: 'nodebuffer' });
}
