/** Builds staff audit entries (log-ins, account changes); ticket actions are in the ticket history. */
import { randomUUID } from 'node:crypto';
import type { StaffAuditAction, StaffAuditEntry } from './types.js';

export function newAuditEntry(
  at: Date,
  actor: string,
  action: StaffAuditAction,
  extra: { target?: string | null; ip?: string | null; data?: Record<string, unknown> } = {},
): StaffAuditEntry {
  return {
    id: randomUUID(),
    at: at.toISOString(),
    actor,
    action,
    target: extra.target ?? null,
    ip: extra.ip ?? null,
    data: extra.data ?? {},
  };
}
