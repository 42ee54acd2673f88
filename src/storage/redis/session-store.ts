/**
 * Redis SessionStore, shared by every gateway process: values with SET EX, dedupe marks with
 * SET NX EX (the first writer wins, atomically), fixed-window counters with INCR + EXPIRE in one Lua
 * script (the window starts at the first hit and is never extended by later ones). Each operation is
 * a single command, so the connection's auto-pipelining sends concurrent turns' commands together.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SessionStore, TallyEntry } from '../../dialogue/session-store.js';
import { wholeSeconds } from '../ttl.js';
import { defineScript, type ScriptRunner } from './define-script.js';
import type { RedisKeys } from './keys.js';

export interface RedisSessionStoreOptions {
  /** Close the connection on close() (true when the store created it). */
  ownsConnection?: boolean;
}

export class RedisSessionStore implements SessionStore {
  private readonly countHit: ScriptRunner;
  private readonly unlockScript: ScriptRunner;
  private readonly tallyScript: ScriptRunner;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly options: RedisSessionStoreOptions = {},
  ) {
    this.countHit = defineScript(redis, new URL('./count-hit-1.lua', import.meta.url));
    this.unlockScript = defineScript(redis, new URL('./unlock-1.lua', import.meta.url));
    this.tallyScript = defineScript(redis, new URL('./tally-3.lua', import.meta.url));
  }

  async get<T>(key: string): Promise<T | null> {
    const raw = await this.redis.get(this.keys.session(key));
    return raw === null ? null : (JSON.parse(raw) as T);
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.keys.session(key), JSON.stringify(value), 'EX', wholeSeconds(ttlSeconds));
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.keys.session(key));
  }

  async markSeen(scope: string, id: string, ttlSeconds: number): Promise<boolean> {
    const res = await this.redis.set(this.keys.seen(scope, id), '1', 'EX', wholeSeconds(ttlSeconds), 'NX');
    return res === 'OK';
  }

  async forgetSeen(scope: string, id: string): Promise<void> {
    await this.redis.del(this.keys.seen(scope, id));
  }

  async hit(key: string, windowSeconds: number, limit: number): Promise<{ allowed: boolean; count: number }> {
    const n = Number(await this.countHit([this.keys.hits(key)], [wholeSeconds(windowSeconds)]));
    return { allowed: n <= limit, count: n };
  }

  async tryLock(key: string, ttlMs: number): Promise<string | null> {
    const token = randomBytes(12).toString('base64url');
    const res = await this.redis.set(this.keys.lock(key), token, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
    return res === 'OK' ? token : null;
  }

  async unlock(key: string, token: string): Promise<void> {
    await this.unlockScript([this.keys.lock(key)], [token]);
  }

  async tally(key: string, member: string, at: Date, info: string, options: { cap: number; ttlSeconds: number; by?: number }): Promise<void> {
    const k = this.keys;
    await this.tallyScript(
      [k.tally(key, 'z'), k.tally(key, 'count'), k.tally(key, 'info')],
      [member, at.getTime(), info, Math.max(1, Math.floor(options.cap)), wholeSeconds(options.ttlSeconds), Math.max(1, Math.floor(options.by ?? 1))],
    );
  }

  async tallies(key: string, limit: number): Promise<TallyEntry[]> {
    if (limit <= 0) return [];
    const k = this.keys;
    const scored = await this.redis.zrevrange(k.tally(key, 'z'), 0, limit - 1, 'WITHSCORES');
    const members: string[] = [];
    const times: number[] = [];
    for (let i = 0; i < scored.length; i += 2) {
      members.push(scored[i]!);
      times.push(Number(scored[i + 1]));
    }
    if (members.length === 0) return [];
    const [counts, infos] = await Promise.all([this.redis.hmget(k.tally(key, 'count'), ...members), this.redis.hmget(k.tally(key, 'info'), ...members)]);
    return members.map((member, i) => ({
      member,
      count: Number(counts[i] ?? 1),
      at: new Date(times[i]!).toISOString(),
      info: infos[i] ?? '',
    }));
  }

  async close(): Promise<void> {
    if (this.options.ownsConnection) await quietQuit(this.redis);
  }
}

/** QUIT, falling back to disconnect when the server is gone. */
export async function quietQuit(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
