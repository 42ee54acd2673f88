/**
 * Faults for real: redis-server killed (SIGKILL) and restarted while two gateway processes serve
 * complaint intakes, and a gateway stopped with SIGTERM while messages are in flight. Counts are
 * printed: messages sent, answered, answered 503 UNAVAILABLE, tickets acknowledged and found.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { createStores } from '../../src/storage/create-stores.js';
import { chat, nextComplaintTurn, startGateway, startRedis, TICKET_IN_REPLY, type Gateway, type RedisProcess } from './processes.js';

/** A POST /api/chat whose body is sent in two halves: the second one by finish(). */
function halfSentChat(port: number, userId: string, text: string): { finish(): Promise<{ status: number; text: string }> } {
  const body = Buffer.from(JSON.stringify({ userId, text }));
  const half = body.length >> 1;
  let resolveResponse!: (r: { status: number; text: string }) => void;
  const response = new Promise<{ status: number; text: string }>((r) => (resolveResponse = r));
  const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/chat', headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let text = raw;
      try {
        text = ((JSON.parse(raw) as { replies?: Array<{ text: string }> }).replies ?? []).map((r) => r.text).join('\n');
      } catch {
        // not JSON: keep the raw body
      }
      resolveResponse({ status: res.statusCode ?? 0, text });
    });
  });
  req.on('error', (err) => resolveResponse({ status: 0, text: String(err) }));
  req.flushHeaders();
  req.write(body.subarray(0, half));
  return {
    finish() {
      req.end(body.subarray(half));
      return response;
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cleanup: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => undefined);
});

describe('Redis restarted during load', () => {
  it('reconnects, answers 503 UNAVAILABLE meanwhile, and loses no acknowledged ticket', async () => {
    const redis: RedisProcess = await startRedis();
    cleanup.push(() => redis.stop());
    const env = { REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: '10000' };
    const gateways: Gateway[] = await Promise.all([startGateway(env), startGateway(env)]);
    for (const g of gateways) cleanup.push(() => g.stop());

    const USERS = 12;
    const counts = { sent: 0, answered: 0, unavailable: 0, other: 0, duplicates: 0 };
    const others: string[] = [];
    const acknowledged = new Map<string, string>(); // ticket id → userId
    let killed = false;
    let restarted = false;

    async function converse(u: number): Promise<void> {
      const userId = `fault-${u}-${Date.now()}`;
      let last = '';
      let step = 0;
      for (let attempt = 0; attempt < 60; attempt++) {
        const next = nextComplaintTurn(step, last);
        if (next === null) return;
        const gw = gateways[(u + attempt) % 2]!;
        counts.sent++;
        const res = await chat(gw, userId, next, `${userId}-${attempt}`);
        if (res.status === 200) {
          counts.answered++;
          if (res.text === '') {
            counts.duplicates++;
            continue;
          }
          const id = TICKET_IN_REPLY.exec(res.text)?.[0];
          if (id) acknowledged.set(id, userId);
          last = res.text;
          step++;
        } else if (res.status === 503) {
          counts.unavailable++;
          expect(res.body).toEqual({ error: { code: 'UNAVAILABLE', message: expect.any(String) } });
          await sleep(100);
        } else {
          counts.other++;
          others.push(`${res.status} ${JSON.stringify(res.body)}`);
          await sleep(100);
        }
        // Slow enough that the outage falls in the middle of the conversations.
        await sleep(restarted ? 0 : 150);
      }
    }

    const fault = (async () => {
      while (counts.answered < USERS * 3) await sleep(20);
      await redis.kill();
      killed = true;
      await sleep(2_000);
      await redis.restart();
      restarted = true;
    })();
    await Promise.all([...Array.from({ length: USERS }, (_, u) => converse(u)), fault]);

    // Every acknowledged ticket is in Redis after the restart, once per worker.
    const stores = createStores({ dataDir: gateways[0]!.dataDir, redisUrl: redis.url });
    cleanup.push(() => stores.close());
    let found = 0;
    for (const [id, userId] of acknowledged) {
      const t = await stores.tickets.get(id);
      if (t && t.userId === userId) found++;
      expect(await stores.tickets.findForOwner('web', userId)).toHaveLength(1);
    }
    const alive = gateways.filter((g) => g.child.exitCode === null && g.child.signalCode === null).length;
    const health = await Promise.all(gateways.map(async (g) => (await fetch(`${g.url}/health`)).status));
    console.log(
      `redis restart: users ${USERS}, messages sent ${counts.sent}, answered ${counts.answered} (duplicates ${counts.duplicates}), ` +
        `503 UNAVAILABLE ${counts.unavailable}, other ${counts.other}; tickets expected ${USERS}, acknowledged ${acknowledged.size}, found ${found}; ` +
        `gateways alive ${alive}/2, health ${health.join(',')}`,
    );
    expect(killed && restarted).toBe(true);
    expect(others).toEqual([]);
    expect(counts.unavailable).toBeGreaterThan(0);
    expect(acknowledged.size).toBe(USERS);
    expect(found).toBe(USERS);
    expect(alive).toBe(2);
    expect(health).toEqual([200, 200]);
  }, 180_000);
});

