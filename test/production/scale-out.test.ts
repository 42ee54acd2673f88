/**
 * Scale-out on Redis for real: two gateway processes on different ports share one redis-server; a
 * complaint intake whose turns alternate A, B, A … is filed once, and the ticket is visible from both
 * (through the stores, and through each gateway's staff API).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createStores, type Stores } from '../../src/storage/create-stores.js';
import { chat, nextComplaintTurn, startGateway, startRedis, TICKET_IN_REPLY, type Gateway, type RedisProcess } from './processes.js';

let redis: RedisProcess;
let a: Gateway;
let b: Gateway;
let stores: Stores;

beforeAll(async () => {
  redis = await startRedis();
  [a, b] = await Promise.all([startGateway({ REDIS_URL: redis.url }), startGateway({ REDIS_URL: redis.url })]);
  stores = createStores({ dataDir: a.dataDir, redisUrl: redis.url });
}, 120_000);

afterAll(async () => {
  await stores?.close();
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.stop();
});

it('a complaint whose turns alternate between two gateways is filed once and seen from both', async () => {
  const userId = `scale-${Date.now()}`;
  const gateways = [a, b];
  let last = '';
  let sent = 0;
  const path: string[] = [];
  for (;;) {
    const next = nextComplaintTurn(sent, last);
    if (next === null) break;
    expect(sent, path.join('\n')).toBeLessThan(14);
    const gw = gateways[sent % 2]!;
    const res = await chat(gw, userId, next, `m-${sent}`);
    expect(res.status, res.text).toBe(200);
    path.push(`${gw === a ? 'A' : 'B'}> ${next}`, res.text);
    last = res.text;
    sent++;
  }
  const id = TICKET_IN_REPLY.exec(last)![0];
  const servedBy = path.filter((l) => /^[AB]> /.test(l)).map((l) => l[0]).join('');
  expect(servedBy).toMatch(/^(AB)+A?$/);

  // The stores (what any other process sees).
  const ticket = await stores.tickets.get(id);
  expect(ticket?.employer).toContain('鑫达包装');
  expect(ticket?.amountOwed).toBe(15000);
  expect(await stores.tickets.findForOwner('web', userId)).toHaveLength(1);

  // The staff API of each gateway, with an account created by the CLI on the same Redis.
  const root = fileURLToPath(new URL('../../', import.meta.url));
  execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/staff.ts', 'add', 'scaleout', '--role', 'staff', '--password', 'Sc4le-out-pass!'], {
    cwd: root,
    env: { ...process.env, REDIS_URL: redis.url, DATA_DIR: a.dataDir, LOG_LEVEL: 'warn' },
    stdio: 'pipe',
  });
  let seenFrom = 0;
  for (const gw of gateways) {
    const login = await fetch(`${gw.url}/api/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'scaleout', password: 'Sc4le-out-pass!' }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const list = await fetch(`${gw.url}/api/tickets?status=new`, { headers: { authorization: `Bearer ${token}` } });
    expect(list.status).toBe(200);
    const body = (await list.json()) as { tickets: Array<{ id: string }> };
    if (body.tickets.some((t) => t.id === id)) seenFrom++;
  }
  expect(seenFrom).toBe(2);
  console.log(`scale-out: ${sent} turns alternating ${servedBy}, ticket ${id} filed once, visible from ${seenFrom} gateways`);
});

it('dedupe marks and per-sender rate limits are shared by the two gateways', async () => {
  const userId = `shared-${Date.now()}`;
  // A retry of one message reaching the other gateway is not handled again there: it gets the
  // original replies (the first response may have been lost).
  const first = await chat(a, userId, '你好', 'same-message-id');
  const retry = await chat(b, userId, '你好', 'same-message-id');
  expect(first.status).toBe(200);
  expect(first.text).not.toBe('');
  expect(retry.status).toBe(200);
  expect(retry.body).toEqual(first.body);

  // RATE_LIMIT_PER_MINUTE (default 30) counts the sender's messages on both gateways together.
  let slowDown = -1;
  for (let i = 1; i < 40 && slowDown < 0; i++) {
    const res = await chat(i % 2 ? b : a, userId, `第${i}个问题：见习补贴`);
    if (res.status === 429) {
      expect(JSON.stringify(res.body)).toContain('太快');
      slowDown = i + 1; // messages counted so far, the first one included
      continue;
    }
    expect(res.status).toBe(200);
  }
  console.log(`scale-out: retry answered with the original replies by the other gateway; slow-down (429) at message ${slowDown} (limit 30 per minute, both gateways)`);
  expect(slowDown).toBe(31);
});

