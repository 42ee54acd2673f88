/**
 * Every Redis key name the project uses, in one place. The prefix (default "epa:") lets several
 * deployments or test runs share one Redis without seeing each other's data.
 */
export const DEFAULT_KEY_PREFIX = 'epa:';

export type RedisKeys = ReturnType<typeof createRedisKeys>;

export function createRedisKeys(prefix: string = DEFAULT_KEY_PREFIX) {
  const p = prefix;
  return {
    prefix: p,
    // sessions and per-sender counters
    session: (key: string) => `${p}session:${key}`,
    seen: (scope: string, id: string) => `${p}seen:${scope}:${id}`,
    hits: (key: string) => `${p}hits:${key}`,
    /** Short locks (one conversation turn at a time across gateways). */
    lock: (key: string) => `${p}lock:${key}`,
    /** A capped tally: sorted set of members by latest time, hash of counts, hash of first info. */
    tally: (key: string, part: 'z' | 'count' | 'info') => `${p}tally:${key}:${part}`,

    // tickets: one hash per ticket (JSON + revision) and the indexes the queue reads
    ticket: (id: string) => `${p}ticket:${id}`,
    ticketEvents: (id: string) => `${p}ticket:${id}:events`,
    ticketIdempotency: (key: string) => `${p}tickets:idem:${key}`,
    /** Every ticket, scored in queue order (priority desc, then acceptDueAt asc). */
    ticketsAll: () => `${p}tickets:all`,
    /** Tickets of one status, same score as ticketsAll. */
    ticketsByStatus: (status: string) => `${p}tickets:status:${status}`,
    /** New tickets nobody holds: the work queue claimNext takes from. */
    ticketsClaimable: () => `${p}tickets:claimable`,
    /** Leased tickets scored by lease expiry (ms since epoch). */
    ticketLeases: () => `${p}tickets:leases`,
    /** Tickets with a running deadline, scored by it (ms): the overdue filter. */
    ticketsDue: () => `${p}tickets:due`,
    /** One filer's tickets scored by creation time (ms). */
    ticketsByOwner: (channel: string, userId: string) => `${p}tickets:owner:${channel}:${userId}`,
    /** Sets of ids per kind, per county ("" = unknown) and per assignee ("" = unassigned). */
    ticketsByKind: (kind: string) => `${p}tickets:kind:${kind}`,
    ticketsByCounty: (county: string | null) => `${p}tickets:county:${county ?? ''}`,
    ticketsByAssignee: (assignee: string | null) => `${p}tickets:assignee:${assignee ?? ''}`,
    /** id → lower-cased "id, phone, employer", scanned by the search box. */
    ticketSearch: () => `${p}tickets:search`,
    /**
     * The search index (ticket-search-index.ts). Terms are a ticket's searchable values, tagged by
     * field: "e:<employer>", "p:<phone digits>", "w:<phone as written>", "i:<ticket id>".
     * gram: the terms containing a pair of characters; term: one status's tickets with that term,
     * scored in queue order; termCounts: that term's tickets per status and in all ("n").
     */
    ticketGram: (pair: string) => `${p}tickets:gram:${pair}`,
    ticketTerm: (status: string, term: string) => `${p}tickets:term:${status}:${term}`,
    ticketTermCounts: (term: string) => `${p}tickets:termcount:${term}`,
    /** The two above as prefixes, for the search script, which builds them as prefix + status + ":" + term and prefix + term. */
    ticketTermPrefix: () => `${p}tickets:term:`,
    ticketTermCountsPrefix: () => `${p}tickets:termcount:`,
    /** Set once every ticket is in the search index (until then search scans ticketSearch). */
    ticketSearchIndexed: () => `${p}tickets:searchindexed`,
    /**
     * The staff views over many tickets (ticket-views.ts), kept with the search index: per status,
     * open tickets scored by running deadline (ms: overdue = ZCOUNT, ZRANGEBYSCORE); per status and
     * assignee ("" = nobody), and per status, kind and county ("" = unknown), tickets in queue order.
     */
    ticketsDueOf: (status: string) => `${p}tickets:vdue:${status}`,
    ticketsOfAssignee: (status: string, assignee: string | null) => `${p}tickets:vasg:${status}:${assignee ?? ''}`,
    ticketsOfCountyKind: (status: string, county: string | null, kind: string) => `${p}tickets:vck:${status}:${kind}:${county ?? ''}`,
    /** Set once every ticket is in the view sets above (until then the views read the status sets). */
    ticketViewsIndexed: () => `${p}tickets:viewsindexed`,
    /** id → the few fields the dashboard needs, as JSON. */
    ticketStats: () => `${p}tickets:stats`,
    /** Dashboard counters: "status:<s>", "day:<China day>", "county:<c>" → count ("_init" once filled). */
    ticketCounts: () => `${p}tickets:counts`,
    /** Accepted tickets scored by ms from filing to acceptance: the median is one rank look-up. */
    ticketsAcceptMs: () => `${p}tickets:acceptms`,

    // notifications outbox
    outboxEntries: () => `${p}outbox:entries`,
    outboxDelivered: () => `${p}outbox:delivered`,
    /** Undelivered entry ids scored by outboxSeq, so they come out in the order they were written. */
    outboxPending: () => `${p}outbox:pending`,
    outboxSeq: () => `${p}outbox:seq`,
  };
}
