/**
 * Redis StaffAccountStore, shared by every gateway process: accounts in one hash (HSETNX creates,
 * WATCH/MULTI updates), sessions as keys that expire at the earlier of their two limits, failure
 * counters by a Lua script (count-failure-1.lua: the caller's clock decides the window), the audit
 * trail as a capped list.
 */
import type { Redis } from 'ioredis';
import { defineScript, type ScriptRunner } from '../storage/redis/define-script.js';
import { quietQuit } from '../storage/redis/session-store.js';
import type { FailureCount, StaffAccountStore } from './account-store.js';
import type { StaffRedisKeys } from './redis-keys.js';
import { StaffAccountExistsError, StaffAccountNotFoundError } from './staff-errors.js';
import type { NewStaffAccount, StaffAccount, StaffAccountPatch, StaffAuditAction, StaffAuditEntry, StaffSession } from './types.js';

export const AUDIT_KEEP_ENTRIES = 100_000;
const UPDATE_RETRIES = 20;

export interface RedisStaffAccountStoreOptions {
  /** Close the connection on close() (true when the store created it). */
  ownsConnection?: boolean;
}

export class RedisStaffAccountStore implements StaffAccountStore {
  private readonly countFailureScript: ScriptRunner;

  constructor(
    private readonly redis: Redis,
    private readonly keys: StaffRedisKeys,
    private readonly options: RedisStaffAccountStoreOptions = {},
  ) {
    this.countFailureScript = defineScript(redis, new URL('./count-failure-1.lua', import.meta.url));
  }

  async createAccount(account: NewStaffAccount): Promise<StaffAccount> {
    const full: StaffAccount = { ...account, updatedAt: account.createdAt };
    const created = await this.redis.hsetnx(this.keys.accounts(), account.username, JSON.stringify(full));
    if (created === 0) throw new StaffAccountExistsError(account.username);
    return full;
  }

  async getAccount(username: string): Promise<StaffAccount | null> {
    const raw = await this.redis.hget(this.keys.accounts(), username);
    return raw === null ? null : (JSON.parse(raw) as StaffAccount);
  }

  async listAccounts(): Promise<StaffAccount[]> {
    const all = await this.redis.hvals(this.keys.accounts());
    return all.map((raw) => JSON.parse(raw) as StaffAccount).sort((a, b) => a.username.localeCompare(b.username));
  }

  async updateAccount(username: string, patch: StaffAccountPatch, at: Date): Promise<StaffAccount> {
    // A dedicated connection: WATCH is per connection and the shared one serves other commands.
    const conn = this.redis.duplicate();
    try {
      for (let attempt = 0; attempt < UPDATE_RETRIES; attempt++) {
        await conn.watch(this.keys.accounts());
        const raw = await conn.hget(this.keys.accounts(), username);
        if (raw === null) {
          await conn.unwatch();
          throw new StaffAccountNotFoundError(username);
        }
        const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
        const next: StaffAccount = { ...(JSON.parse(raw) as StaffAccount), ...defined, updatedAt: at.toISOString() };
        const res = await conn.multi().hset(this.keys.accounts(), username, JSON.stringify(next)).exec();
        if (res !== null) return next;
      }
      throw new Error(`account ${username}: too many concurrent updates`);
    } finally {
      await quietQuit(conn);
    }
  }

  /**
   * Keys expire after durations measured from lastSeenAt on the caller's clock, not at
   * absolute instants, so that an injected clock and the Redis server's clock need not agree.
   */
  async createSession(session: StaffSession): Promise<void> {
    const from = Date.parse(session.lastSeenAt);
    const ttl = Math.min(Date.parse(session.expiresAt), Date.parse(session.idleExpiresAt)) - from;
    if (ttl <= 0) return;
    const setKey = this.keys.userSessions(session.username);
    await this.redis
      .multi()
      .set(this.keys.session(session.id), JSON.stringify(session), 'PX', ttl)
      .sadd(setKey, session.id)
      .pexpire(setKey, Date.parse(session.expiresAt) - from)
      .exec();
  }

