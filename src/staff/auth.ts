/**
 * Log-in, sessions and throttling.
 *
 * - The bearer token is 32 random bytes (base64url); only its SHA-256 is stored, so a copy of the
 *   database or of Redis does not let anyone act as staff.
 * - A session ends after `idleMs` without use (sliding, renewed at most once a minute so that reads
 *   do not turn into writes) and in any case `maxMs` after log-in; log-out ends it at once; a password
 *   change or disabling the account ends all of the account's sessions.
 * - Every request re-reads the account, so a disabled account or a changed role takes effect at once.
 * - Throttling never lets a stranger lock the rightful user out: attempts are counted per account
 *   AND client address (reset by a success), so guesses from one address block only that address
 *   for that account, and the user from another address still gets in. Backoff: 5 attempts per
 *   15 minutes, then at most 15 failures a day per account and address, then nothing until the day
 *   window ends. Failures per address across accounts are limited too (30 per 15 minutes). Past a
 *   limit the log-in is refused (429 with Retry-After) without checking the password. Failures of one
 *   account from everywhere are counted (per day) for alerting: every `alertEvery` of them logs a warning for
 *   staff, as does every refusal. An unknown username costs the same scrypt time as a known one.
 *   The client address is the socket's or, behind a trusted proxy only, X-Forwarded-For's (TRUST_PROXY).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../tickets/ticket-store.js';
import type { StaffAccountStore } from './account-store.js';
import { newAuditEntry } from './audit.js';
import { DEFAULT_SCRYPT_COST, hashPassword, needsRehash, verifyPassword, type ScryptCost } from './password.js';
import { LoginThrottledError, NotAuthenticatedError } from './staff-errors.js';
import type { StaffAccount, StaffSession } from './types.js';

export interface AuthPolicy {
  idleMs: number;
  maxMs: number;
  /** Renew the idle expiry at most this often. */
  touchEveryMs: number;
  failureWindowMs: number;
  /** Attempts of one account from one address per window. */
  maxFailuresPerUser: number;
  /** Failures of one account from one address per day (the backoff's second step). */
  maxFailuresPerUserDay: number;
  maxFailuresPerAddress: number;
  /** A warning is logged at every this many failures of one account (all addresses) in a day. */
  alertEvery: number;
  scryptCost: ScryptCost;
}

export interface AuthLog {
  warn(o: object, m?: string): void;
}

export const DEFAULT_AUTH_POLICY: AuthPolicy = {
  idleMs: 2 * 3600_000,
  maxMs: 12 * 3600_000,
  touchEveryMs: 60_000,
  failureWindowMs: 15 * 60_000,
  maxFailuresPerUser: 5,
  maxFailuresPerUserDay: 15,
  maxFailuresPerAddress: 30,
  alertEvery: 10,
  scryptCost: DEFAULT_SCRYPT_COST,
};

export interface Authenticated {
  account: StaffAccount;
  session: StaffSession;
}

export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const DAY_MS = 24 * 3600_000;
/** Account + address; the address part is "-" when the address is unknown. */
const pairKey = (username: string, ip: string | null) => `user-ip:${username}|${ip ?? '-'}`;
const pairDayKey = (username: string, ip: string | null) => `user-ip-day:${username}|${ip ?? '-'}`;
/** One account from every address: for alerting only, never for blocking. */
const accountKey = (username: string) => `user:${username}`;
const addressKey = (ip: string) => `ip:${ip}`;

