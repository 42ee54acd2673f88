/** The staff-queue filter as SQL: a WHERE clause with named parameters, with or without the status. */
import { idDay, type ParsedTicketFilter } from '../../tickets/types.js';
import { searchMatch } from './ticket-aggregates.js';

export interface SqlWhere {
  sql: string;
  params: Record<string, string | number>;
}

export const QUEUE_ORDER = 'ORDER BY priority DESC, accept_due_at ASC, id ASC';

/** True when the filter narrows beyond the status tab (counts then come from the rows, not the counters). */
export function narrowed(f: ParsedTicketFilter): boolean {
  return Boolean(f.kind || f.county || f.assignee !== undefined || f.overdueAt || f.q || f.filedFrom || f.filedTo);
}

/**
 * `walkQueue`: for a page of many matches, written so that SQLite walks the queue order and stops at
 * the page instead of fetching every match to sort it (the overdue and search terms then use no index
 * of their own); for few matches the filter's index and a small sort are cheaper.
 */
export function ticketWhere(f: ParsedTicketFilter, withStatus: boolean, walkQueue = false): SqlWhere {
  const clauses: string[] = [];
  const params: Record<string, string | number> = {};
  if (withStatus && f.status) {
    clauses.push('status = @status');
    params.status = f.status;
  }
  if (f.kind) {
    clauses.push('kind = @kind');
    params.kind = f.kind;
  }
  if (f.county) {
    clauses.push('county = @county');
    params.county = f.county;
  }
  if (f.assignee === null) clauses.push('assignee IS NULL');
  else if (f.assignee !== undefined) {
    clauses.push('assignee = @assignee');
    params.assignee = f.assignee;
  }
  if (f.overdueAt) {
    clauses.push(walkQueue ? '+running_due_at < @overdueAt' : 'running_due_at IS NOT NULL AND running_due_at < @overdueAt');
    params.overdueAt = f.overdueAt;
  }
  // The day of filing is in the ticket number (QX + YYMMDD), the same on both backends.
  if (f.filedFrom) {
    clauses.push('substr(id, 3, 6) >= @filedFrom');
    params.filedFrom = idDay(f.filedFrom);
  }
  if (f.filedTo) {
    clauses.push('substr(id, 3, 6) <= @filedTo');
    params.filedTo = idDay(f.filedTo);
  }
  // The status tab's own tokens when the status is part of this clause (see searchMatch).
  const match = f.q ? searchMatch(f.q, withStatus && f.status ? [f.status] : undefined) : null;
  if (match) {
    // Two characters or more: the search index (ticket-aggregates.ts), no scan.
    clauses.push(`${walkQueue ? '+rowid' : 'rowid'} IN (SELECT rowid FROM ticket_search WHERE ticket_search MATCH @match)`);
    params.match = match;
  } else if (f.q) {
    // A single character: LIKE is case-insensitive for ASCII in SQLite; wildcards typed by staff are taken literally.
    clauses.push(`(id LIKE @q ESCAPE '\\' OR phone LIKE @q ESCAPE '\\' OR employer LIKE @q ESCAPE '\\')`);
    params.q = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}
