/**
 * Embedded SessionStore: three small tables in the SQLite file under DATA_DIR. Expiry is enforced on
 * every read (an expired row is never returned) and expired rows are purged lazily, at most once a
 * minute, on a write. Every check-and-write is one SQL statement, so it is atomic even when several
 * processes share the file. Writes made in the same turn of the event loop share one commit
 * (GroupCommit); each caller's promise settles once its write is committed.
 */
import { randomBytes } from 'node:crypto';
import type { SessionStore, TallyEntry } from '../../dialogue/session-store.js';
import { wholeSeconds } from '../ttl.js';
import { GroupCommit } from './group-commit.js';
import { openDatabase, type SqliteDatabase } from './open-database.js';

const PURGE_EVERY_MS = 60_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS session_values (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS session_values_expiry ON session_values(expires_at);
CREATE TABLE IF NOT EXISTS session_seen (
  scope TEXT NOT NULL,
  id TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (scope, id)
);
CREATE INDEX IF NOT EXISTS session_seen_expiry ON session_seen(expires_at);
CREATE TABLE IF NOT EXISTS session_hits (
  key TEXT PRIMARY KEY,
  count INTEGER NOT NULL,
  resets_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS session_hits_expiry ON session_hits(resets_at);
CREATE TABLE IF NOT EXISTS session_locks (
  key TEXT PRIMARY KEY,
  token TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS session_tally (
  key TEXT NOT NULL,
  member TEXT NOT NULL,
  count INTEGER NOT NULL,
  at INTEGER NOT NULL,
  info TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (key, member)
);
CREATE INDEX IF NOT EXISTS session_tally_recent ON session_tally(key, at);
`;

export interface SqliteSessionStoreOptions {
  /**
   * Keep the rate-limit counters (hit) in this process's memory instead of the file: no write per
   * message for them. Right for the embedded store's one gateway process (createStores sets it); with
   * several processes on one file each would count its own share, so the default stays in the file.
   */
  hitsInMemory?: boolean;
  /**
   * Keep the conversation locks (tryLock/unlock) in this process's memory: no write to take or free a
   * turn's lock, so a turn writes once (its state). Right, as hitsInMemory, only for one process on
   * the file: another process would not see these locks.
   */
  locksInMemory?: boolean;
}

export class SqliteSessionStore implements SessionStore {
  private readonly db: SqliteDatabase;
  private lastPurge = 0;
  private readonly stmts;
  private readonly commits: GroupCommit;
  /** Rate-limit windows when kept in memory: key → count and end of the window (ms). */
  private readonly hits: Map<string, { count: number; resetsAt: number }> | null;
  private lastHitsPurge = 0;
  /** Conversation locks when kept in memory: key → holder's token and expiry (ms). */
  private readonly locks: Map<string, { token: string; expiresAt: number }> | null;
  private lastLocksPurge = 0;

  constructor(file: string, options: SqliteSessionStoreOptions = {}) {
    this.hits = options.hitsInMemory ? new Map() : null;
    this.locks = options.locksInMemory ? new Map() : null;
    this.db = openDatabase(file, 'NORMAL');
    this.db.exec(SCHEMA);
    const db = this.db;
    this.stmts = {
      get: db.prepare<[string, number], { value: string }>(
        'SELECT value FROM session_values WHERE key = ? AND expires_at > ?',
      ),
      set: db.prepare(
        `INSERT INTO session_values (key, value, expires_at) VALUES (?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      ),
      delete: db.prepare('DELETE FROM session_values WHERE key = ?'),
      // Inserts, or revives an expired mark; leaves a live mark untouched (changes = 0).
      markSeen: db.prepare(
        `INSERT INTO session_seen (scope, id, expires_at) VALUES (@scope, @id, @expiresAt)
         ON CONFLICT(scope, id) DO UPDATE SET expires_at = excluded.expires_at
         WHERE session_seen.expires_at <= @now`,
      ),
      hit: db.prepare<{ key: string; now: number; resetsAt: number }, { count: number }>(
        `INSERT INTO session_hits (key, count, resets_at) VALUES (@key, 1, @resetsAt)
         ON CONFLICT(key) DO UPDATE SET
           count = CASE WHEN session_hits.resets_at <= @now THEN 1 ELSE session_hits.count + 1 END,
           resets_at = CASE WHEN session_hits.resets_at <= @now THEN excluded.resets_at ELSE session_hits.resets_at END
         RETURNING count`,
      ),
      purgeValues: db.prepare('DELETE FROM session_values WHERE expires_at <= ?'),
      purgeSeen: db.prepare('DELETE FROM session_seen WHERE expires_at <= ?'),
      forgetSeen: db.prepare('DELETE FROM session_seen WHERE scope = ? AND id = ?'),
      purgeHits: db.prepare('DELETE FROM session_hits WHERE resets_at <= ?'),
      // Takes a free or expired lock; leaves a live one untouched (changes = 0).
      lock: db.prepare(
        `INSERT INTO session_locks (key, token, expires_at) VALUES (@key, @token, @expiresAt)
         ON CONFLICT(key) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at
         WHERE session_locks.expires_at <= @now`,
      ),
      unlock: db.prepare('DELETE FROM session_locks WHERE key = ? AND token = ?'),
      purgeLocks: db.prepare('DELETE FROM session_locks WHERE expires_at <= ?'),
      tally: db.prepare(
        `INSERT INTO session_tally (key, member, count, at, info, expires_at) VALUES (@key, @member, @by, @at, @info, @expiresAt)
         ON CONFLICT(key, member) DO UPDATE SET count = session_tally.count + excluded.count, at = MAX(session_tally.at, excluded.at)`,
      ),
      tallyExpiry: db.prepare('UPDATE session_tally SET expires_at = @expiresAt WHERE key = @key'),
      tallyTrim: db.prepare(
        `DELETE FROM session_tally WHERE key = @key AND member NOT IN
           (SELECT member FROM session_tally WHERE key = @key ORDER BY at DESC, member LIMIT @cap)`,
      ),
      tallies: db.prepare<{ key: string; now: number; limit: number }, { member: string; count: number; at: number; info: string }>(
        `SELECT member, count, at, info FROM session_tally WHERE key = @key AND expires_at > @now ORDER BY at DESC, member LIMIT @limit`,
      ),
      purgeTally: db.prepare('DELETE FROM session_tally WHERE expires_at <= ?'),
    };
    this.commits = new GroupCommit(db, () => this.purgeMaybe(Date.now()));
  }

  async get<T>(key: string): Promise<T | null> {
    const row = await this.commits.read(() => this.stmts.get.get(key, Date.now()));
    return row ? (JSON.parse(row.value) as T) : null;
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    const json = JSON.stringify(value);
    await this.commits.write(() => {
      const now = Date.now();
      this.stmts.set.run(key, json, now + wholeSeconds(ttlSeconds) * 1000);
    });
  }

  async delete(key: string): Promise<void> {
    await this.commits.write(() => this.stmts.delete.run(key));
  }

  async markSeen(scope: string, id: string, ttlSeconds: number): Promise<boolean> {
    return this.commits.write(() => {
      const now = Date.now();
      return this.stmts.markSeen.run({ scope, id, now, expiresAt: now + wholeSeconds(ttlSeconds) * 1000 }).changes > 0;
    });
  }

  async forgetSeen(scope: string, id: string): Promise<void> {
    await this.commits.write(() => this.stmts.forgetSeen.run(scope, id));
  }

  async hit(key: string, windowSeconds: number, limit: number): Promise<{ allowed: boolean; count: number }> {
    if (this.hits) return this.hitInMemory(this.hits, key, windowSeconds, limit);
    const count = await this.commits.write(() => {
      const now = Date.now();
      return this.stmts.hit.get({ key, now, resetsAt: now + wholeSeconds(windowSeconds) * 1000 })?.count ?? 1;
    });
    return { allowed: count <= limit, count };
  }

  async tryLock(key: string, ttlMs: number): Promise<string | null> {
    const token = randomBytes(12).toString('base64url');
    if (this.locks) return this.lockInMemory(this.locks, key, token, ttlMs);
    const taken = await this.commits.write(() => {
      const now = Date.now();
      return this.stmts.lock.run({ key, token, now, expiresAt: now + Math.max(1, Math.ceil(ttlMs)) }).changes > 0;
    });
    return taken ? token : null;
  }

  async unlock(key: string, token: string): Promise<void> {
    if (this.locks) {
      if (this.locks.get(key)?.token === token) this.locks.delete(key);
      return;
    }
    await this.commits.write(() => this.stmts.unlock.run(key, token));
  }

  async tally(key: string, member: string, at: Date, info: string, options: { cap: number; ttlSeconds: number; by?: number }): Promise<void> {
    const by = Math.max(1, Math.floor(options.by ?? 1));
    await this.commits.write(() => {
      const expiresAt = Date.now() + wholeSeconds(options.ttlSeconds) * 1000;
      this.stmts.tally.run({ key, member, by, at: at.getTime(), info, expiresAt });
      this.stmts.tallyExpiry.run({ key, expiresAt });
      this.stmts.tallyTrim.run({ key, cap: Math.max(1, Math.floor(options.cap)) });
    });
  }

  async tallies(key: string, limit: number): Promise<TallyEntry[]> {
    if (limit <= 0) return [];
    const rows = await this.commits.read(() => this.stmts.tallies.all({ key, now: Date.now(), limit }));
    return rows.map((r) => ({ member: r.member, count: r.count, at: new Date(r.at).toISOString(), info: r.info }));
  }

  async close(): Promise<void> {
    this.commits.flush();
    if (this.db.open) this.db.close();
  }

  private hitInMemory(
    hits: Map<string, { count: number; resetsAt: number }>,
    key: string,
    windowSeconds: number,
    limit: number,
  ): { allowed: boolean; count: number } {
    const now = Date.now();
    if (now - this.lastHitsPurge >= PURGE_EVERY_MS) {
      this.lastHitsPurge = now;
      for (const [k, w] of hits) if (w.resetsAt <= now) hits.delete(k);
    }
    let w = hits.get(key);
    if (!w || w.resetsAt <= now) hits.set(key, (w = { count: 0, resetsAt: now + wholeSeconds(windowSeconds) * 1000 }));
    w.count++;
    return { allowed: w.count <= limit, count: w.count };
  }

  private lockInMemory(locks: Map<string, { token: string; expiresAt: number }>, key: string, token: string, ttlMs: number): string | null {
    const now = Date.now();
    if (now - this.lastLocksPurge >= PURGE_EVERY_MS) {
      this.lastLocksPurge = now;
      for (const [k, l] of locks) if (l.expiresAt <= now) locks.delete(k);
    }
    const held = locks.get(key);
    if (held && held.expiresAt > now) return null;
    locks.set(key, { token, expiresAt: now + Math.max(1, Math.ceil(ttlMs)) });
    return token;
  }

  private purgeMaybe(now: number): void {
    if (now - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    this.stmts.purgeValues.run(now);
    this.stmts.purgeSeen.run(now);
    this.stmts.purgeHits.run(now);
    this.stmts.purgeLocks.run(now);
    this.stmts.purgeTally.run(now);
  }
}
