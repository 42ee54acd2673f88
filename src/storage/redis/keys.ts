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

    // tickets: one hash per ticket (JSON + the flat fields the list scanner reads)
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
    /** One filer's tickets scored by creation time (ms). */
    ticketsByOwner: (channel: string, userId: string) => `${p}tickets:owner:${channel}:${userId}`,

    // notifications outbox
    outboxEntries: () => `${p}outbox:entries`,
    outboxDelivered: () => `${p}outbox:delivered`,
    /** Undelivered entry ids scored by outboxSeq, so they come out in the order they were written. */
    outboxPending: () => `${p}outbox:pending`,
    outboxSeq: () => `${p}outbox:seq`,
  };
}
