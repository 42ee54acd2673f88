/**
 * Every change to a ticket as a pure function: (current ticket, arguments, now) → the new ticket, the
 * events to append and the notification owed to the worker. Both stores call these and only persist
 * the result, so the rules are written once. A rule violation throws before anything is written.
 */
import { randomUUID } from 'node:crypto';
import { ApiError } from '../server/errors.js';
import { assertTransition, FINISHED } from './lifecycle.js';
import { replyNotice, statusNotice } from './notices.js';
import { TicketConflictError } from './ticket-errors.js';
import type { TransitionOptions } from './ticket-store.js';
import type { Actor, FileTicketData, OutboxEntry, Ticket, TicketEvent, TicketEventType, TicketStatus } from './types.js';
import { IsoTimeSchema } from './types.js';

export interface TicketChange {
  ticket: Ticket;
  events: TicketEvent[];
  notification: OutboxEntry | null;
}

export function event(ticketId: string, at: Date, actor: Actor, type: TicketEventType, data: Record<string, unknown> = {}): TicketEvent {
  return { id: randomUUID(), ticketId, at: at.toISOString(), actor, type, data };
}

function notification(ticket: Ticket, text: string, at: Date): OutboxEntry {
  return {
    id: randomUUID(),
    ticketId: ticket.id,
    channel: ticket.channel,
    userId: ticket.userId,
    text,
    createdAt: at.toISOString(),
    deliveredAt: null,
  };
}

function touched(ticket: Ticket, now: Date, patch: Partial<Ticket>): Ticket {
  return { ...ticket, ...patch, updatedAt: now.toISOString(), rev: ticket.rev + 1 };
}

export function newTicket(id: string, data: FileTicketData, now: Date, idempotencyKey: string): TicketChange {
  const at = now.toISOString();
  const ticket: Ticket = {
    ...data,
    id,
    status: 'new',
    createdAt: at,
    updatedAt: at,
    assignee: null,
    leaseExpiresAt: null,
    investigationDueAt: null,
    acceptedAt: null,
    resolvedAt: null,
    closedAt: null,
    refusalReason: null,
    rev: 1,
  };
  const filed = event(id, now, 'system', 'filed', { kind: data.kind, channel: data.channel, idempotencyKey });
  return { ticket, events: [filed], notification: null };
}

export function transitionChange(ticket: Ticket, to: TicketStatus, opts: TransitionOptions, now: Date): TicketChange {
  assertTransition(ticket, to);
  const at = now.toISOString();
  const reason = opts.reason?.trim();
  if (to === 'refused' && !reason) {
    throw new ApiError('BAD_REQUEST', '不予受理必须说明理由', [{ path: 'reason', message: 'required when refusing' }]);
  }
  const investigationDueAt =
    opts.investigationDueAt !== undefined ? IsoTimeSchema.parse(opts.investigationDueAt) : ticket.investigationDueAt;
  const patch: Partial<Ticket> = { status: to, investigationDueAt };
  if (to === 'accepted' || (to === 'in_progress' && ticket.acceptedAt === null)) patch.acceptedAt = at;
  if (to === 'accepted' || to === 'refused') patch.leaseExpiresAt = null;
  if (to === 'accepted' && ticket.assignee === null && opts.actor !== 'system') patch.assignee = opts.actor;
  if (to === 'refused') patch.refusalReason = reason ?? null;
  if (to === 'resolved') patch.resolvedAt = at;
  if (to === 'closed') patch.closedAt = at;
  if (to === 'reopened') Object.assign(patch, { resolvedAt: null, closedAt: null, refusalReason: null });
  const next = touched(ticket, now, patch);
  const data: Record<string, unknown> = { from: ticket.status, to };
  if (reason) data.reason = reason;
  if (patch.assignee) data.assignee = patch.assignee;
  if (opts.investigationDueAt !== undefined) data.investigationDueAt = investigationDueAt;
  return {
    ticket: next,
    events: [event(ticket.id, now, opts.actor, 'status', data)],
    notification: notification(next, opts.notice?.trim() || statusNotice(next, to), now),
  };
}

function leaseExpired(ticket: Ticket, now: Date): boolean {
  return ticket.leaseExpiresAt !== null && Date.parse(ticket.leaseExpiresAt) <= now.getTime();
}

function assertOpen(ticket: Ticket, action: string): void {
  if (FINISHED.has(ticket.status)) {
    throw new TicketConflictError(`工单 ${ticket.id} 已${ticket.status}，不能${action}`, ticket.id, ticket.status);
  }
}