describe('graceful shutdown on SIGTERM', () => {
  it('finishes the messages in flight, keeps their tickets, exits 0 and accepts nothing after', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'epa-prod-sigterm-'));
    cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const gw = await startGateway({ LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '10000' }, dataDir);
    cleanup.push(() => gw.stop('SIGKILL'));

    // N workers brought to the read-back of their complaint.
    const N = 16;
    const users = Array.from({ length: N }, (_, i) => `term-${i}`);
    await Promise.all(
      users.map(async (userId) => {
        let last = '';
        for (let step = 0; step < 14; step++) {
          const next = nextComplaintTurn(step, last);
          expect(next).not.toBeNull();
          if (next === '对') return;
          const res = await chat(gw, userId, next!);
          expect(res.status).toBe(200);
          last = res.text;
        }
        throw new Error(`${userId} never reached the read-back`);
      }),
    );

    // All confirmations at once, each body only half sent: the server has begun every request (headers
    // read, "incoming request" logged) but none can finish. SIGTERM then, and the second halves only
    // once the gateway says it is shutting down: every message is truly in flight during shutdown.
    // Requests begun and not completed, by reqId (log lines of earlier requests may still be arriving).
    const open = () => {
      const begun = new Set<string>();
      for (const l of gw.output) {
        const id = /"reqId":"([^"]+)"/.exec(l)?.[1];
        if (!id) continue;
        if (l.includes('"incoming request"')) begun.add(id);
        else if (l.includes('"request completed"')) begun.delete(id);
      }
      return begun.size;
    };
    const inFlight = users.map((userId) => halfSentChat(gw.port, userId, '对'));
    for (let i = 0; i < 20_000 && open() < N; i++) await sleep(1);
    expect(open(), gw.output.slice(-5).join('\n')).toBe(N);
    gw.child.kill('SIGTERM');
    for (let i = 0; i < 20_000 && !gw.output.some((l) => l.includes('shutting down')); i++) await sleep(1);
    const results = await Promise.all(inFlight.map((r) => r.finish()));
    const code = await gw.exited;

    const shutdownAt = gw.output.findIndex((l) => l.includes('shutting down'));
    const completedAfter = gw.output.slice(shutdownAt).filter((l) => l.includes('"request completed"') && l.includes('"statusCode":200')).length;
    const acknowledged = results.map((r) => TICKET_IN_REPLY.exec(r.text)?.[0]).filter((id): id is string => !!id);
    const after = await chat(gw, 'late', '你好');

    const stores = createStores({ dataDir });
    let found = 0;
    for (const id of acknowledged) if (await stores.tickets.get(id)) found++;
    await stores.close();
    console.log(
      `SIGTERM: messages in flight ${N}, answered ${results.filter((r) => r.status === 200).length} ` +
        `(${completedAfter} completed after the signal), tickets expected ${N}, acknowledged ${acknowledged.length}, found ${found}; ` +
        `exit code ${code}; request after exit: ${after.status === 0 ? 'refused' : after.status}`,
    );
    expect(results.map((r) => r.status)).toEqual(users.map(() => 200));
    expect(acknowledged).toHaveLength(N);
    expect(found).toBe(N);
    expect(code).toBe(0);
    expect(shutdownAt).toBeGreaterThanOrEqual(0);
    expect(completedAfter).toBe(N);
    expect(after.status).toBe(0);
  }, 90_000);
});
