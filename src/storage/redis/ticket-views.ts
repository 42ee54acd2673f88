/**
 * The staff views over many tickets on Redis, without reading every status set (issue 17: ≤ 50 ms at
 * a million tickets):
 *   - overdue: per status, the open tickets scored by running deadline (keys.ticketsDueOf). The count
 *     per status is one ZCOUNT each. The page, in queue order: for a few matches, their ids by
 *     ZRANGEBYSCORE and their queue scores by ZMSCORE, sorted; for many, the queue order is walked in
 *     chunks and each chunk's deadlines read with ZMSCORE, until the page is full (most open tickets
 *     are overdue then, so the walk is short).
 *   - "assigned to me" and county + kind: per status and assignee, and per status, kind and county,
 *     the tickets in queue order (keys.ticketsOfAssignee, ticketsOfCountyKind). Counts are ZCARDs; the
 *     page merges the first offset+limit of each status's set. One set per combination rather than
 *     intersecting the kind and county sets at read time: ZINTER costs the size of the smallest set
 *     (tens of thousands at a million tickets) on every request, a combination costs one more zset
 *     entry per ticket, kept on every change.
 * The sets are changed with the search index (indexOps appends viewOps), in the same atomic script as
 * the ticket; they are idempotent (remove from the sets of the state before, add to those of the state
 * after), so a store made before them is filled once by ensureViewIndex, each ticket guarded by its
 * revision, and kept by every change from then on.
 */
import type { Redis } from 'ioredis';
import { runningDeadline } from '../../tickets/lifecycle.js';
import { emptyStatusCounts, TICKET_STATUSES, type ParsedTicketFilter, type Ticket, type TicketStatus } from '../../tickets/types.js';
import type { ScriptRunner } from './define-script.js';
import type { RedisKeys } from './keys.js';
import { queueScore } from './ticket-hash.js';

export type Viewed = Pick<Ticket, 'id' | 'status' | 'priority' | 'acceptDueAt' | 'investigationDueAt' | 'assignee' | 'county' | 'kind'>;

/** The view sets a ticket is in, with its score in each. */
function viewEntries(keys: RedisKeys, t: Viewed): Array<[string, number]> {
  const score = queueScore(t);
  const out: Array<[string, number]> = [
    [keys.ticketsOfAssignee(t.status, t.assignee), score],
    [keys.ticketsOfCountyKind(t.status, t.county, t.kind), score],
  ];
  const due = runningDeadline(t);
  if (due !== null) out.push([keys.ticketsDueOf(t.status), Date.parse(due)]);
  return out;
}

/** Operations for search-index.lib.lua: out of the sets of `before` it is no longer in, into (or re-scored in) those of `after`. */
export function viewOps(keys: RedisKeys, before: Viewed | null, after: Viewed): Array<Array<string | number>> {
  const now = viewEntries(keys, after);
  const kept = new Set(now.map(([key]) => key));
  const ops: Array<Array<string | number>> = [];
  for (const [key] of before ? viewEntries(keys, before) : []) if (!kept.has(key)) ops.push(['zrem', key]);
  for (const [key, score] of now) ops.push(['zadd', key, score]);
  return ops;
}

/**
 * Puts every ticket written before the view sets into them, once (the flag says it is done; a store
 * whose first ticket was filed with them sets it then). The search index must be complete first
 * (ensureSearchIndex): its "sx" flag is what makes the change scripts keep a ticket's sets.
 */
export async function ensureViewIndex(redis: Redis, keys: RedisKeys, indexViews: ScriptRunner): Promise<void> {
  if ((await redis.exists(keys.ticketViewsIndexed())) === 1) return;
  const CHUNK = 500;
  for (let start = 0; ; start += CHUNK) {
    const ids = await redis.zrange(keys.ticketsAll(), start, String(start + CHUNK - 1));
    if (ids.length === 0) break;
    const pipe = redis.pipeline();
    for (const id of ids) pipe.hmget(keys.ticket(id), 'data', 'rev');
    const rows = ((await pipe.exec()) ?? []).map(([err, row]) => {
      if (err) throw err;
      return row as Array<string | null>;
    });
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      let [data, rev] = rows[i]!;
      for (let attempt = 0; attempt < 50 && data && rev; attempt++) {
        const t = JSON.parse(data) as Ticket;
        if (Number(await indexViews([keys.ticket(id)], [rev, JSON.stringify(viewOps(keys, null, t)), id])) !== 0) break;
        [data, rev] = await redis.hmget(keys.ticket(id), 'data', 'rev');
      }
    }
  }
  await redis.set(keys.ticketViewsIndexed(), '1');
}

