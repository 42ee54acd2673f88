/**
 * How a ticket sits in its Redis hash: the whole ticket as JSON (`data`) plus flat copies of the
 * fields the queue scan and the dashboard read, so those never parse 10 000 JSON documents. All are
 * written by the same script call as `data`, so they never disagree.
 */
import { isClaimable, runningDeadline } from '../../tickets/lifecycle.js';
import type { Ticket } from '../../tickets/types.js';

/** The flat fields, in the order the scanners HMGET them. */
export const SCAN_FIELDS = ['status', 'kind', 'county', 'assignee', 'due', 'search'] as const;
export const STATS_FIELDS = ['status', 'created', 'county', 'accepted', 'acceptDue', 'investDue'] as const;

export function ticketHashFields(t: Ticket): Record<string, string> {
  const due = runningDeadline(t);
  return {
    data: JSON.stringify(t),
    rev: String(t.rev),
    status: t.status,
    kind: t.kind,
    county: t.county ?? '',
    assignee: t.assignee ?? '',
    due: due === null ? '' : String(Date.parse(due)),
    search: searchText(t),
    created: t.createdAt,
    accepted: t.acceptedAt ?? '',
    acceptDue: t.acceptDueAt,
    investDue: t.investigationDueAt ?? '',
  };
}

/** What `q` is matched against: id, phone and employer, lower-cased. */
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

export function claimableFlag(t: Ticket): '1' | '0' {
  return isClaimable(t) ? '1' : '0';
}
