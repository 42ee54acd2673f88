/**
 * Staff search on Redis without a scan (Redis 7 without modules: no RediSearch). The index works on
 * a ticket's search terms — its employer, its phone's digits, its phone as written when that differs,
 * its id — each tagged by field ("e:", "p:", "w:", "i:") and lower-cased:
 *   - gram sets: for each pair of characters, the terms containing it (`tickets:gram:<pair>`);
 *   - for an employer, shared by many tickets: per status, its tickets scored in queue order, and its
 *     counts per status (keys.ts ticketTerm, ticketTermCounts). The id and phone terms belong to one
 *     ticket and carry its id; the ticket's hash holds its status and queue score ("st", "qs").
 * A query of two characters or more intersects the gram sets of its pairs (SINTER, smallest first),
 * keeps the terms that really contain it, and takes counts and the page from those terms
 * (search-tickets-0.lua). A one-character query still scans the id → text hash, as before.
 *
 * Why pairs over distinct terms, not trigrams or a sorted-set prefix index: Chinese employer names are
 * searched by two characters (宏达), below a trigram; a prefix index would find 宏达 in
 * 平顶山市宏达建筑 only by storing every suffix of every ticket's texts. An employer shared by thousands
 * of tickets is one member of each of its pairs' sets, so for employers the gram sets grow with
 * distinct names, not with tickets; a ticket costs one zset entry for its employer, and its id's and
 * phone's pairs (about 25 set members).
 *
 * The change scripts apply the operations worked out here (indexOps) in the same atomic call as the
 * ticket itself, so the index never disagrees with the tickets. Tickets written before the index
 * existed are added once (ensureSearchIndex), each by a script guarded by its revision.
 */
import type { Redis } from 'ioredis';
import { phoneDigits } from '../sqlite/ticket-aggregates.js';
import { TICKET_STATUSES, type ParsedTicketFilter, type Ticket, type TicketStatus } from '../../tickets/types.js';
import { queueScore } from './ticket-hash.js';
import type { ScriptRunner } from './define-script.js';
import type { RedisKeys } from './keys.js';
import { viewOps, type Viewed } from './ticket-views.js';

type Indexed = Viewed & Pick<Ticket, 'phone' | 'employer'>;

/**
 * A ticket's search terms, tagged by field, lower-cased. The employer ("e:") is shared by many tickets;
 * the others belong to one ticket and carry its id after a NUL: "i:<id>", "p:<phone digits>\0<id>",
 * "w:<phone as written>\0<id>" (the id's own text is lower-cased when matched).
 */
export function searchTerms(t: Pick<Ticket, 'id' | 'phone' | 'employer'>): string[] {
  const terms = [`i:${t.id}`];
  if (t.employer) terms.push(`e:${t.employer.toLowerCase()}`);
  const digits = phoneDigits(t.phone);
  if (digits) terms.push(`p:${digits}\0${t.id}`);
  if (t.phone && t.phone.toLowerCase() !== digits) terms.push(`w:${t.phone.toLowerCase()}\0${t.id}`);
  return terms;
}

/** The distinct pairs of characters of a text, lower-cased (none for one character). */
export function charPairs(text: string): string[] {
  const chars = Array.from(text.toLowerCase());
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) pairs.add(chars[i]! + chars[i + 1]!);
  return [...pairs];
}

/** The text a term is matched on: without its tag and the id it carries. */
const termText = (term: string) => term.slice(2).split('\0')[0]!.toLowerCase();
const shared = (term: string) => term.startsWith('e:');

export type SearchOp = Array<string | number>;

/**
 * What changes in the index when a ticket goes from `before` (null: filed now) to `after`: for the
 * search-index.lib.lua applier. A shared term kept with the same status only moves its score; the
 * ticket's hash gets its status and queue score, which a search reads for the one-ticket terms.
 */