  async getSession(id: string, now: Date): Promise<StaffSession | null> {
    const raw = await this.redis.get(this.keys.session(id));
    if (raw === null) return null;
    const s = JSON.parse(raw) as StaffSession;
    const t = now.toISOString();
    return s.expiresAt > t && s.idleExpiresAt > t ? s : null;
  }

  async touchSession(id: string, idleExpiresAt: string, lastSeenAt: string): Promise<void> {
    const key = this.keys.session(id);
    const raw = await this.redis.get(key);
    if (raw === null) return;
    const s = JSON.parse(raw) as StaffSession;
    const idle = idleExpiresAt < s.expiresAt ? idleExpiresAt : s.expiresAt;
    const ttl = Date.parse(idle) - Date.parse(lastSeenAt);
    if (ttl <= 0) {
      await this.deleteSession(id);
      return;
    }
    // XX: a session deleted meanwhile (log-out, password change) stays deleted.
    await this.redis.set(key, JSON.stringify({ ...s, idleExpiresAt: idle, lastSeenAt }), 'PX', ttl, 'XX');
  }

  async deleteSession(id: string): Promise<void> {
    const raw = await this.redis.get(this.keys.session(id));
    const multi = this.redis.multi().del(this.keys.session(id));
    if (raw !== null) multi.srem(this.keys.userSessions((JSON.parse(raw) as StaffSession).username), id);
    await multi.exec();
  }

  async deleteSessionsOf(username: string): Promise<number> {
    const setKey = this.keys.userSessions(username);
    const ids = await this.redis.smembers(setKey);
    if (ids.length === 0) return 0;
    const res = await this.redis
      .multi()
      .del(...ids.map((id) => this.keys.session(id)))
      .srem(setKey, ...ids)
      .exec();
    return Number(res?.[0]?.[1] ?? 0);
  }

  async countFailure(key: string, windowMs: number, now: Date): Promise<FailureCount> {
    const [count, resets] = (await this.countFailureScript([this.keys.failures(key)], [now.getTime(), windowMs])) as [number, number];
    return { count, resetsAt: new Date(resets).toISOString() };
  }

  async failures(key: string, now: Date): Promise<FailureCount> {
    const [count, resets] = await this.redis.hmget(this.keys.failures(key), 'count', 'resets');
    if (count == null || resets == null || Number(resets) <= now.getTime()) return { count: 0, resetsAt: null };
    return { count: Number(count), resetsAt: new Date(Number(resets)).toISOString() };
  }

  async clearFailures(key: string): Promise<void> {
    await this.redis.del(this.keys.failures(key));
  }

  async appendAudit(entry: StaffAuditEntry): Promise<void> {
    await this.redis
      .multi()
      .lpush(this.keys.audit(), JSON.stringify(entry))
      .ltrim(this.keys.audit(), 0, AUDIT_KEEP_ENTRIES - 1)
      .exec();
  }

  async listAudit(query: { limit?: number; actor?: string; action?: StaffAuditAction } = {}): Promise<StaffAuditEntry[]> {
    const limit = query.limit ?? 100;
    const filtered = query.actor !== undefined || query.action !== undefined;
    const out: StaffAuditEntry[] = [];
    const CHUNK = 500;
    for (let start = 0; out.length < limit; start += CHUNK) {
      const raws = await this.redis.lrange(this.keys.audit(), start, filtered ? start + CHUNK - 1 : start + limit - 1);
      for (const raw of raws) {
        const e = JSON.parse(raw) as StaffAuditEntry;
        if (query.actor !== undefined && e.actor !== query.actor) continue;
        if (query.action !== undefined && e.action !== query.action) continue;
        out.push(e);
        if (out.length === limit) break;
      }
      if (!filtered || raws.length < CHUNK) break;
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.options.ownsConnection) await quietQuit(this.redis);
  }
}
