/**
 * The ticket lifecycle, one table for both stores:
 *
 *   new ──► accepted ──► in_progress ──► resolved ──► closed
 *    └───► refused (reason required)
 *   resolved | closed | refused ──► reopened ──► in_progress
 *
 * Reopening goes back to in_progress (not to new): the complaint was already looked at once, the
 * holder keeps it and resumes the investigation; a reopened refusal thereby becomes an accepted case
 * (acceptedAt is set then if it never was). Anything else throws TicketConflictError (CONFLICT).
 */
import { TicketConflictError } from './ticket-errors.js';
import type { Ticket, TicketStatus } from './types.js';

export const TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  new: ['accepted', 'refused'],
  accepted: ['in_progress'],
  in_progress: ['resolved'],
  resolved: ['closed', 'reopened'],
  closed: ['reopened'],
  refused: ['reopened'],
  reopened: ['in_progress'],
};

/** Statuses in which nobody has to act any more. */
export const FINISHED: ReadonlySet<TicketStatus> = new Set(['resolved', 'closed', 'refused']);

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(ticket: Pick<Ticket, 'id' | 'status'>, to: TicketStatus): void {
  if (!canTransition(ticket.status, to)) {
    throw new TicketConflictError(
      `工单 ${ticket.id} 当前状态为 ${ticket.status}，不能变更为 ${to}`,
      ticket.id,
      ticket.status,
    );
  }
}

/**
 * The deadline currently running: acceptance while new, investigation once accepted (if the caller
 * gave one), none when finished. Overdue means this instant has passed.
 */
export function runningDeadline(ticket: Pick<Ticket, 'status' | 'acceptDueAt' | 'investigationDueAt'>): string | null {
  if (ticket.status === 'new') return ticket.acceptDueAt;
  if (FINISHED.has(ticket.status)) return null;
  return ticket.investigationDueAt;
}

/** A new ticket nobody holds (or whose lease ran out) is what claimNext hands out. */
export function isClaimable(ticket: Pick<Ticket, 'status' | 'assignee'>): boolean {
  return ticket.status === 'new' && ticket.assignee === null;
}
