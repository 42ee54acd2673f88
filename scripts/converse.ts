/**
 * `npx tsx scripts/converse.ts "第一句" "第二句" …`: one conversation through the real HTTP API
 * (in-process), printing each reply — for trying wording by hand. LOG_LEVEL=debug shows the rules fired.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAssistant } from '../src/assistant.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';

const dataDir = mkdtempSync(join(tmpdir(), 'epa-converse-'));
const config = loadConfig({ ...process.env, DATA_DIR: dataDir, REDIS_URL: '', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', RATE_LIMIT_PER_MINUTE: '1000' });
const assistant = await createAssistant(config);
const app = await buildApp(assistant, { logLevel: 'silent' });
try {
  for (const text of process.argv.slice(2)) {
    const res = await app.inject({ method: 'POST', url: '/api/chat', payload: { userId: 'converse', text } });
    const replies = (res.json() as { replies: Array<{ text: string }> }).replies;
    console.log(`> ${text}\n${replies.map((r) => r.text).join('\n')}\n`);
  }
} finally {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
}
