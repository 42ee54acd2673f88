/**
 * Two gateways sharing one real Redis (the test run's redis-server), each with its own knowledge
 * holder and its own copy of the shipped files: a document published on one reaches the other only
 * through Redis, and is answered there within seconds, without a restart; withdrawing it removes it
 * from both. (Two app instances in one test process, not two processes.)
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl } from '../helpers/redis.js';
import { ADMIN, FIXTURE, knowledgeCopy, removeDir, startGateway, type Gateway } from './helpers.js';

const QUESTION = '夜市摊主社保补贴每月最多补多少';
/** Generous for a loaded CI machine; measured ~2 s with the 500 ms poll (the time is printed). */
const DEADLINE_MS = 20_000;

/** Asks until the answer satisfies `ok` or the deadline passes; returns the last answer and when it came. */
async function askUntil(g: Gateway, ok: (answer: string) => boolean): Promise<{ answer: string; ms: number }> {
  const t0 = Date.now();
  let answer = '';
  for (let n = 0; Date.now() - t0 < DEADLINE_MS; n++) {
    answer = await g.chat(`citizen-${randomUUID()}`, QUESTION);
    if (ok(answer)) return { answer, ms: Date.now() - t0 };
    await new Promise((r) => setTimeout(r, 100));
  }
  return { answer, ms: Date.now() - t0 };
}

describe('publishing across gateways sharing Redis', () => {
  let a: Gateway;
  let b: Gateway;
  const dirs: string[] = [];
  const prefix = `epa-test-${randomUUID().slice(0, 8)}:`;
  const gateway = async (accounts: boolean) => {
    const knowledgeDir = knowledgeCopy();
    const dataDir = mkdtempSync(join(tmpdir(), 'epa-gw-'));
    dirs.push(knowledgeDir, dataDir);
    return startGateway({ DATA_DIR: dataDir, KNOWLEDGE_DIR: knowledgeDir, REDIS_URL: testRedisUrl() }, { knowledgeKeyPrefix: prefix, knowledgePollMs: 500 }, { accounts });
  };

  beforeAll(async () => {
    a = await gateway(true);
    b = await gateway(false);
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    for (const d of dirs) removeDir(d);
  });

  it('when a document is published on gateway A, then gateway B answers from it within seconds; when withdrawn, neither does', { timeout: 60_000 }, async () => {
    expect(await b.chat('citizen-before', QUESTION)).not.toContain('平人社〔2026〕9号');
    const draft = (await a.app.inject({ method: 'POST', url: '/api/staff/documents', headers: await a.as(ADMIN), payload: { filename: 'night.txt', text: FIXTURE } })).json();
    const { clauses: _c, source: _s, ...meta } = draft.preview;
    const published = await a.app.inject({ method: 'POST', url: `/api/staff/documents/${draft.id}/publish`, headers: await a.as(ADMIN), payload: meta });
    expect(published.statusCode, published.body).toBe(200);
    // Analysed in a worker thread: A kept answering on its old index meanwhile.
    expect(published.json().builtIn).toBe('worker');
    console.log(`publish on A took ${published.json().buildMs} ms to build and swap in`);
    // Live on A when the call returns.
    expect(await a.chat('citizen-a', QUESTION)).toContain('平人社〔2026〕9号');

    const onB = await askUntil(b, (t) => t.includes('平人社〔2026〕9号'));
    expect(onB.answer).toContain('平人社〔2026〕9号');
    expect(onB.answer).toContain('480元');
    console.log(`published on A → answered on B after ${onB.ms} ms`);
    // Nothing was written to B's disk: it came through Redis.
    expect(b.assistant.documents.find((d) => d.meta.id === 'pds-2026-9')?.meta.source?.file).toBe('upload:night.txt');

    const withdrawn = await a.app.inject({ method: 'POST', url: '/api/staff/documents/pds-2026-9/withdraw', headers: await a.as(ADMIN), payload: {} });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(await a.chat('citizen-a2', QUESTION)).not.toContain('平人社〔2026〕9号');
    const goneOnB = await askUntil(b, (t) => !t.includes('平人社〔2026〕9号'));
    expect(goneOnB.answer).not.toContain('平人社〔2026〕9号');
    console.log(`withdrawn on A → gone on B after ${goneOnB.ms} ms`);
  });

  it('when a gateway starts after a publication, then it starts with the published knowledge', { timeout: 60_000 }, async () => {
    const draft = (await a.app.inject({ method: 'POST', url: '/api/staff/documents', headers: await a.as(ADMIN), payload: { filename: 'night-again.txt', text: FIXTURE } })).json();
    const { clauses: _c, source: _s, ...meta } = draft.preview;
    const res = await a.app.inject({ method: 'POST', url: `/api/staff/documents/${draft.id}/publish`, headers: await a.as(ADMIN), payload: { ...meta, id: 'pds-2026-9-again' } });
    expect(res.statusCode, res.body).toBe(200);
    const c = await gateway(false);
    try {
      const ids = c.assistant.documents.map((d) => d.meta.id);
      expect(ids).toContain('pds-2026-9-again');
      expect(ids).not.toContain('pds-2026-9');
      expect(c.assistant.knowledge.current().withdrawn.map((d) => d.meta.id)).toEqual(['pds-2026-9']);
      expect(await c.chat('citizen-c', QUESTION)).toContain('平人社〔2026〕9号');
    } finally {
      await c.close();
    }
  });
});
