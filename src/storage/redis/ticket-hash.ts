/**
 * How one ticket is spread over Redis: the whole ticket as JSON in its hash, and the index entries
 * (sort score, running deadline, search text, dashboard row) that the scripts write in the same call,
 * so the indexes never disagree with the ticket.
 */
import { isClaimable, runningDeadline } from '../../tickets/lifecycle.js';
import { chinaDay } from '../../tickets/china-day.js';
import type { StatsRow } from '../../tickets/ticket-stats.js';
import type { Ticket } from '../../tickets/types.js';

/** What q is matched against: id, phone and employer, lower-cased. */
export function searchText(t: Pick<Ticket, 'id' | 'phone' | 'employer'>): string {
  return [t.id, t.phone ?? '', t.employer ?? ''].join('\n').toLowerCase();
}

/**
 * One exact sort score for "priority desc, then acceptDueAt asc": priority is an integer 0..100 and a
 * deadline in ms stays below 1e13 until the year 2286, so −priority·1e13 + dueMs orders by priority
 * first and stays an exact double (< 2^53). Ties fall back to the member (the id), as in SQLite.
 */
export function queueScore(t: Pick<Ticket, 'priority' | 'acceptDueAt'>): number {
  return -t.priority * 1e13 + Date.parse(t.acceptDueAt);
}

/** A dashboard row, with what the counters need worked out here (the scripts do no date arithmetic). */
export interface RedisStatsRow extends StatsRow {
  day: string;
  acceptMs: number | null;
}

export function statsRow(t: StatsRow): RedisStatsRow {
  const { status, createdAt, county, acceptedAt, acceptDueAt, investigationDueAt } = t;
  const acceptMs = acceptedAt ? Date.parse(acceptedAt) - Date.parse(createdAt) : null;
  return { status, createdAt, county, acceptedAt, acceptDueAt, investigationDueAt, day: chinaDay(createdAt), acceptMs };
}

/** The ARGV values both scripts take for a ticket's own entries, by name. */
export function ticketEntries(t: Ticket) {
  const due = runningDeadline(t);
  return {
    data: JSON.stringify(t),
    rev: String(t.rev),
    score: String(queueScore(t)),
    claimable: isClaimable(t) ? '1' : '0',
    leaseMs: t.leaseExpiresAt === null ? '' : String(Date.parse(t.leaseExpiresAt)),
    dueMs: due === null ? '' : String(Date.parse(due)),
    search: searchText(t),
    stats: JSON.stringify(statsRow(t)),
  };
}