export function indexOps(keys: RedisKeys, before: Indexed | null, after: Indexed): SearchOp[] {
  const ops: SearchOp[] = [];
  const was = new Set(before ? searchTerms(before) : []);
  const now = new Set(searchTerms(after));
  const grams = (term: string) => charPairs(termText(term)).map((g) => keys.ticketGram(g));
  const score = queueScore(after);
  ops.push(['hset', keys.ticket(after.id), 'st', after.status, 'qs', score]);
  for (const term of was) {
    if (now.has(term)) continue;
    if (!shared(term)) ops.push(['srem', term, ...grams(term)]);
    else {
      ops.push(['zrem', keys.ticketTerm(before!.status, term)], ['hincr', keys.ticketTermCounts(term), before!.status, -1]);
      ops.push(['unref', keys.ticketTermCounts(term), term, ...grams(term)]);
    }
  }
  for (const term of now) {
    if (!shared(term)) {
      if (!was.has(term)) ops.push(['sadd', term, ...grams(term)]);
      continue;
    }
    const counts = keys.ticketTermCounts(term);
    if (was.has(term) && before!.status !== after.status) {
      ops.push(['zrem', keys.ticketTerm(before!.status, term)], ['hincr', counts, before!.status, -1], ['hincr', counts, after.status, 1]);
    } else if (!was.has(term)) {
      ops.push(['hincr', counts, after.status, 1], ['ref', counts, term, ...grams(term)]);
    }
    ops.push(['zadd', keys.ticketTerm(after.status, term), score]);
  }
  // The staff-view sets (ticket-views.ts) move with the same change.
  ops.push(...viewOps(keys, before, after));
  return ops;
}

/** True when the query can use the index (two characters or more). */
export function indexable(q: string): boolean {
  return charPairs(q).length > 0;
}

export interface SearchResult {
  ids: string[];
  total: number;
  countsByStatus: Record<TicketStatus, number>;
}

/** The page and counts for a filter with q (two characters or more), from the index. */
export async function searchTickets(search: ScriptRunner, keys: RedisKeys, f: ParsedTicketFilter): Promise<SearchResult> {
  const q = f.q!.toLowerCase();
  const sets: string[] = [];
  if (f.kind) sets.push(keys.ticketsByKind(f.kind));
  if (f.county) sets.push(keys.ticketsByCounty(f.county));
  if (f.assignee !== undefined) sets.push(keys.ticketsByAssignee(f.assignee));
  const narrow = { sets, ...(f.overdueAt ? { due: keys.ticketsDue(), before: Date.parse(f.overdueAt) } : {}) };
  const out = (await search(
    [],
    [
      q,
      keys.ticketTermPrefix(),
      keys.ticketTermCountsPrefix(),
      keys.ticket(''),
      JSON.stringify(TICKET_STATUSES),
      f.status ?? '',
      f.offset,
      f.limit,
      JSON.stringify(narrow),
      ...charPairs(q).map((g) => keys.ticketGram(g)),
    ],
  )) as Array<number | string>;
  const countsByStatus = Object.fromEntries(TICKET_STATUSES.map((s, i) => [s, Number(out[i])])) as Record<TicketStatus, number>;
  return { countsByStatus, total: Number(out[TICKET_STATUSES.length]), ids: out.slice(TICKET_STATUSES.length + 1).map(String) };
}

/**
 * Puts every ticket written before the index existed into it, once (the flag key says it is done; a
 * store whose first ticket was filed with the index sets it then); the first search after an upgrade
 * pays for it. Tickets changing meanwhile are re-read and retried.
 */
export async function ensureSearchIndex(redis: Redis, keys: RedisKeys, indexTicket: ScriptRunner): Promise<void> {
  if ((await redis.exists(keys.ticketSearchIndexed())) === 1) return;
  const CHUNK = 500;
  for (let start = 0; ; start += CHUNK) {
    const ids = await redis.zrange(keys.ticketsAll(), start, String(start + CHUNK - 1));
    if (ids.length === 0) break;
    const pipe = redis.pipeline();
    for (const id of ids) pipe.hmget(keys.ticket(id), 'data', 'rev', 'sx');
    const rows = ((await pipe.exec()) ?? []).map(([err, row]) => {
      if (err) throw err;
      return row as Array<string | null>;
    });
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      let [data, rev, indexed] = rows[i]!;
      for (let attempt = 0; attempt < 50 && data && rev && indexed !== '1'; attempt++) {
        const t = JSON.parse(data) as Ticket;
        if (Number(await indexTicket([keys.ticket(id)], [rev, JSON.stringify(indexOps(keys, null, t)), id])) !== 0) break;
        [data, rev, indexed] = await redis.hmget(keys.ticket(id), 'data', 'rev', 'sx');
      }
    }
  }
  await redis.set(keys.ticketSearchIndexed(), '1');
}