function leaseUntil(now: Date, leaseMs: number | undefined): string | null {
  if (leaseMs === undefined) return null;
  if (!Number.isFinite(leaseMs) || leaseMs <= 0) throw new RangeError(`leaseMs must be positive, got ${leaseMs}`);
  return new Date(now.getTime() + leaseMs).toISOString();
}

export function claimChange(ticket: Ticket, staff: string, leaseMs: number | undefined, now: Date): TicketChange {
  assertOpen(ticket, '认领');
  const leaseExpiresAt = leaseUntil(now, leaseMs);
  if (ticket.assignee === staff) {
    return { ticket: touched(ticket, now, { leaseExpiresAt }), events: [], notification: null };
  }
  if (ticket.assignee !== null && !leaseExpired(ticket, now)) {
    throw new TicketConflictError(`工单 ${ticket.id} 已由 ${ticket.assignee} 认领`, ticket.id, ticket.status);
  }
  const events: TicketEvent[] = [];
  if (ticket.assignee !== null) events.push(expiryEvent(ticket, now));
  events.push(event(ticket.id, now, staff, 'claimed', leaseExpiresAt ? { leaseExpiresAt } : {}));
  return { ticket: touched(ticket, now, { assignee: staff, leaseExpiresAt }), events, notification: null };
}

export function renewChange(ticket: Ticket, staff: string, leaseMs: number, now: Date): TicketChange {
  if (ticket.assignee !== staff) {
    throw new TicketConflictError(`工单 ${ticket.id} 不在 ${staff} 名下，无法续期`, ticket.id, ticket.status);
  }
  if (ticket.leaseExpiresAt === null) {
    throw new TicketConflictError(`工单 ${ticket.id} 没有租约`, ticket.id, ticket.status);
  }
  return { ticket: touched(ticket, now, { leaseExpiresAt: leaseUntil(now, leaseMs) }), events: [], notification: null };
}

export function releaseChange(ticket: Ticket, staff: string, now: Date): TicketChange {
  if (ticket.assignee !== staff) {
    throw new TicketConflictError(`工单 ${ticket.id} 不在 ${staff} 名下`, ticket.id, ticket.status);
  }
  return {
    ticket: touched(ticket, now, { assignee: null, leaseExpiresAt: null }),
    events: [event(ticket.id, now, staff, 'released')],
    notification: null,
  };
}

export function assignChange(ticket: Ticket, assignee: string | null, actor: Actor, now: Date): TicketChange {
  assertOpen(ticket, '分派');
  return {
    ticket: touched(ticket, now, { assignee, leaseExpiresAt: null }),
    events: [event(ticket.id, now, actor, 'assigned', { from: ticket.assignee, to: assignee })],
    notification: null,
  };
}

function expiryEvent(ticket: Ticket, now: Date): TicketEvent {
  return event(ticket.id, now, 'system', 'released', { reason: 'lease_expired', holder: ticket.assignee });
}

/** Frees a ticket whose lease ran out; null when it is (no longer) expired. */
export function expireLeaseChange(ticket: Ticket, now: Date): TicketChange | null {
  if (!leaseExpired(ticket, now)) return null;
  return {
    ticket: touched(ticket, now, { assignee: null, leaseExpiresAt: null }),
    events: [expiryEvent(ticket, now)],
    notification: null,
  };
}

function requireText(text: string, what: string): string {
  const t = text.trim();
  if (!t) throw new ApiError('BAD_REQUEST', `${what}不能为空`, [{ path: 'text', message: 'required' }]);
  if (t.length > 2000) throw new ApiError('PAYLOAD_TOO_LARGE', `${what}过长`);
  return t;
}

export function noteChange(ticket: Ticket, actor: Actor, text: string, now: Date): TicketChange {
  const t = requireText(text, '备注');
  return { ticket: touched(ticket, now, {}), events: [event(ticket.id, now, actor, 'note', { text: t })], notification: null };
}

export function replyChange(ticket: Ticket, actor: Actor, text: string, now: Date): TicketChange {
  const t = requireText(text, '答复');
  const note = notification(ticket, replyNotice(ticket, t), now);
  return {
    ticket: touched(ticket, now, {}),
    events: [event(ticket.id, now, actor, 'reply', { text: t, notificationId: note.id })],
    notification: note,
  };
}

/** A view changes nothing but the history (and the revision, so the append is ordered). */
export function viewChange(ticket: Ticket, actor: Actor, now: Date): TicketChange {
  return { ticket: { ...ticket, rev: ticket.rev + 1 }, events: [event(ticket.id, now, actor, 'viewed')], notification: null };
}
