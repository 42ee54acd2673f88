/**
 * Redis TicketStore, shared by every gateway process. A hash per ticket (JSON + revision), sorted
 * sets per status and for all tickets in queue order, index sets per kind/county/assignee, a list of
 * events per ticket, an outbox hash with a pending sorted set (keys.ts names them all). Each change
 * is computed in TypeScript (ticket-changes.ts) and written by one Lua script call, guarded by the
 * ticket's revision (optimistic concurrency: a concurrent writer makes the script refuse, we re-read
 * and recompute). Filing is one script keyed by the idempotency key.
 *
 * Work queue: not Redis Streams. A stream hands entries out in arrival order, while staff must get the
 * highest-priority ticket first, and a stream entry cannot be re-ranked. The equivalent used here: the
 * `claimable` sorted set (new, unheld tickets in priority order) is the queue, and the `leases`
 * sorted set (scored by expiry) plays the part of the pending-entries list: claimNext first frees
 * expired leases (what XAUTOCLAIM does for idle entries), then takes the head with a compare-and-set,
 * so two staff never get the same ticket and a vanished handler's ticket returns to the queue.
 *
 * Durability: see durability.ts — every method resolves only after the write is in the fsynced AOF.
 */
import type { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import type { Channel } from '../../core/types.js';
import { ApiError } from '../../server/errors.js';
import { loggerOptions } from '../../server/logger.js';
import { isClaimable } from '../../tickets/lifecycle.js';
import * as changes from '../../tickets/ticket-changes.js';
import type { TicketChange } from '../../tickets/ticket-changes.js';
import { TicketConflictError, TicketNotFoundError } from '../../tickets/ticket-errors.js';
import { newTicketId } from '../../tickets/ticket-id.js';
import * as retention from '../../tickets/retention.js';
import { UNKNOWN_COUNTY, type StatsRow } from '../../tickets/ticket-stats.js';
import {
  systemClock,
  type Clock,
  type TicketStore,
  type TicketStoreOptions,
  type TransitionOptions,
} from '../../tickets/ticket-store.js';
import {
  emptyStatusCounts,
  FileTicketInputSchema,
  TicketFilterSchema,
  type Actor,
  type FileTicketInput,
  type OutboxEntry,
  type Ticket,
  type TicketEvent,
  type TicketFilter,
  type TicketPage,
  type TicketStats,
  type TicketStatus,
} from '../../tickets/types.js';
import { defineScript, type ScriptRunner } from './define-script.js';
import { detectDurability, waitAof, type DurabilityReport } from './durability.js';
import type { RedisKeys } from './keys.js';
import { quietQuit } from './session-store.js';
import { statsRow, ticketEntries } from './ticket-hash.js';
import { listTickets, loadTickets } from './ticket-list.js';
import { ensureSearchIndex, indexOps } from './ticket-search-index.js';
import { ensureViewIndex, listView, viewable } from './ticket-views.js';

const MAX_ATTEMPTS = 50;

export interface RedisTicketStoreOptions extends TicketStoreOptions {
  /** Close the connection on close() (true when the store created it). */
  ownsConnection?: boolean;
  logger?: Pick<Logger, 'warn'>;
}

export class RedisTicketStore implements TicketStore {
  private readonly clock: Clock;
  private readonly newId: (now: Date) => string;
  private readonly fileScript: ScriptRunner;
  private readonly applyScript: ScriptRunner;
  private readonly searchScript: ScriptRunner;
  private readonly indexScript: ScriptRunner;
  private searchIndexed: Promise<void> | null = null;
  private readonly indexViewsScript: ScriptRunner;
  private viewsIndexed: Promise<void> | null = null;
  private durability: Promise<DurabilityReport> | null = null;
  private readonly log: Pick<Logger, 'warn'>;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly options: RedisTicketStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.newId = options.newId ?? newTicketId;
    this.log = options.logger ?? pino(loggerOptions(process.env.LOG_LEVEL ?? 'info'));
    const libs = [new URL('./ticket-counts.lib.lua', import.meta.url), new URL('./search-index.lib.lua', import.meta.url)];
    this.fileScript = defineScript(redis, new URL('./file-ticket-15.lua', import.meta.url), libs);
    this.applyScript = defineScript(redis, new URL('./apply-ticket-change-21.lua', import.meta.url), libs);
    this.searchScript = defineScript(redis, new URL('./search-tickets-0.lua', import.meta.url));
    this.indexScript = defineScript(redis, new URL('./index-ticket-1.lua', import.meta.url), libs.slice(1));
    this.indexViewsScript = defineScript(redis, new URL('./index-views-1.lua', import.meta.url), libs.slice(1));
  }

  async file(input: FileTicketInput, idempotencyKey: string): Promise<{ ticket: Ticket; created: boolean }> {
    const data = FileTicketInputSchema.parse(input);
    if (!idempotencyKey) throw new ApiError('BAD_REQUEST', 'idempotencyKey is required');
    const k = this.keys;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const now = this.clock();
      const id = this.newId(now);
      const { ticket, events } = changes.newTicket(id, data, now, idempotencyKey);
      const e = ticketEntries(ticket);
      const [outcome, existingId] = (await this.fileScript(
        [
          k.ticketIdempotency(idempotencyKey),
          k.ticket(id),
          k.ticketEvents(id),
          k.ticketsAll(),
          k.ticketsByStatus('new'),
          k.ticketsClaimable(),
          k.ticketsByOwner(ticket.channel, ticket.userId),
          k.ticketsDue(),
          k.ticketSearch(),
          k.ticketStats(),
          k.ticketsByKind(ticket.kind),
          k.ticketsByCounty(ticket.county),
          k.ticketsByAssignee(null),
          k.ticketCounts(),
          k.ticketsAcceptMs(),
        ],
        [id, e.data, e.rev, e.score, Date.parse(ticket.createdAt), e.dueMs, e.search, e.stats, JSON.stringify(events[0]), JSON.stringify(indexOps(k, null, ticket)), k.ticketSearchIndexed(), k.ticketViewsIndexed()],
      )) as [string, string];
      if (outcome === 'collision') continue;
      await this.durable();
      if (outcome === 'created') return { ticket, created: true };
      return { ticket: await this.mustRead(existingId), created: false };
    }
    throw new ApiError('UNAVAILABLE', 'could not draw a free ticket id');
  }

  async get(id: string): Promise<Ticket | null> {
    return this.read(id);
  }

  async getForOwner(id: string, channel: Channel, userId: string): Promise<Ticket | null> {
    const t = await this.read(id);
    return t && t.channel === channel && t.userId === userId ? t : null;
  }

  async findForOwner(channel: Channel, userId: string, limit = 20): Promise<Ticket[]> {
    const ids = await this.redis.zrevrange(this.keys.ticketsByOwner(channel, userId), 0, limit - 1);
    return loadTickets(this.redis, this.keys, ids);
  }

  async list(filter: TicketFilter = {}): Promise<TicketPage> {
    const f = TicketFilterSchema.parse(filter);
    if (f.q) {
      // Tickets from before the search index are added to it once, by the first search.
      this.searchIndexed ??= ensureSearchIndex(this.redis, this.keys, this.indexScript).catch((err: unknown) => {
        this.searchIndexed = null;
        throw err;
      });
      await this.searchIndexed;
    }
    if (viewable(f)) {
      // Tickets from before the view sets are added to them once, by the first such view.
      this.viewsIndexed ??= (async () => {
        await ensureSearchIndex(this.redis, this.keys, this.indexScript);
        await ensureViewIndex(this.redis, this.keys, this.indexViewsScript);
      })().catch((err: unknown) => {
        this.viewsIndexed = null;
        throw err;
      });
      await this.viewsIndexed;
      const { ids, total, countsByStatus } = await listView(this.redis, this.keys, f);
      return { tickets: await loadTickets(this.redis, this.keys, ids), total, countsByStatus };
    }
    return listTickets(this.redis, this.keys, f, this.searchScript);
  }

  async transition(id: string, to: TicketStatus, options: TransitionOptions): Promise<Ticket> {
    return (await this.mutate(id, (t, now) => changes.transitionChange(t, to, options, now))).ticket;
  }

  async claim(id: string, staff: string, leaseMs?: number): Promise<Ticket> {
    return (await this.mutate(id, (t, now) => changes.claimChange(t, staff, leaseMs, now))).ticket;
  }

  async renewLease(id: string, staff: string, leaseMs: number): Promise<Ticket> {
    return (await this.mutate(id, (t, now) => changes.renewChange(t, staff, leaseMs, now))).ticket;
  }

  async release(id: string, staff: string): Promise<Ticket> {
    return (await this.mutate(id, (t, now) => changes.releaseChange(t, staff, now))).ticket;
  }

  async assign(id: string, assignee: string | null, actor: Actor): Promise<Ticket> {
    return (await this.mutate(id, (t, now) => changes.assignChange(t, assignee, actor, now))).ticket;
  }

  async addNote(id: string, actor: Actor, text: string): Promise<TicketEvent> {
    return (await this.mutate(id, (t, now) => changes.noteChange(t, actor, text, now))).events[0]!;
  }

  async reply(id: string, actor: Actor, text: string): Promise<{ event: TicketEvent; notification: OutboxEntry }> {
    const change = await this.mutate(id, (t, now) => changes.replyChange(t, actor, text, now));
    return { event: change.events[0]!, notification: change.notification! };
  }

  async recordView(id: string, actor: Actor): Promise<TicketEvent> {
    return (await this.mutate(id, (t, now) => changes.viewChange(t, actor, now))).events[0]!;
  }

  async events(id: string): Promise<TicketEvent[]> {
    const raw = await this.redis.lrange(this.keys.ticketEvents(id), 0, -1);
    return raw.map((r) => JSON.parse(r) as TicketEvent);
  }

  async claimNext(staff: string, leaseMs: number): Promise<Ticket | null> {
    await this.reclaimExpired();
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const [head] = await this.redis.zrange(this.keys.ticketsClaimable(), 0, '0');
      if (!head) return null;
      const t = await this.read(head);
      if (!t || !isClaimable(t)) continue; // taken meanwhile; its script removes it from the queue
      const change = changes.claimChange(t, staff, leaseMs, this.clock());
      if ((await this.applyChange(t, change)) === 1) {
        await this.durable();
        return change.ticket;
      }
    }
    throw new ApiError('UNAVAILABLE', 'work queue too busy, try again');
  }

  async reclaimExpired(): Promise<number> {
    const expired = await this.redis.zrangebyscore(this.keys.ticketLeases(), '-inf', this.clock().getTime());
    let freed = 0;
    for (const id of expired) {
      const change = await this.mutateMaybe(id, (t, now) => changes.expireLeaseChange(t, now));
      if (change) freed++;
    }
    return freed;
  }

  async pendingNotifications(limit = 100): Promise<OutboxEntry[]> {
    const ids = await this.redis.zrange(this.keys.outboxPending(), 0, String(limit - 1));
    if (ids.length === 0) return [];
    const raw = await this.redis.hmget(this.keys.outboxEntries(), ...ids);
    return raw.flatMap((r) => (r ? [JSON.parse(r) as OutboxEntry] : []));
  }

  async markDelivered(id: string): Promise<void> {
    await this.redis
      .multi()
      .zrem(this.keys.outboxPending(), id)
      .hsetnx(this.keys.outboxDelivered(), id, this.clock().toISOString())
      .exec();
    await this.durable();
  }

  async anonymiseClosed(closedBefore: Date, retentionDays: number, limit = 500): Promise<string[]> {
    const k = this.keys;
    const done: string[] = [];
    let outbox: Map<string, OutboxEntry[]> | null = null;
    for (const id of await this.redis.zrange(k.ticketsByStatus('closed'), '0', '-1')) {
      if (done.length >= limit) break;
      const before = await this.read(id);
      if (!before || !retention.isDueForAnonymising(before, closedBefore)) continue;
      // First what hangs off the ticket (idempotent, so a run cut short is completed by the next one),
      // then the ticket itself with its indexes through the same script as every change.
      outbox ??= await this.outboxByTicket();
      await this.scrubRecords(before, outbox.get(id) ?? []);
      const change = await this.mutateMaybe(id, (t, now) =>
        retention.isDueForAnonymising(t, closedBefore) ? retention.anonymiseChange(t, now, retentionDays) : null,
      );
      if (change) done.push(id);
    }
    return done;
  }

  /** Every outbox entry by ticket (one HGETALL; the retention job runs daily). */
  private async outboxByTicket(): Promise<Map<string, OutboxEntry[]>> {
    const byTicket = new Map<string, OutboxEntry[]>();
    for (const raw of Object.values(await this.redis.hgetall(this.keys.outboxEntries()))) {
      const n = JSON.parse(raw) as OutboxEntry;
      byTicket.set(n.ticketId, [...(byTicket.get(n.ticketId) ?? []), n]);
    }
    return byTicket;
  }

  /** The ticket's events, notifications, owner index entry and idempotency record without personal data. */
  private async scrubRecords(t: Ticket, notifications: OutboxEntry[]): Promise<void> {
    const k = this.keys;
    const now = this.clock();
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const raw = await this.redis.lrange(k.ticketEvents(t.id), 0, -1);
      const events = raw.map((r) => JSON.parse(r) as TicketEvent);
      const key = events.find((e) => e.type === 'filed')?.data.idempotencyKey;
      // Rewrites the list only if no event was appended meanwhile (its length is unchanged).
      const replaced = await this.redis.eval(
        `if redis.call('LLEN', KEYS[1]) ~= tonumber(ARGV[1]) then return 0 end
         redis.call('DEL', KEYS[1])
         for i = 2, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
         return 1`,
        1,
        k.ticketEvents(t.id),
        String(events.length),
        ...events.map((e) => JSON.stringify(retention.scrubEvent(e))),
      );
      if (Number(replaced) !== 1) continue;
      const multi = this.redis.multi().zrem(k.ticketsByOwner(t.channel, t.userId), t.id);
      if (typeof key === 'string') multi.del(k.ticketIdempotency(key));
      for (const n of notifications) {
        const x = retention.scrubNotification(n, now);
        multi.hset(k.outboxEntries(), n.id, JSON.stringify(x)).zrem(k.outboxPending(), n.id).hsetnx(k.outboxDelivered(), n.id, x.deliveredAt!);
      }
      await multi.exec();
      return;
    }
    throw new TicketConflictError(`工单 ${t.id} 正在被频繁修改，请稍后重试`, t.id);
  }

  /**
   * From the counters the scripts keep (status, day, county), the acceptance-time sorted set (median by
   * rank) and the running-deadline sorted set (overdue = one ZCOUNT): no read of every ticket. The
   * first call on data written before the counters existed fills them (initCounts).
   */
  async stats(now: Date = this.clock()): Promise<TicketStats> {
    const k = this.keys;
    let counts = await this.redis.hgetall(k.ticketCounts());
    if (!counts._init) {
      await this.initCounts();
      counts = await this.redis.hgetall(k.ticketCounts());
    }
    const byStatus = emptyStatusCounts();
    const perDay: Array<{ day: string; count: number }> = [];
    const perCounty: Array<{ county: string; count: number }> = [];
    for (const [field, value] of Object.entries(counts)) {
      const n = Number(value);
      if (n <= 0) continue;
      const at = field.indexOf(':');
      const dim = field.slice(0, at);
      const key = field.slice(at + 1);
      if (dim === 'status') byStatus[key as TicketStatus] = n;
      else if (dim === 'day') perDay.push({ day: key, count: n });
      else if (dim === 'county') perCounty.push({ county: key, count: n });
    }
    perDay.sort((a, b) => a.day.localeCompare(b.day));
    perCounty.sort((a, b) => b.count - a.count || a.county.localeCompare(b.county));
    const [accepted, overdue]: [number, number] = await Promise.all([
      this.redis.zcard(k.ticketsAcceptMs()),
      this.redis.zcount(k.ticketsDue(), '-inf', `(${now.getTime()}`),
    ]);
    let medianMsToAcceptance: number | null = null;
    if (accepted > 0) {
      const lo = (accepted - 1) >> 1;
      const flat = await this.redis.zrange(k.ticketsAcceptMs(), lo, String(accepted % 2 ? lo : lo + 1), 'WITHSCORES');
      const scores = flat.filter((_, i) => i % 2 === 1).map(Number);
      medianMsToAcceptance = scores.length === 2 ? (scores[0]! + scores[1]!) / 2 : scores[0]!;
    }
    return {
      total: Object.values(byStatus).reduce((a, b) => a + b, 0),
      byStatus,
      perDay,
      perCounty,
      medianMsToAcceptance,
      overdue,
    };
  }

  /**
   * Fills the counters from the dashboard rows, rewriting each row with its day and acceptMs, in one
   * MULTI under WATCH on a connection of its own: if any ticket changes meanwhile, it starts again.
   */
  private async initCounts(): Promise<void> {
    const k = this.keys;
    const conn = this.redis.duplicate();
    try {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        await conn.watch(k.ticketStats(), k.ticketCounts());
        if ((await conn.hget(k.ticketCounts(), '_init')) !== null) {
          await conn.unwatch();
          return;
        }
        const rows = await conn.hgetall(k.ticketStats());
        const counts = new Map<string, number>();
        const add = (field: string) => counts.set(field, (counts.get(field) ?? 0) + 1);
        const multi = conn.multi().del(k.ticketCounts(), k.ticketsAcceptMs());
        for (const [id, raw] of Object.entries(rows)) {
          const row = statsRow(JSON.parse(raw) as StatsRow);
          add(`status:${row.status}`);
          add(`day:${row.day}`);
          add(`county:${row.county ?? UNKNOWN_COUNTY}`);
          if (row.acceptMs !== null) multi.zadd(k.ticketsAcceptMs(), row.acceptMs, id);
          multi.hset(k.ticketStats(), id, JSON.stringify(row));
        }
        multi.hset(k.ticketCounts(), { _init: '1', ...Object.fromEntries([...counts].map(([f, n]) => [f, String(n)])) });
        if (await multi.exec()) return;
      }
      throw new TicketConflictError('工单统计初始化时工单一直在变，请稍后重试', '');
    } finally {
      conn.disconnect();
    }
  }

  async close(): Promise<void> {
    if (this.options.ownsConnection) await quietQuit(this.redis);
  }

  private async mutate(id: string, fn: (t: Ticket, now: Date) => TicketChange): Promise<TicketChange> {
    const change = await this.mutateMaybe(id, fn);
    return change!;
  }

  /** Read, compute, compare-and-set; recompute on a concurrent change. fn may decline with null. */
  private async mutateMaybe(id: string, fn: (t: Ticket, now: Date) => TicketChange | null): Promise<TicketChange | null> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const t = await this.mustRead(id);
      const change = fn(t, this.clock());
      if (!change) return null;
      const applied = await this.applyChange(t, change);
      if (applied === -1) throw new TicketNotFoundError(id);
      if (applied === 1) {
        await this.durable();
        return change;
      }
    }
    throw new TicketConflictError(`工单 ${id} 正在被频繁修改，请稍后重试`, id);
  }

  private async applyChange(before: Ticket, change: TicketChange): Promise<number> {
    const k = this.keys;
    const t = change.ticket;
    const n = change.notification;
    const e = ticketEntries(t);
    const keys = [
      k.ticket(t.id),
      k.ticketEvents(t.id),
      k.ticketsAll(),
      k.ticketsByStatus(before.status),
      k.ticketsByStatus(t.status),
      k.ticketsClaimable(),
      k.ticketLeases(),
      k.ticketsDue(),
      k.ticketSearch(),
      k.ticketStats(),
      k.outboxEntries(),
      k.outboxPending(),
      k.outboxSeq(),
      k.ticketsByKind(before.kind),
      k.ticketsByKind(t.kind),
      k.ticketsByCounty(before.county),
      k.ticketsByCounty(t.county),
      k.ticketsByAssignee(before.assignee),
      k.ticketsByAssignee(t.assignee),
      k.ticketCounts(),
      k.ticketsAcceptMs(),
    ];
    const args = [
      String(before.rev),
      t.id,
      e.data,
      e.rev,
      e.score,
      e.claimable,
      e.leaseMs,
      e.dueMs,
      e.search,
      e.stats,
      n ? n.id : '',
      n ? JSON.stringify(n) : '',
      JSON.stringify(indexOps(k, before, t)),
      ...change.events.map((ev) => JSON.stringify(ev)),
    ];
    return Number(await this.applyScript(keys, args));
  }

  /** Resolves once what this connection wrote is on disk (see durability.ts). */
  private async durable(): Promise<void> {
    this.durability ??= detectDurability(this.redis).then((report) => {
      if (report.mode === 'unverified') this.log.warn({ durability: report.detail }, 'ticket durability not verified');
      return report;
    });
    const { mode } = await this.durability;
    if (mode === 'waitaof') await waitAof(this.redis);
  }

  private async read(id: string): Promise<Ticket | null> {
    const raw = await this.redis.hget(this.keys.ticket(id), 'data');
    return raw === null ? null : (JSON.parse(raw) as Ticket);
  }

  private async mustRead(id: string): Promise<Ticket> {
    const t = await this.read(id);
    if (!t) throw new TicketNotFoundError(id);
    return t;
  }
}
