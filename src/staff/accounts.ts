/**
 * Account management, for the console, the API and the command line: create, change role, rename,
 * disable / enable, reset a password, change one's own password. Every change is audited; the last
 * active administrator cannot be demoted or disabled, and nobody can demote or disable themselves
 * (so the bureau never locks itself out).
 */
import type { Clock } from '../tickets/ticket-store.js';
import type { StaffAccountStore } from './account-store.js';
import { newAuditEntry } from './audit.js';
import { DEFAULT_SCRYPT_COST, hashPassword, verifyPassword, type ScryptCost } from './password.js';
import { ForbiddenError, NotAuthenticatedError, StaffAccountExistsError, StaffAccountNotFoundError } from './staff-errors.js';
import { ApiError } from '../server/errors.js';
import { passwordProblem } from './password-policy.js';
import { LoginThrottledError } from './staff-errors.js';
import {
  DisplayNameSchema,
  PasswordSchema,
  StaffRoleSchema,
  UsernameSchema,
  type StaffAccount,
  type StaffAccountPatch,
  type StaffRole,
} from './types.js';

/** What may be shown of an account: never the hash. */
export interface PublicStaffAccount {
  username: string;
  role: StaffRole;
  displayName: string | null;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export function publicAccount(a: StaffAccount): PublicStaffAccount {
  return {
    username: a.username,
    role: a.role,
    displayName: a.displayName,
    disabled: a.disabled,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}

export interface AccountChange {
  role?: StaffRole | undefined;
  displayName?: string | null | undefined;
  disabled?: boolean | undefined;
  password?: string | undefined;
}

export class StaffAccounts {
  constructor(
    private readonly store: StaffAccountStore,
    private readonly clock: Clock,
    private readonly scryptCost: ScryptCost = DEFAULT_SCRYPT_COST,
  ) {}

  /** `actor` is the admin's username, or "cli". Inputs are validated here too (the CLI has no zod edge). */
  async create(
    actor: string,
    input: { username: string; role: StaffRole; password: string; displayName?: string | null },
    ip: string | null = null,
  ): Promise<PublicStaffAccount> {
    const username = parseOrThrow(UsernameSchema, input.username, 'username');
    const role = parseOrThrow(StaffRoleSchema, input.role, 'role');
    const password = parseOrThrow(PasswordSchema, input.password, 'password');
    const displayName = input.displayName ? parseOrThrow(DisplayNameSchema, input.displayName, 'displayName') : null;
    strongOrThrow(password, [username, displayName], 'password');
    if (await this.store.getAccount(username)) throw new StaffAccountExistsError(username);
    const now = this.clock();
    const account = await this.store.createAccount({
      username,
      role,
      displayName,
      passwordHash: await hashPassword(password, this.scryptCost),
      disabled: false,
      createdAt: now.toISOString(),
    });
    await this.store.appendAudit(newAuditEntry(now, actor, 'account_created', { target: username, ip, data: { role } }));
    return publicAccount(account);
  }

  async list(): Promise<PublicStaffAccount[]> {
    return (await this.store.listAccounts()).map(publicAccount);
  }

  async update(actor: string, usernameTyped: string, change: AccountChange, ip: string | null = null): Promise<PublicStaffAccount> {
    const username = usernameTyped.trim().toLowerCase();
    const current = await this.store.getAccount(username);
    if (!current) throw new StaffAccountNotFoundError(username);
    const demotes = change.role !== undefined && change.role !== 'admin' && current.role === 'admin';
    const disables = change.disabled === true && !current.disabled;
    if ((demotes || disables) && actor === username) {
      throw new ForbiddenError('不能停用自己的账号或取消自己的管理员权限');
    }
    if ((demotes || disables) && current.role === 'admin' && !current.disabled) {
      const admins = (await this.store.listAccounts()).filter((a) => a.role === 'admin' && !a.disabled);
      if (admins.length <= 1) throw new ApiError('CONFLICT', '至少需要保留一个启用的管理员账号');
    }
    const patch: StaffAccountPatch = {};
    if (change.role !== undefined) patch.role = parseOrThrow(StaffRoleSchema, change.role, 'role');
    if (change.displayName !== undefined) {
      patch.displayName = change.displayName === null ? null : parseOrThrow(DisplayNameSchema, change.displayName, 'displayName');
    }
    if (change.disabled !== undefined) patch.disabled = change.disabled;
    if (change.password !== undefined) {
      const password = parseOrThrow(PasswordSchema, change.password, 'password');
      strongOrThrow(password, [username, current.displayName, patch.displayName], 'password');
      patch.passwordHash = await hashPassword(password, this.scryptCost);
    }
    const now = this.clock();
    const updated = await this.store.updateAccount(username, patch, now);
    // A new password or a disabled account ends the sessions that were open with the old state.
    if (patch.passwordHash !== undefined || disables) await this.store.deleteSessionsOf(username);
    const data: Record<string, unknown> = {};
    if (patch.role !== undefined && patch.role !== current.role) data.role = { from: current.role, to: patch.role };
    if (patch.displayName !== undefined) data.displayName = patch.displayName;
    if (patch.disabled !== undefined && patch.disabled !== current.disabled) data.disabled = patch.disabled;
    if (patch.passwordHash !== undefined) data.passwordReset = true;
    await this.store.appendAudit(newAuditEntry(now, actor, 'account_updated', { target: username, ip, data }));
    return publicAccount(updated);
  }

  /**
   * One's own password, proving the current one; other sessions of the account end. Wrong current
   * passwords are counted per account (a stolen session must not become a password oracle): after
   * CHANGE_GUESSES in the window, 429 until it ends. Refusals are audited.
   */
  async changeOwnPassword(username: string, current: string, next: string, keepSessionId: string | null, ip: string | null = null): Promise<void> {
    const guessKey = `pwchange:${username}`;
    const t0 = this.clock();
    const guesses = await this.store.failures(guessKey, t0);
    if (guesses.count >= CHANGE_GUESSES && guesses.resetsAt) {
      await this.store.appendAudit(newAuditEntry(t0, username, 'password_change_throttled', { ip, data: { until: guesses.resetsAt } }));
      throw new LoginThrottledError(Math.max(1, Math.ceil((Date.parse(guesses.resetsAt) - t0.getTime()) / 1000)), '当前密码错误次数过多');
    }
    const account = await this.store.getAccount(username);
    if (!account || !(await verifyPassword(current, account.passwordHash))) {
      await this.store.countFailure(guessKey, CHANGE_WINDOW_MS, t0);
      await this.store.appendAudit(newAuditEntry(t0, username, 'password_change_failed', { ip, data: { reason: 'wrong_current_password' } }));
      throw new ApiError('BAD_REQUEST', '当前密码不正确', [{ path: 'currentPassword', message: 'wrong password' }]);
    }
    if (account.disabled) throw new NotAuthenticatedError('账号已停用，请联系管理员');
    const password = parseOrThrow(PasswordSchema, next, 'newPassword');
    strongOrThrow(password, [username, account.displayName, current], 'newPassword');
    await this.store.clearFailures(guessKey);
    const hash = await hashPassword(password, this.scryptCost);
    const now = this.clock();
    await this.store.updateAccount(username, { passwordHash: hash }, now);
    // End every session, then keep the caller's: simpler than "all but one" in both stores.
    const keep = keepSessionId ? await this.store.getSession(keepSessionId, now) : null;
    await this.store.deleteSessionsOf(username);
    if (keep) await this.store.createSession({ ...keep, lastSeenAt: now.toISOString() });
    await this.store.appendAudit(newAuditEntry(now, username, 'password_changed', { ip }));
  }
}

/** Wrong current passwords accepted per account in CHANGE_WINDOW_MS before the change is refused. */
const CHANGE_GUESSES = 5;
const CHANGE_WINDOW_MS = 15 * 60_000;

function strongOrThrow(password: string, personal: ReadonlyArray<string | null | undefined>, path: string): void {
  const problem = passwordProblem(password, personal);
  if (problem) throw new ApiError('BAD_REQUEST', `${path}：${problem}`, [{ path, message: problem }]);
}

function parseOrThrow<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ message: string }> } } }, value: unknown, path: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const message = r.error.issues.map((i) => i.message).join('；');
  throw new ApiError('BAD_REQUEST', `${path}：${message}`, [{ path, message }]);
}
