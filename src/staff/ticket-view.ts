/**
 * What staff see of a ticket beyond the stored fields: the deadline currently running, in working
 * days, and whether it is close or past. "Close" is the last working day for acceptance (5 days in
 * all) and the last five for the investigation (60 days).
 */
import { workingDaysLeft } from '../tickets/deadlines.js';
import { runningDeadline } from '../tickets/lifecycle.js';
import type { Ticket } from '../tickets/types.js';

export const SOON_WORKING_DAYS = { accept: 1, investigation: 5 } as const;

export interface DeadlineView {
  kind: 'accept' | 'investigation';
  dueAt: string;
  /** 0 on the day itself, negative when overdue. */
  workingDaysLeft: number;
  state: 'ok' | 'soon' | 'overdue';
}

export function deadlineOf(ticket: Pick<Ticket, 'status' | 'acceptDueAt' | 'investigationDueAt'>, now: Date): DeadlineView | null {
  const due = runningDeadline(ticket);
  if (due === null) return null;
  const kind = ticket.status === 'new' ? 'accept' : 'investigation';
  const left = workingDaysLeft(now, new Date(due));
  const overdue = Date.parse(due) < now.getTime();
  const state = overdue ? 'overdue' : left <= SOON_WORKING_DAYS[kind] ? 'soon' : 'ok';
  return { kind, dueAt: due, workingDaysLeft: left, state };
}

/** The queue row: everything but the transcript (which can be long), plus the deadline. */
export function ticketSummary(ticket: Ticket, now: Date) {
  const { transcript: _transcript, ...rest } = ticket;
  return { ...rest, deadline: deadlineOf(ticket, now) };
}

export function ticketDetail(ticket: Ticket, now: Date) {
  return { ...ticket, deadline: deadlineOf(ticket, now) };
}
