import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStores } from '../../src/storage/create-stores.js';
import { detectDurability } from '../../src/storage/redis/durability.js';
import type { Ticket } from '../../src/tickets/types.js';
import { freePort, startRedisServer } from '../setup/redis-server.js';
import { wageComplaint } from '../tickets/ticket-input.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(10);
  }
}

async function kill9(server: ChildProcess): Promise<void> {
  const exited = once(server, 'exit');
  server.kill('SIGKILL');
  await exited;
}

describe('Redis ticket queue across a crash of redis-server (own server, AOF, appendfsync always)', () => {
  let dir: string;
  let port: number;
  let url: string;
  let server: ChildProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'epa-redis-crash-'));
    port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    server = await startRedisServer(port, dir);
  });
  afterAll(async () => {
    if (server.exitCode === null) await kill9(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('when redis-server is killed with SIGKILL while tickets are filed, then every acknowledged ticket is there after restart', async () => {
    const warnings: unknown[] = [];
    const stores = createStores({ dataDir: dir, redisUrl: url, logger: { warn: (obj: unknown) => warnings.push(obj) } });
    const acked: Ticket[] = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          acked.push((await stores.tickets.file(wageComplaint({ transcript: [] }), `w${w}-${i}`)).ticket);
        } catch {
          await sleep(20); // server down: not acknowledged, the caller would retry with the same key
        }
      }
    };
    const writers = Array.from({ length: 4 }, (_, w) => writer(w));
    await until(() => acked.length >= 40);

    await kill9(server);
    const ackedBeforeKill = acked.length;
    server = await startRedisServer(port, dir);
    await until(() => acked.length >= ackedBeforeKill + 20); // the same client reconnected and goes on
    stop = true;
    await Promise.all(writers);
    await stores.close();
    expect(warnings.length).toBeGreaterThan(0); // the outage was logged, not thrown at the process

    const fresh = createStores({ dataDir: dir, redisUrl: url }); // a restarted gateway
    for (const t of acked) expect(await fresh.tickets.get(t.id)).toEqual(t);
    expect((await fresh.tickets.list({ limit: 1 })).total).toBeGreaterThanOrEqual(acked.length);
    expect((await fresh.tickets.file(wageComplaint(), 'w0-0')).created).toBe(false);
    await fresh.close();
  });

  it('when the server fsyncs every write, then the store relies on it; when loosened on Redis 7.0, it says so', async () => {
    const redis = new Redis(url);
    expect((await detectDurability(redis)).mode).toBe('fsync-always');
    await redis.config('SET', 'appendfsync', 'everysec');
    const loose = await detectDurability(redis);
    const version = (await redis.info('server')).match(/redis_version:(\d+)\.(\d+)/)!;
    const hasWaitAof = Number(version[1]) > 7 || (Number(version[1]) === 7 && Number(version[2]) >= 2);
    expect(loose.mode).toBe(hasWaitAof ? 'waitaof' : 'unverified');
    await redis.config('SET', 'appendfsync', 'always');
    await redis.quit();
  });
});
