/**
 * Staff accounts, their sessions and the audit trail of what staff did outside a ticket (log-ins,
 * account changes). What staff do to a ticket is in the ticket's own history (TicketStore.events).
 */
import { z } from 'zod';

export const STAFF_ROLES = ['staff', 'admin'] as const;
export const StaffRoleSchema = z.enum(STAFF_ROLES);
export type StaffRole = z.infer<typeof StaffRoleSchema>;

/** Lower-case latin letters, digits and . _ - ; 2–32 characters, starting with a letter or digit. */
export const UsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,31}$/, '用户名为2–32位小写字母、数字或 . _ -，以字母或数字开头');

/** The length rule at the edge; strength (common, trivial, personal) is checked by password-policy.ts. */
export const PASSWORD_MIN_CHARS = 10;
export const PasswordSchema = z
  .string()
  .min(PASSWORD_MIN_CHARS, `密码至少${PASSWORD_MIN_CHARS}位`)
  .max(200, '密码最长200位');

export const DisplayNameSchema = z.string().trim().min(1).max(50);

export interface StaffAccount {
  username: string;
  role: StaffRole;
  /** 姓名 shown in the console; null when not given. */
  displayName: string | null;
  /** `scrypt$N$r$p$salt$hash` (password.ts). */
  passwordHash: string;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export type NewStaffAccount = Omit<StaffAccount, 'updatedAt'>;
export type StaffAccountPatch = Partial<Pick<StaffAccount, 'role' | 'displayName' | 'passwordHash' | 'disabled'>>;

/** A logged-in console or API client. The bearer token itself is never stored, only its SHA-256. */
export interface StaffSession {
  /** SHA-256 (hex) of the bearer token. */
  id: string;
  username: string;
  createdAt: string;
  /** Hard end of the session, whatever the activity. */
  expiresAt: string;
  /** End unless the session is used again before (sliding). */
  idleExpiresAt: string;
  lastSeenAt: string;
  ip: string | null;
}

export const STAFF_AUDIT_ACTIONS = [
  'login',
  'login_failed',
  'login_throttled',
  'logout',
  'account_created',
  'account_updated',
  'password_changed',
  'password_change_failed',
  'password_change_throttled',
  'access_denied',
  /** A staff fix to what the assistant answers (src/feedback/staff-fixes.ts): clause, alias or facet. */
  'knowledge_fixed',
  'document_uploaded',
  'document_published',
  'document_withdrawn',
  'document_superseded',
] as const;
export type StaffAuditAction = (typeof STAFF_AUDIT_ACTIONS)[number];

export interface StaffAuditEntry {
  id: string;
  at: string;
  /** Who did it: a username, "cli" for the command line, or the name typed at a failed log-in. */
  actor: string;
  action: StaffAuditAction;
  /** The account acted upon, when not the actor's own. */
  target: string | null;
  ip: string | null;
  data: Record<string, unknown>;
}
