/**
 * Retention of personal data (issue 19, item 2): TICKET_RETENTION_DAYS after a ticket is closed, the
 * worker's name, phone, own account of events and conversation are deleted, and the sender id is
 * replaced, so that the ticket keeps only what the statistics need (kind, county, employer, amount,
 * dates, status). The rules are here; each store applies them with its indexes in one commit.
 */
import type { TicketChange } from './ticket-changes.js';
import { event } from './ticket-changes.js';
import type { OutboxEntry, Ticket, TicketEvent } from './types.js';

const DAY_MS = 24 * 3600_000;

/** Closed before this instant: due for anonymising now. */
export function retentionCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/** What replaces the sender id (a phone number on SMS, an openid on WeChat). */
export const ANONYMISED_USER = 'anonymised';

/** What replaces free text that may name or quote the worker (staff notes, replies, notices). */
export const REMOVED_TEXT = '（已按保存期限删除）';

export function isDueForAnonymising(t: Ticket, cutoff: Date): boolean {
  return t.status === 'closed' && !t.anonymisedAt && t.closedAt !== null && Date.parse(t.closedAt) < cutoff.getTime();
}

/** The ticket without personal data, and the event that records it (its reason, not what was removed). */
export function anonymiseChange(t: Ticket, now: Date, days: number): TicketChange {
  const ticket: Ticket = {
    ...t,
    workerName: null,
    phone: null,
    description: null,
    transcript: [],
    userId: ANONYMISED_USER,
    anonymisedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    rev: t.rev + 1,
  };
  return { ticket, events: [event(t.id, now, 'system', 'note', { text: `办结满${days}天，个人信息已删除`, retention: true })], notification: null };
}

/** An earlier event without the free text and keys that may carry personal data. */
export function scrubEvent(e: TicketEvent): TicketEvent {
  if (e.data.retention) return e;
  const data: Record<string, unknown> = { ...e.data };
  if (typeof data.text === 'string') data.text = REMOVED_TEXT;
  if (typeof data.notice === 'string') data.notice = REMOVED_TEXT;
  if ('idempotencyKey' in data) delete data.idempotencyKey;
  return { ...e, data };
}

/** A notification to the worker without its text and address (undelivered ones are given up). */
export function scrubNotification(n: OutboxEntry, now: Date): OutboxEntry {
  return { ...n, userId: ANONYMISED_USER, text: REMOVED_TEXT, deliveredAt: n.deliveredAt ?? now.toISOString() };
}
