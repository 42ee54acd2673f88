/**
 * Storage of staff accounts, sessions, log-in failure counters and the staff audit trail, with two
 * implementations that pass one contract suite (test/staff/account-store.contract.test.ts):
 * SQLite in the embedded database file, Redis when REDIS_URL is set. Stores persist; the rules
 * (hashing, expiry policy, throttling thresholds, roles) live in auth.ts and accounts.ts.
 */
import type {
  NewStaffAccount,
  StaffAccount,
  StaffAccountPatch,
  StaffAuditAction,
  StaffAuditEntry,
  StaffSession,
} from './types.js';

export interface FailureCount {
  count: number;
  /** ISO instant the window ends, null when no window is running. */
  resetsAt: string | null;
}

export interface StaffAccountStore {
  /** Creates the account; CONFLICT (StaffAccountExistsError) when the username is taken. */
  createAccount(account: NewStaffAccount): Promise<StaffAccount>;
  getAccount(username: string): Promise<StaffAccount | null>;
  /** Every account, by username. */
  listAccounts(): Promise<StaffAccount[]>;
  /** Applies the patch and sets updatedAt; NOT_FOUND when there is no such account. */
  updateAccount(username: string, patch: StaffAccountPatch, at: Date): Promise<StaffAccount>;

  createSession(session: StaffSession): Promise<void>;
  /** The session, or null when unknown or past either of its expiry instants at `now`. */
  getSession(id: string, now: Date): Promise<StaffSession | null>;
  /** Slides the idle expiry (never beyond expiresAt) and records the last use. */
  touchSession(id: string, idleExpiresAt: string, lastSeenAt: string): Promise<void>;
  deleteSession(id: string): Promise<void>;
  /** Ends every session of the account (password change, disabling); returns how many. */
  deleteSessionsOf(username: string): Promise<number>;

  /**
   * Counts a failed log-in under `key` in a fixed window that starts at the first failure (later
   * failures do not extend it); returns the count within the window and when the window ends.
   */
  countFailure(key: string, windowMs: number, now: Date): Promise<FailureCount>;
  /** Failures counted under `key` in the current window ({0, null} when there is none). */
  failures(key: string, now: Date): Promise<FailureCount>;
  clearFailures(key: string): Promise<void>;

  appendAudit(entry: StaffAuditEntry): Promise<void>;
  /** Newest first. */
  listAudit(query?: { limit?: number; actor?: string; action?: StaffAuditAction }): Promise<StaffAuditEntry[]>;

  close(): Promise<void>;
}
