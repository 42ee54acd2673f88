/**
 * Embedded StaffAccountStore: four tables in the same SQLite file as the tickets (FULL sync: an
 * account or a revoked session must survive a power cut). Expiry is checked on every read; expired
 * sessions and failure windows are purged lazily, at most once a minute.
 */
import { openDatabase, type SqliteDatabase } from '../storage/sqlite/open-database.js';
import type { FailureCount, StaffAccountStore } from './account-store.js';
import { StaffAccountExistsError, StaffAccountNotFoundError } from './staff-errors.js';
import type {
  NewStaffAccount,
  StaffAccount,
  StaffAccountPatch,
  StaffAuditAction,
  StaffAuditEntry,
  StaffRole,
  StaffSession,
} from './types.js';

const PURGE_EVERY_MS = 60_000;
export const AUDIT_KEEP_ROWS = 100_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS staff_accounts (
  username TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  display_name TEXT,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS staff_sessions (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  idle_expires_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  ip TEXT
);
CREATE INDEX IF NOT EXISTS staff_sessions_user ON staff_sessions(username);
CREATE INDEX IF NOT EXISTS staff_sessions_expiry ON staff_sessions(idle_expires_at);
CREATE TABLE IF NOT EXISTS staff_login_failures (
  key TEXT PRIMARY KEY,
  count INTEGER NOT NULL,
  resets_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS staff_audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT,
  ip TEXT,
  data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS staff_audit_actor ON staff_audit(actor, seq);
`;

interface AccountRow {
  username: string;
  role: StaffRole;
  display_name: string | null;
  password_hash: string;
  disabled: number;
  created_at: string;
  updated_at: string;
}

interface SessionRow {
  id: string;
  username: string;
  created_at: string;
  expires_at: string;
  idle_expires_at: string;
  last_seen_at: string;
  ip: string | null;
}

interface AuditRow {
  id: string;
  at: string;
  actor: string;
  action: StaffAuditAction;
  target: string | null;
  ip: string | null;
  data: string;
}

const toAccount = (r: AccountRow): StaffAccount => ({
  username: r.username,
  role: r.role,
  displayName: r.display_name,
  passwordHash: r.password_hash,
  disabled: r.disabled === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toSession = (r: SessionRow): StaffSession => ({
  id: r.id,
  username: r.username,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  idleExpiresAt: r.idle_expires_at,
  lastSeenAt: r.last_seen_at,
  ip: r.ip,
});

export class SqliteStaffAccountStore implements StaffAccountStore {
  private readonly db: SqliteDatabase;
  private readonly stmts;
  private lastPurge = 0;

  constructor(file: string) {
    this.db = openDatabase(file, 'FULL');
    this.db.exec(SCHEMA);
    const db = this.db;
    this.stmts = {
      insertAccount: db.prepare(
        `INSERT INTO staff_accounts (username, role, display_name, password_hash, disabled, created_at, updated_at)
         VALUES (@username, @role, @displayName, @passwordHash, @disabled, @createdAt, @createdAt)
         ON CONFLICT(username) DO NOTHING`,
      ),
      getAccount: db.prepare<[string], AccountRow>('SELECT * FROM staff_accounts WHERE username = ?'),
      listAccounts: db.prepare<[], AccountRow>('SELECT * FROM staff_accounts ORDER BY username'),
      updateAccount: db.prepare(
        `UPDATE staff_accounts SET role = @role, display_name = @displayName, password_hash = @passwordHash,
           disabled = @disabled, updated_at = @updatedAt WHERE username = @username`,
      ),
      insertSession: db.prepare(
        `INSERT INTO staff_sessions (id, username, created_at, expires_at, idle_expires_at, last_seen_at, ip)
         VALUES (@id, @username, @createdAt, @expiresAt, @idleExpiresAt, @lastSeenAt, @ip)`,
      ),
      getSession: db.prepare<{ id: string; now: string }, SessionRow>(
        'SELECT * FROM staff_sessions WHERE id = @id AND expires_at > @now AND idle_expires_at > @now',
      ),
      touchSession: db.prepare(
        `UPDATE staff_sessions SET idle_expires_at = MIN(@idleExpiresAt, expires_at), last_seen_at = @lastSeenAt
         WHERE id = @id`,
      ),
      deleteSession: db.prepare('DELETE FROM staff_sessions WHERE id = ?'),
      deleteSessionsOf: db.prepare('DELETE FROM staff_sessions WHERE username = ?'),
      purgeSessions: db.prepare('DELETE FROM staff_sessions WHERE idle_expires_at <= @now OR expires_at <= @now'),
      countFailure: db.prepare<{ key: string; now: number; resetsAt: number }, { count: number; resets_at: number }>(
        `INSERT INTO staff_login_failures (key, count, resets_at) VALUES (@key, 1, @resetsAt)
         ON CONFLICT(key) DO UPDATE SET
           count = CASE WHEN resets_at <= @now THEN 1 ELSE count + 1 END,
           resets_at = CASE WHEN resets_at <= @now THEN excluded.resets_at ELSE resets_at END
         RETURNING count, resets_at`,
      ),
      failures: db.prepare<{ key: string; now: number }, { count: number; resets_at: number }>(
        'SELECT count, resets_at FROM staff_login_failures WHERE key = @key AND resets_at > @now',
      ),
      clearFailures: db.prepare('DELETE FROM staff_login_failures WHERE key = ?'),
      purgeFailures: db.prepare('DELETE FROM staff_login_failures WHERE resets_at <= ?'),
      insertAudit: db.prepare(
        `INSERT INTO staff_audit (id, at, actor, action, target, ip, data)
         VALUES (@id, @at, @actor, @action, @target, @ip, @data)`,
      ),
      trimAudit: db.prepare(`DELETE FROM staff_audit WHERE seq <= (SELECT MAX(seq) FROM staff_audit) - ${AUDIT_KEEP_ROWS}`),
      listAudit: db.prepare<{ limit: number; actor: string | null; action: string | null }, AuditRow>(
        `SELECT id, at, actor, action, target, ip, data FROM staff_audit
         WHERE (@actor IS NULL OR actor = @actor) AND (@action IS NULL OR action = @action)
         ORDER BY seq DESC LIMIT @limit`,
      ),
    };
  }

  async createAccount(account: NewStaffAccount): Promise<StaffAccount> {
    const res = this.stmts.insertAccount.run({ ...account, disabled: account.disabled ? 1 : 0 });
    if (res.changes === 0) throw new StaffAccountExistsError(account.username);
    return { ...account, updatedAt: account.createdAt };
  }

  async getAccount(username: string): Promise<StaffAccount | null> {
    const row = this.stmts.getAccount.get(username);
    return row ? toAccount(row) : null;
  }

  async listAccounts(): Promise<StaffAccount[]> {
    return this.stmts.listAccounts.all().map(toAccount);
  }

  async updateAccount(username: string, patch: StaffAccountPatch, at: Date): Promise<StaffAccount> {
    return this.db.transaction(() => {
      const row = this.stmts.getAccount.get(username);
      if (!row) throw new StaffAccountNotFoundError(username);
      const next: StaffAccount = { ...toAccount(row), ...definedOnly(patch), updatedAt: at.toISOString() };
      this.stmts.updateAccount.run({ ...next, disabled: next.disabled ? 1 : 0 });
      return next;
    }).immediate();
  }

  async createSession(session: StaffSession): Promise<void> {
    this.purgeMaybe(Date.parse(session.lastSeenAt));
    this.stmts.insertSession.run(session);
  }

  async getSession(id: string, now: Date): Promise<StaffSession | null> {
    const row = this.stmts.getSession.get({ id, now: now.toISOString() });
    return row ? toSession(row) : null;
  }

  async touchSession(id: string, idleExpiresAt: string, lastSeenAt: string): Promise<void> {
    this.stmts.touchSession.run({ id, idleExpiresAt, lastSeenAt });
  }

  async deleteSession(id: string): Promise<void> {
    this.stmts.deleteSession.run(id);
  }

  async deleteSessionsOf(username: string): Promise<number> {
    return this.stmts.deleteSessionsOf.run(username).changes;
  }

  async countFailure(key: string, windowMs: number, now: Date): Promise<FailureCount> {
    const t = now.getTime();
    const row = this.stmts.countFailure.get({ key, now: t, resetsAt: t + windowMs })!;
    return { count: row.count, resetsAt: new Date(row.resets_at).toISOString() };
  }

  async failures(key: string, now: Date): Promise<FailureCount> {
    const row = this.stmts.failures.get({ key, now: now.getTime() });
    return row ? { count: row.count, resetsAt: new Date(row.resets_at).toISOString() } : { count: 0, resetsAt: null };
  }

  async clearFailures(key: string): Promise<void> {
    this.stmts.clearFailures.run(key);
  }

  async appendAudit(entry: StaffAuditEntry): Promise<void> {
    const res = this.stmts.insertAudit.run({ ...entry, data: JSON.stringify(entry.data) });
    // Trim now and then rather than on every write.
    if (Number(res.lastInsertRowid) % 1000 === 0) this.stmts.trimAudit.run();
  }

  async listAudit(query: { limit?: number; actor?: string; action?: StaffAuditAction } = {}): Promise<StaffAuditEntry[]> {
    const rows = this.stmts.listAudit.all({
      limit: query.limit ?? 100,
      actor: query.actor ?? null,
      action: query.action ?? null,
    });
    return rows.map((r) => ({ ...r, data: JSON.parse(r.data) as Record<string, unknown> }));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** `now` is the caller's clock, so that a test clock never purges what it still considers live. */
  private purgeMaybe(now: number): void {
    if (Math.abs(now - this.lastPurge) < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    this.stmts.purgeSessions.run({ now: new Date(now).toISOString() });
    this.stmts.purgeFailures.run(now);
  }
}

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
