/**
 * The staff queue on Redis. Sorted sets per status (and for all tickets) hold the queue order; sets
 * per kind, county and assignee narrow it with ZINTER (the sets weigh 0, so the queue score is kept);
 * the running-deadline sorted set answers "overdue"; a search of two characters or more is answered by
 * the search index in one script call (ticket-search-index.ts), a one-character search scans the
 * id → text hash. A status tab without other filters is plain ZCARD + ZRANGE.
 * All reads go out as one pipeline, so a filtered page costs one or two round trips.
 */
import type { Redis } from 'ioredis';
import {
  emptyStatusCounts,
  idDay,
  TICKET_STATUSES,
  type ParsedTicketFilter,
  type Ticket,
  type TicketPage,
  type TicketStatus,
} from '../../tickets/types.js';
import type { ScriptRunner } from './define-script.js';
import type { RedisKeys } from './keys.js';
import { indexable, searchTickets } from './ticket-search-index.js';

/** `search`: the search-tickets script (ticket-search-index.ts); the index must be complete (ensureSearchIndex). */
export async function listTickets(redis: Redis, keys: RedisKeys, f: ParsedTicketFilter, search?: ScriptRunner): Promise<TicketPage> {
  const narrowed = f.kind || f.county || f.assignee !== undefined || f.overdueAt || f.q || f.filedFrom || f.filedTo;
  // The search index knows no filing dates: a search within a date range filters as before.
  const { ids, total, countsByStatus } =
    f.q && search && indexable(f.q) && !f.filedFrom && !f.filedTo
      ? await searchTickets(search, keys, f)
      : narrowed
        ? await filtered(redis, keys, f)
        : await fromIndexes(redis, keys, f);
  return { tickets: await loadTickets(redis, keys, ids), total, countsByStatus };
}

export async function loadTickets(redis: Redis, keys: RedisKeys, ids: readonly string[]): Promise<Ticket[]> {
  if (ids.length === 0) return [];
  const pipe = redis.pipeline();
  for (const id of ids) pipe.hget(keys.ticket(id), 'data');
  return ((await pipe.exec()) ?? []).flatMap(([err, raw]) => {
    if (err) throw err;
    return typeof raw === 'string' ? [JSON.parse(raw) as Ticket] : [];
  });
}

interface Selection {
  ids: string[];
  total: number;
  countsByStatus: Record<TicketStatus, number>;
}

async function fromIndexes(redis: Redis, keys: RedisKeys, f: ParsedTicketFilter): Promise<Selection> {
  const pipe = redis.pipeline();
  for (const s of TICKET_STATUSES) pipe.zcard(keys.ticketsByStatus(s));
  pipe.zrange(f.status ? keys.ticketsByStatus(f.status) : keys.ticketsAll(), f.offset, String(f.offset + f.limit - 1));
  const res = (await pipe.exec()) ?? [];
  const countsByStatus = emptyStatusCounts();
  TICKET_STATUSES.forEach((s, i) => (countsByStatus[s] = Number(res[i]?.[1] ?? 0)));
  const ids = (res[TICKET_STATUSES.length]?.[1] ?? []) as string[];
  const total = f.status ? countsByStatus[f.status] : Object.values(countsByStatus).reduce((a, b) => a + b, 0);
  return { ids, total, countsByStatus };
}

async function filtered(redis: Redis, keys: RedisKeys, f: ParsedTicketFilter): Promise<Selection> {
  const sets: string[] = [];
  if (f.kind) sets.push(keys.ticketsByKind(f.kind));
  if (f.county) sets.push(keys.ticketsByCounty(f.county));
  if (f.assignee !== undefined) sets.push(keys.ticketsByAssignee(f.assignee));

  const pipe = redis.pipeline();
  for (const s of TICKET_STATUSES) {
    const zset = keys.ticketsByStatus(s);
    if (sets.length === 0) pipe.zrange(zset, 0, '-1', 'WITHSCORES');
    else pipe.zinter(1 + sets.length, zset, ...sets, 'WEIGHTS', 1, ...sets.map(() => 0), 'WITHSCORES');
  }
  if (f.overdueAt) pipe.zrangebyscore(keys.ticketsDue(), '-inf', `(${Date.parse(f.overdueAt)}`);
  if (f.q) pipe.hgetall(keys.ticketSearch());
  const res = (await pipe.exec()) ?? [];
  for (const [err] of res) if (err) throw err;

  let next = TICKET_STATUSES.length;
  const overdue = f.overdueAt ? new Set(res[next++]![1] as string[]) : null;
  const q = f.q?.toLowerCase();
  const search = q ? (res[next++]![1] as Record<string, string>) : null;
  // The day of filing is in the ticket number (QX + YYMMDD), the same on both backends.
  const from = f.filedFrom ? idDay(f.filedFrom) : null;
  const to = f.filedTo ? idDay(f.filedTo) : null;
  const filedIn = (id: string) => (!from || id.slice(2, 8) >= from) && (!to || id.slice(2, 8) <= to);
  const keep = (id: string) => (!overdue || overdue.has(id)) && (!search || (search[id] ?? '').includes(q!)) && filedIn(id);

  const countsByStatus = emptyStatusCounts();
  const selected: Array<{ id: string; score: number }> = [];
  TICKET_STATUSES.forEach((status, i) => {
    const flat = res[i]![1] as string[]; // member, score, member, score …
    for (let j = 0; j < flat.length; j += 2) {
      const id = flat[j]!;
      if (!keep(id)) continue;
      countsByStatus[status]++;
      if (!f.status || f.status === status) selected.push({ id, score: Number(flat[j + 1]) });
    }
  });
  selected.sort((a, b) => a.score - b.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ids = selected.slice(f.offset, f.offset + f.limit).map((s) => s.id);
  return { ids, total: selected.length, countsByStatus };
}
