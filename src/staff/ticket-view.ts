/**
 * What staff see of a ticket beyond the stored fields: the deadline currently running, in working
 * days, and whether it is close or past. "Close" is the last working day for acceptance (5 days in
 * all) and the last five for the investigation (60 days).
 *
 * Counting working days walks the calendar day by day (~0.5 ms for 60 days), so the count is memoised
 * per (today, due day): a queue page of 50 tickets shares a handful of due days.
 */
import { workingDaysLeft, type CalendarOverrides } from '../tickets/deadlines.js';
import { chinaDay } from '../tickets/china-day.js';
import { runningDeadline } from '../tickets/lifecycle.js';
import type { Ticket } from '../tickets/types.js';

export const SOON_WORKING_DAYS = { accept: 1, investigation: 5 } as const;
const MEMO_LIMIT = 10_000;

export interface DeadlineView {
  kind: 'accept' | 'investigation';
  dueAt: string;
  /** 0 on the day itself, negative when overdue. */
  workingDaysLeft: number;
  state: 'ok' | 'soon' | 'overdue';
}

export class TicketView {
  private readonly memo = new Map<string, number>();

  constructor(private readonly calendar: CalendarOverrides = {}) {}

  deadline(ticket: Pick<Ticket, 'status' | 'acceptDueAt' | 'investigationDueAt'>, now: Date): DeadlineView | null {
    const due = runningDeadline(ticket);
    if (due === null) return null;
    const kind = ticket.status === 'new' ? 'accept' : 'investigation';
    const left = this.workingDaysLeft(now, due);
    const overdue = Date.parse(due) < now.getTime();
    const state = overdue ? 'overdue' : left <= SOON_WORKING_DAYS[kind] ? 'soon' : 'ok';
    return { kind, dueAt: due, workingDaysLeft: left, state };
  }

  /** The queue row: everything but the transcript (which can be long), plus the deadline. */
  summary(ticket: Ticket, now: Date) {
    const { transcript: _transcript, ...rest } = ticket;
    return { ...rest, deadline: this.deadline(ticket, now) };
  }

  detail(ticket: Ticket, now: Date) {
    return { ...ticket, deadline: this.deadline(ticket, now) };
  }

  private workingDaysLeft(now: Date, due: string): number {
    const key = `${chinaDay(now)}|${chinaDay(due)}`;
    let n = this.memo.get(key);
    if (n === undefined) {
      n = workingDaysLeft(now, new Date(due), this.calendar);
      if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
      this.memo.set(key, n);
    }
    return n;
  }
}
