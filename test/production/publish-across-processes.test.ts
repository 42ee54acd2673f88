/**
 * Publishing across two real gateway processes (`node --import tsx src/server/server.ts`) sharing one
 * real redis-server of their own, each with its own copy of the knowledge folder: a document an
 * administrator publishes over HTTP on gateway A is answered by gateway B within seconds, without a
 * restart, and withdrawing it on A removes it from B's answers. Documents reach B only through Redis.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN, FIXTURE, knowledgeCopy, removeDir } from '../publishing/helpers.js';
import { chat, startGateway, startRedis, type Gateway, type RedisProcess } from './processes.js';

const QUESTION = '夜市摊主社保补贴每月最多补多少';
const DEADLINE_MS = 30_000;
let redis: RedisProcess;
let a: Gateway;
let b: Gateway;
const dirs: string[] = [];

beforeAll(async () => {
  redis = await startRedis();
  const env = () => {
    const k = knowledgeCopy();
    dirs.push(k);
    return { REDIS_URL: redis.url, KNOWLEDGE_DIR: k, RATE_LIMIT_PER_MINUTE: '1000', TODAY: '2026-11-23' };
  };
  [a, b] = await Promise.all([startGateway(env()), startGateway(env())]);
  execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/staff.ts', 'add', ADMIN.username, '--role', 'admin', '--password', ADMIN.password], {
    env: { ...process.env, DATA_DIR: a.dataDir, REDIS_URL: redis.url },
    stdio: 'pipe',
  });
}, 180_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.stop();
  for (const d of dirs) removeDir(d);
});

async function api(path: string, body: unknown, token?: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${a.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

async function askBUntil(ok: (text: string) => boolean): Promise<{ text: string; ms: number }> {
  const t0 = Date.now();
  let text = '';
  for (let n = 0; Date.now() - t0 < DEADLINE_MS; n++) {
    text = (await chat(b, `citizen-b-${n}-${t0}`, QUESTION)).text;
    if (ok(text)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return { text, ms: Date.now() - t0 };
}

it('when an admin publishes on gateway A, then gateway B (another process) answers from it within seconds; when withdrawn, no longer', { timeout: 120_000 }, async () => {
  expect((await chat(b, 'citizen-before', QUESTION)).text).not.toContain('平人社〔2026〕9号');
  const { json: login } = await api('/api/staff/login', ADMIN);
  const draft = await api('/api/staff/documents', { filename: 'night.txt', text: FIXTURE }, login.token);
  expect(draft.status).toBe(200);
  const { clauses: _c, source: _s, ...meta } = draft.json.preview;
  const published = await api(`/api/staff/documents/${draft.json.id}/publish`, meta, login.token);
  expect(published.status, JSON.stringify(published.json)).toBe(200);
  expect(published.json.builtIn).toBe('worker');
  expect((await chat(a, 'citizen-a', QUESTION)).text).toContain('平人社〔2026〕9号');

  const onB = await askBUntil((t) => t.includes('平人社〔2026〕9号'));
  expect(onB.text).toContain('平人社〔2026〕9号');
  expect(onB.text).toContain('480元');
  console.log(`published on A (build ${published.json.buildMs} ms) → answered on B ${onB.ms} ms after the publish call returned`);
  // Not through B's disk: its knowledge folder has no such file.
  expect(existsSync(join(dirs[1]!, 'docs', 'pds-2026-9.md'))).toBe(false);

  const withdrawn = await api('/api/staff/documents/pds-2026-9/withdraw', {}, login.token);
  expect(withdrawn.status).toBe(200);
  const goneOnB = await askBUntil((t) => !t.includes('平人社〔2026〕9号'));
  expect(goneOnB.text).not.toContain('平人社〔2026〕9号');
  console.log(`withdrawn on A → gone on B after ${goneOnB.ms} ms`);
});
