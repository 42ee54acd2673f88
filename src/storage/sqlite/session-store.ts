/**
 * Embedded SessionStore: three small tables in the SQLite file under DATA_DIR. Expiry is enforced on
 * every read (an expired row is never returned) and expired rows are purged lazily, at most once a
 * minute, on a write. Every check-and-write is one SQL statement, so it is atomic even when several
 * processes share the file. Writes made in the same turn of the event loop share one commit
 * (GroupCommit); each caller's promise settles once its write is committed.
 */
import type { SessionStore } from '../../dialogue/session-store.js';
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
`;

export interface SqliteSessionStoreOptions {
  /**
   * Keep the rate-limit counters (hit) in this process's memory instead of the file: no write per
   * message for them. Right for the embedded store's one gateway process (createStores sets it); with
   * several processes on one file each would count its own share, so the default stays in the file.
   */
  hitsInMemory?: boolean;
}

export class SqliteSessionStore implements SessionStore {
  private readonly db: SqliteDatabase;
  private lastPurge = 0;
  private readonly stmts;
  private readonly commits: GroupCommit;
  /** Rate-limit windows when kept in memory: key → count and end of the window (ms). */
  private readonly hits: Map<string, { count: number; resetsAt: number }> | null;
  private lastHitsPurge = 0;

  constructor(file: string, options: SqliteSessionStoreOptions = {}) {
    this.hits = options.hitsInMemory ? new Map() : null;
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

  private purgeMaybe(now: number): void {
    if (now - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    this.stmts.purgeValues.run(now);
    this.stmts.purgeSeen.run(now);
    this.stmts.purgeHits.run(now);
  }
}