/** Which filters the view sets answer: overdue alone, assignee alone, county + kind alone (each with or without a status tab). */
export function viewable(f: ParsedTicketFilter): boolean {
  if (f.q || f.filedFrom || f.filedTo) return false;
  const overdue = Boolean(f.overdueAt);
  const assignee = f.assignee !== undefined;
  const countyKind = Boolean(f.county && f.kind);
  if (overdue) return !assignee && !f.county && !f.kind;
  if (assignee) return !f.county && !f.kind;
  return countyKind;
}

export interface ViewSelection {
  ids: string[];
  total: number;
  countsByStatus: Record<TicketStatus, number>;
}

/** Above this many overdue matches the page walks the queue order rather than sorting them all. */
const WALK_ABOVE = 2000;
const WALK_CHUNK = 1000;

/** `walkAbove`: the overdue matches above which the page walks the queue order (a parameter for tests). */
export async function listView(redis: Redis, keys: RedisKeys, f: ParsedTicketFilter, walkAbove = WALK_ABOVE): Promise<ViewSelection> {
  const statuses: readonly TicketStatus[] = f.status ? [f.status] : (TICKET_STATUSES as readonly TicketStatus[]);
  const countsByStatus = emptyStatusCounts();
  if (f.overdueAt) {
    const before = `(${Date.parse(f.overdueAt)}`;
    const pipe = redis.pipeline();
    for (const s of TICKET_STATUSES) pipe.zcount(keys.ticketsDueOf(s), '-inf', before);
    const res = (await pipe.exec()) ?? [];
    TICKET_STATUSES.forEach((s, i) => (countsByStatus[s] = Number(resultOf(res, i))));
    const total = statuses.reduce((sum, s) => sum + countsByStatus[s], 0);
    const ids = total <= walkAbove ? await overdueFew(redis, keys, statuses, before, f) : await overdueWalk(redis, keys, f, Date.parse(f.overdueAt));
    return { ids, total, countsByStatus };
  }
  const setOf = (s: TicketStatus) =>
    f.assignee !== undefined ? keys.ticketsOfAssignee(s, f.assignee) : keys.ticketsOfCountyKind(s, f.county!, f.kind!);
  const pipe = redis.pipeline();
  for (const s of TICKET_STATUSES) pipe.zcard(setOf(s));
  for (const s of statuses) pipe.zrange(setOf(s), 0, String(f.offset + f.limit - 1), 'WITHSCORES');
  const res = (await pipe.exec()) ?? [];
  TICKET_STATUSES.forEach((s, i) => (countsByStatus[s] = Number(resultOf(res, i))));
  const merged: Array<{ id: string; score: number }> = [];
  statuses.forEach((_, i) => {
    const flat = resultOf(res, TICKET_STATUSES.length + i) as string[];
    for (let j = 0; j < flat.length; j += 2) merged.push({ id: flat[j]!, score: Number(flat[j + 1]) });
  });
  return {
    ids: byQueueOrder(merged).slice(f.offset, f.offset + f.limit).map((m) => m.id),
    total: statuses.reduce((sum, s) => sum + countsByStatus[s], 0),
    countsByStatus,
  };
}

function resultOf(res: Array<[Error | null, unknown]>, i: number): unknown {
  const [err, value] = res[i] ?? [new Error(`no reply ${i}`), null];
  if (err) throw err;
  return value;
}

/** Queue order: the score, then the id (as the sorted sets and SQLite order ties). */
function byQueueOrder<T extends { id: string; score: number }>(xs: T[]): T[] {
  return xs.sort((a, b) => a.score - b.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

async function overdueFew(redis: Redis, keys: RedisKeys, statuses: readonly TicketStatus[], before: string, f: ParsedTicketFilter): Promise<string[]> {
  const pipe = redis.pipeline();
  for (const s of statuses) pipe.zrangebyscore(keys.ticketsDueOf(s), '-inf', before);
  const ids = ((await pipe.exec()) ?? []).flatMap((_, i, res) => resultOf(res, i) as string[]);
  if (ids.length === 0) return [];
  const scores = await redis.zmscore(keys.ticketsAll(), ...ids);
  return byQueueOrder(ids.map((id, i) => ({ id, score: Number(scores[i]) })))
    .slice(f.offset, f.offset + f.limit)
    .map((m) => m.id);
}

async function overdueWalk(redis: Redis, keys: RedisKeys, f: ParsedTicketFilter, beforeMs: number): Promise<string[]> {
  const order = f.status ? keys.ticketsByStatus(f.status) : keys.ticketsAll();
  const found: string[] = [];
  for (let start = 0; found.length < f.offset + f.limit; start += WALK_CHUNK) {
    const ids = await redis.zrange(order, start, String(start + WALK_CHUNK - 1));
    if (ids.length === 0) break;
    const due = await redis.zmscore(keys.ticketsDue(), ...ids);
    ids.forEach((id, i) => {
      const d = due[i];
      if (d !== null && d !== undefined && Number(d) < beforeMs) found.push(id);
    });
  }
  return found.slice(f.offset, f.offset + f.limit);
}