export class StaffAuth {
  readonly policy: AuthPolicy;
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly store: StaffAccountStore,
    private readonly clock: Clock,
    policy: Partial<AuthPolicy> = {},
    private readonly log?: AuthLog,
  ) {
    this.policy = { ...DEFAULT_AUTH_POLICY, ...policy };
  }

  async login(usernameTyped: string, password: string, ip: string | null): Promise<{ token: string } & Authenticated> {
    const username = usernameTyped.trim().toLowerCase();
    const now = this.clock();
    // Counting the attempt before checking it keeps parallel guesses within the limit too.
    const attempts = await this.store.countFailure(pairKey(username, ip), this.policy.failureWindowMs, now);
    const daily = await this.store.failures(pairDayKey(username, ip), now);
    const byAddress = ip ? await this.store.failures(addressKey(ip), now) : { count: 0, resetsAt: null };
    const blockedUntil = [
      attempts.count > this.policy.maxFailuresPerUser ? attempts.resetsAt : null,
      daily.count >= this.policy.maxFailuresPerUserDay ? daily.resetsAt : null,
      byAddress.count >= this.policy.maxFailuresPerAddress ? byAddress.resetsAt : null,
    ].filter((t): t is string => t !== null);
    if (blockedUntil.length > 0) {
      const until = blockedUntil.sort().at(-1)!;
      await this.store.appendAudit(newAuditEntry(now, username, 'login_throttled', { ip, data: { until } }));
      this.log?.warn({ staff: username, ip, until }, 'staff log-in throttled after repeated failures (possible password guessing)');
      throw new LoginThrottledError(Math.max(1, Math.ceil((Date.parse(until) - now.getTime()) / 1000)));
    }

    const account = await this.store.getAccount(username);
    const ok = await verifyPassword(password, account?.passwordHash ?? (await this.dummy()));
    if (!account || !ok || account.disabled) {
      await this.store.countFailure(pairDayKey(username, ip), DAY_MS, now);
      // Per address only failures count: a whole office may log in from one NAT address.
      if (ip) await this.store.countFailure(addressKey(ip), this.policy.failureWindowMs, now);
      const overall = await this.store.countFailure(accountKey(username), DAY_MS, now);
      if (overall.count % this.policy.alertEvery === 0) {
        this.log?.warn({ staff: username, failures: overall.count, ip }, 'many failed log-ins for one staff account (from all addresses)');
      }
      const reason = !account ? 'unknown_user' : !ok ? 'wrong_password' : 'disabled';
      await this.store.appendAudit(newAuditEntry(now, username, 'login_failed', { ip, data: { reason } }));
      throw new NotAuthenticatedError(ok && account?.disabled ? '账号已停用，请联系管理员' : '用户名或密码错误');
    }

    await this.store.clearFailures(pairKey(username, ip));
    if (needsRehash(account.passwordHash, this.policy.scryptCost)) {
      await this.store.updateAccount(username, { passwordHash: await hashPassword(password, this.policy.scryptCost) }, now);
    }
    const token = randomBytes(32).toString('base64url');
    const session: StaffSession = {
      id: sessionIdOf(token),
      username,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.policy.maxMs).toISOString(),
      idleExpiresAt: new Date(now.getTime() + Math.min(this.policy.idleMs, this.policy.maxMs)).toISOString(),
      lastSeenAt: now.toISOString(),
      ip,
    };
    await this.store.createSession(session);
    await this.store.appendAudit(newAuditEntry(now, username, 'login', { ip, data: { role: account.role } }));
    return { token, account, session };
  }

  /** The account behind a bearer token; NotAuthenticatedError otherwise. */
  async authenticate(token: string): Promise<Authenticated> {
    const now = this.clock();
    const session = await this.store.getSession(sessionIdOf(token), now);
    if (!session) throw new NotAuthenticatedError('登录已过期或无效，请重新登录');
    const account = await this.store.getAccount(session.username);
    if (!account || account.disabled) {
      await this.store.deleteSession(session.id);
      throw new NotAuthenticatedError('账号已停用，请联系管理员');
    }
    if (now.getTime() - Date.parse(session.lastSeenAt) >= this.policy.touchEveryMs) {
      const idle = new Date(Math.min(now.getTime() + this.policy.idleMs, Date.parse(session.expiresAt))).toISOString();
      await this.store.touchSession(session.id, idle, now.toISOString());
      return { account, session: { ...session, idleExpiresAt: idle, lastSeenAt: now.toISOString() } };
    }
    return { account, session };
  }

  async logout(session: StaffSession, ip: string | null): Promise<void> {
    await this.store.deleteSession(session.id);
    await this.store.appendAudit(newAuditEntry(this.clock(), session.username, 'logout', { ip }));
  }

  /** A hash to verify against when the username is unknown, so both cases take the same time. */
  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword(randomBytes(16).toString('hex'), this.policy.scryptCost);
    return this.dummyHash;
  }
}
