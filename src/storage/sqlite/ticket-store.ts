/**
 * Embedded TicketStore (better-sqlite3). Every operation is one IMMEDIATE transaction (the write lock
 * is taken before the read, so read-compute-write is atomic even across processes sharing the file),
 * and the connection runs synchronous=FULL in WAL mode: the commit, with the ticket, its events and
 * the outbox entry, is fsynced before the call resolves. Nothing is acknowledged before it is durable.
 *
 * Work queue: the partial index `tickets_claimable` is the queue; claimNext takes its head inside the
 * transaction, after freeing expired leases (tickets_leases), so a vanished handler's ticket returns.
 */
import type { Statement } from 'better-sqlite3';
import { ApiError } from '../../server/errors.js';
import type { Channel } from '../../core/types.js';
import { runningDeadline } from '../../tickets/lifecycle.js';
import * as changes from '../../tickets/ticket-changes.js';
import type { TicketChange } from '../../tickets/ticket-changes.js';
import { TicketNotFoundError } from '../../tickets/ticket-errors.js';
import * as retention from '../../tickets/retention.js';
import { newTicketId } from '../../tickets/ticket-id.js';
import {
  systemClock,
  type Clock,
  type TicketStore,
  type TicketStoreOptions,
  type TransitionOptions,
} from '../../tickets/ticket-store.js';
import {
  TICKET_STATUSES,
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
import { openDatabase, type SqliteDatabase } from './open-database.js';
import { acceptMs, migrateTicketAggregates, phoneDigits, searchDocument, searchMatch } from './ticket-aggregates.js';
import { narrowed, QUEUE_ORDER, ticketWhere } from './ticket-query.js';
import { TICKET_SCHEMA } from './ticket-schema.js';

const MAX_ID_ATTEMPTS = 20;
/** Above this many matches, an overdue or search page walks the queue order instead of sorting them all. */
const WALK_QUEUE_ABOVE = 2000;

export class SqliteTicketStore implements TicketStore {
  private readonly db: SqliteDatabase;
  private readonly clock: Clock;
  private readonly newId: (now: Date) => string;
  private readonly stmts;
  private readonly queries = new Map<string, Statement<Record<string, string | number>, unknown>>();

  constructor(file: string, options: TicketStoreOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.newId = options.newId ?? newTicketId;
    this.db = openDatabase(file, 'FULL');
    this.db.exec(TICKET_SCHEMA);
    migrateTicketAggregates(this.db);
    const db = this.db;
    this.stmts = {
      get: db.prepare<[string], { data: string }>('SELECT data FROM tickets WHERE id = ?'),
      exists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM tickets WHERE id = ?'),
      idem: db.prepare<[string], { ticket_id: string }>('SELECT ticket_id FROM ticket_idempotency WHERE key = ?'),
      insertIdem: db.prepare('INSERT INTO ticket_idempotency (key, ticket_id, created_at) VALUES (?, ?, ?)'),
      insert: db.prepare(
        `INSERT INTO tickets (id, kind, status, priority, accept_due_at, running_due_at, county, assignee,
           lease_expires_at, channel, user_id, phone, employer, created_at, rev, data, accept_ms, phone_digits)
         VALUES (@id, @kind, @status, @priority, @acceptDueAt, @runningDueAt, @county, @assignee,
           @leaseExpiresAt, @channel, @userId, @phone, @employer, @createdAt, @rev, @data, @acceptMs, @phoneDigits)`,
      ),
      update: db.prepare(
        `UPDATE tickets SET status = @status, priority = @priority, accept_due_at = @acceptDueAt,
           running_due_at = @runningDueAt, county = @county, assignee = @assignee,
           lease_expires_at = @leaseExpiresAt, phone = @phone, employer = @employer, rev = @rev, data = @data,
           accept_ms = @acceptMs, phone_digits = @phoneDigits
         WHERE id = @id AND rev = @expectedRev`,
      ),
      rowid: db.prepare<[string], { rid: number }>('SELECT rowid AS rid FROM tickets WHERE id = ?'),
      indexSearch: db.prepare('INSERT INTO ticket_search (rowid, tokens) VALUES (?, ?)'),
      unindexSearch: db.prepare('DELETE FROM ticket_search WHERE rowid = ?'),
      // A search's matches of one status: its phrase in that status's tokens, counted by the index alone.
      searchCount: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM ticket_search WHERE ticket_search MATCH ?'),
      counts: db.prepare<[], { dim: string; key: string; n: number }>(`SELECT dim, key, n FROM ticket_counts WHERE dim IN ('status', 'day', 'county', 'accepted') AND n > 0`),
      statusCounts: db.prepare<[], { key: TicketStatus; n: number }>(`SELECT key, n FROM ticket_counts WHERE dim = 'status'`),
      acceptMsAt: db.prepare<[number, number], { ms: number }>(
        'SELECT accept_ms AS ms FROM tickets WHERE accept_ms IS NOT NULL ORDER BY accept_ms LIMIT ? OFFSET ?',
      ),
      // Overdue per status at @at: whole deadline days before @at's day from the counters, @at's own day from the index.
      dueBefore: db.prepare<{ day: string }, { status: TicketStatus; n: number }>(
        `SELECT substr(key, 1, instr(key, ' ') - 1) AS status, SUM(n) AS n FROM ticket_counts
         WHERE dim = 'due' AND substr(key, instr(key, ' ') + 1) < @day GROUP BY 1`,
      ),
      dueOnDay: db.prepare<{ day: string; at: string }, { status: TicketStatus; n: number }>(
        `SELECT status, COUNT(*) AS n FROM tickets
         WHERE running_due_at IS NOT NULL AND running_due_at >= @day AND running_due_at < @at GROUP BY status`,
      ),
      assigneeCounts: db.prepare<{ assignee: string }, { status: TicketStatus; n: number }>(
        `SELECT substr(key, 1, instr(key, ' ') - 1) AS status, n FROM ticket_counts
         WHERE dim = 'assignee' AND substr(key, instr(key, ' ') + 1) = @assignee`,
      ),
      insertEvent: db.prepare(
        'INSERT INTO ticket_events (id, ticket_id, at, actor, type, data) VALUES (@id, @ticketId, @at, @actor, @type, @data)',
      ),
      events: db.prepare<[string], { id: string; ticketId: string; at: string; actor: string; type: string; data: string }>(
        'SELECT id, ticket_id AS ticketId, at, actor, type, data FROM ticket_events WHERE ticket_id = ? ORDER BY seq',
      ),
      insertOutbox: db.prepare(
        `INSERT INTO ticket_outbox (id, ticket_id, channel, user_id, text, created_at, delivered_at)
         VALUES (@id, @ticketId, @channel, @userId, @text, @createdAt, @deliveredAt)`,
      ),
      pending: db.prepare<[number], OutboxEntry>(
        `SELECT id, ticket_id AS ticketId, channel, user_id AS userId, text, created_at AS createdAt,
           delivered_at AS deliveredAt FROM ticket_outbox WHERE delivered_at IS NULL ORDER BY seq LIMIT ?`,
      ),
      deliver: db.prepare('UPDATE ticket_outbox SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL'),
      owner: db.prepare<[string, string, number], { data: string }>(
        'SELECT data FROM tickets WHERE channel = ? AND user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?',
      ),
      nextClaimable: db.prepare<[], { id: string }>(
        `SELECT id FROM tickets WHERE status = 'new' AND assignee IS NULL ${QUEUE_ORDER} LIMIT 1`,
      ),
      expiredLeases: db.prepare<[number], { id: string }>('SELECT id FROM tickets WHERE lease_expires_at <= ?'),
    };
  }

  async file(input: FileTicketInput, idempotencyKey: string): Promise<{ ticket: Ticket; created: boolean }> {
    const data = FileTicketInputSchema.parse(input);
    if (!idempotencyKey) throw new ApiError('BAD_REQUEST', 'idempotencyKey is required');
    return this.db
      .transaction(() => {
        const existing = this.stmts.idem.get(idempotencyKey);
        if (existing) return { ticket: this.mustRead(existing.ticket_id), created: false };
        const now = this.clock();
        for (let attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt++) {
          const id = this.newId(now);
          if (this.stmts.exists.get(id)) continue;
          const change = changes.newTicket(id, data, now, idempotencyKey);
          const { lastInsertRowid } = this.stmts.insert.run(this.row(change.ticket));
          this.stmts.indexSearch.run(lastInsertRowid, searchDocument(change.ticket));
          this.stmts.insertIdem.run(idempotencyKey, id, change.ticket.createdAt);
          this.appendRecords(change);
          return { ticket: change.ticket, created: true };
        }
        throw new ApiError('UNAVAILABLE', 'could not draw a free ticket id');
      })
      .immediate();
  }

  async get(id: string): Promise<Ticket | null> {
    return this.read(id);
  }

  async getForOwner(id: string, channel: Channel, userId: string): Promise<Ticket | null> {
    const t = this.read(id);
    return t && t.channel === channel && t.userId === userId ? t : null;
  }

  async findForOwner(channel: Channel, userId: string, limit = 20): Promise<Ticket[]> {
    return this.stmts.owner.all(channel, userId, limit).map((r) => JSON.parse(r.data) as Ticket);
  }

  async list(filter: TicketFilter = {}): Promise<TicketPage> {
    const f = TicketFilterSchema.parse(filter);
    const countsByStatus = emptyStatusCounts();
    let grouped: Array<{ status: TicketStatus; n: number }>;
    const { overdueAt, assignee, q, ...rest } = f;
    const only = !narrowed(rest);
    if (q !== undefined && overdueAt === undefined && assignee === undefined && only && searchMatch(q) !== null) {
      // A search alone: its matches per status from the index, one count of that status's phrase each.
      grouped = TICKET_STATUSES.map((status) => ({ status, n: this.stmts.searchCount.get(searchMatch(q, [status])!)!.n }));
    } else if (overdueAt && assignee === undefined && q === undefined && only) {
      grouped = this.overdueCounts(overdueAt);
    } else if (assignee !== undefined && !overdueAt && q === undefined && only) {
      grouped = this.stmts.assigneeCounts.all({ assignee: assignee ?? '' });
    } else if (narrowed(f)) {
      const all = ticketWhere(f, false);
      grouped = this.query<{ status: TicketStatus; n: number }>(`SELECT status, COUNT(*) AS n FROM tickets ${all.sql} GROUP BY status`).all(all.params);
    } else {
      // A plain status tab: the counters the triggers keep, not a count of the rows.
      grouped = this.stmts.statusCounts.all().map(({ key, n }) => ({ status: key, n }));
    }
    for (const { status, n } of grouped) countsByStatus[status] = n;
    const total = f.status ? countsByStatus[f.status] : grouped.reduce((s, g) => s + g.n, 0);
    // Many matches for an overdue or search page: walk the queue order (see ticketWhere).
    const page = ticketWhere(f, true, (f.overdueAt !== undefined || f.q !== undefined) && total > WALK_QUEUE_ABOVE);
    const rows = this.query<{ data: string }>(
      `SELECT data FROM tickets ${page.sql} ${QUEUE_ORDER} LIMIT @limit OFFSET @offset`,
    ).all({ ...page.params, limit: f.limit, offset: f.offset });
    return { tickets: rows.map((r) => JSON.parse(r.data) as Ticket), total, countsByStatus };
  }

  async transition(id: string, to: TicketStatus, options: TransitionOptions): Promise<Ticket> {
    return this.mutate(id, (t, now) => changes.transitionChange(t, to, options, now)).ticket;
  }

  async claim(id: string, staff: string, leaseMs?: number): Promise<Ticket> {
    return this.mutate(id, (t, now) => changes.claimChange(t, staff, leaseMs, now)).ticket;
  }

  async renewLease(id: string, staff: string, leaseMs: number): Promise<Ticket> {
    return this.mutate(id, (t, now) => changes.renewChange(t, staff, leaseMs, now)).ticket;
  }

  async release(id: string, staff: string): Promise<Ticket> {
    return this.mutate(id, (t, now) => changes.releaseChange(t, staff, now)).ticket;
  }

  async assign(id: string, assignee: string | null, actor: Actor): Promise<Ticket> {
    return this.mutate(id, (t, now) => changes.assignChange(t, assignee, actor, now)).ticket;
  }

  async addNote(id: string, actor: Actor, text: string): Promise<TicketEvent> {
    return this.mutate(id, (t, now) => changes.noteChange(t, actor, text, now)).events[0]!;
  }

  async reply(id: string, actor: Actor, text: string): Promise<{ event: TicketEvent; notification: OutboxEntry }> {
    const change = this.mutate(id, (t, now) => changes.replyChange(t, actor, text, now));
    return { event: change.events[0]!, notification: change.notification! };
  }

  async recordView(id: string, actor: Actor): Promise<TicketEvent> {
    return this.mutate(id, (t, now) => changes.viewChange(t, actor, now)).events[0]!;
  }

  async events(id: string): Promise<TicketEvent[]> {
    return this.stmts.events.all(id).map((r) => ({ ...r, type: r.type as TicketEvent['type'], data: JSON.parse(r.data) }));
  }

  async claimNext(staff: string, leaseMs: number): Promise<Ticket | null> {
    return this.db
      .transaction(() => {
        this.reclaimInTransaction();
        const head = this.stmts.nextClaimable.get();
        if (!head) return null;
        return this.apply(this.mustRead(head.id), (t, now) => changes.claimChange(t, staff, leaseMs, now)).ticket;
      })
      .immediate();
  }

  async reclaimExpired(): Promise<number> {
    return this.db.transaction(() => this.reclaimInTransaction()).immediate();
  }

  async pendingNotifications(limit = 100): Promise<OutboxEntry[]> {
    return this.stmts.pending.all(limit);
  }

  async markDelivered(id: string): Promise<void> {
    this.stmts.deliver.run(this.clock().toISOString(), id);
  }

  async anonymiseClosed(closedBefore: Date, retentionDays: number, limit = 500): Promise<string[]> {
    const db = this.db;
    const due = db
      .prepare<[string, number], { id: string }>(
        `SELECT id FROM tickets WHERE status = 'closed' AND json_extract(data, '$.closedAt') < ?
           AND json_extract(data, '$.anonymisedAt') IS NULL ORDER BY id LIMIT ?`,
      )
      .all(closedBefore.toISOString(), limit);
    const done: string[] = [];
    for (const { id } of due) {
      const anonymised = db
        .transaction(() => {
          const t = this.mustRead(id);
          const now = this.clock();
          if (!retention.isDueForAnonymising(t, closedBefore)) return false;
          for (const e of this.stmts.events.all(id)) {
            const scrubbed = retention.scrubEvent({ ...e, data: JSON.parse(e.data) as Record<string, unknown> } as TicketEvent);
            db.prepare('UPDATE ticket_events SET data = ? WHERE id = ?').run(JSON.stringify(scrubbed.data), e.id);
          }
          const outbox = db
            .prepare<[string], OutboxEntry>(
              `SELECT id, ticket_id AS ticketId, channel, user_id AS userId, text, created_at AS createdAt,
                 delivered_at AS deliveredAt FROM ticket_outbox WHERE ticket_id = ?`,
            )
            .all(id);
          for (const n of outbox) {
            const x = retention.scrubNotification(n, now);
            db.prepare('UPDATE ticket_outbox SET user_id = ?, text = ?, delivered_at = ? WHERE id = ?').run(x.userId, x.text, x.deliveredAt, x.id);
          }
          db.prepare('DELETE FROM ticket_idempotency WHERE ticket_id = ?').run(id);
          this.persist(t, retention.anonymiseChange(t, now, retentionDays));
          db.prepare('UPDATE tickets SET user_id = ? WHERE id = ?').run(retention.ANONYMISED_USER, id);
          return true;
        })
        .immediate();
      if (anonymised) done.push(id);
    }
    return done;
  }

  /** From the counters, one index probe for the median and one index range count for overdue: no scan. */
  async stats(now: Date = this.clock()): Promise<TicketStats> {
    return this.db
      .transaction((): TicketStats => {
        const byStatus = emptyStatusCounts();
        const perDay: Array<{ day: string; count: number }> = [];
        const perCounty: Array<{ county: string; count: number }> = [];
        let accepted = 0;
        for (const { dim, key, n } of this.stmts.counts.all()) {
          if (dim === 'status') byStatus[key as TicketStatus] = n;
          else if (dim === 'day') perDay.push({ day: key, count: n });
          else if (dim === 'county') perCounty.push({ county: key, count: n });
          else if (dim === 'accepted') accepted = n;
        }
        perDay.sort((a, b) => a.day.localeCompare(b.day));
        perCounty.sort((a, b) => b.count - a.count || a.county.localeCompare(b.county));
        let medianMsToAcceptance: number | null = null;
        if (accepted > 0) {
          const mid = this.stmts.acceptMsAt.all(accepted % 2 ? 1 : 2, (accepted - 1) >> 1).map((r) => r.ms);
          medianMsToAcceptance = mid.length === 2 ? (mid[0]! + mid[1]!) / 2 : mid[0]!;
        }
        return {
          total: Object.values(byStatus).reduce((a, b) => a + b, 0),
          byStatus,
          perDay,
          perCounty,
          medianMsToAcceptance,
          overdue: this.overdueCounts(now.toISOString()).reduce((sum, g) => sum + g.n, 0),
        };
      })
      .deferred();
  }

  /**
   * Runs `fn`'s calls on this store in one transaction (their own transactions become savepoints):
   * one commit for thousands of tickets when loading in bulk (benchmarks, imports). Nothing else may
   * use the store meanwhile.
   */
  async bulk<T>(fn: () => Promise<T>): Promise<T> {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = await fn();
      this.db.exec('COMMIT');
      return result;
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** Open tickets per status whose running deadline is before `at` (ISO): from the 'due' counters, no range over every overdue ticket. */
  private overdueCounts(at: string): Array<{ status: TicketStatus; n: number }> {
    const day = at.slice(0, 10);
    const byStatus = new Map<TicketStatus, number>();
    for (const { status, n } of [...this.stmts.dueBefore.all({ day }), ...this.stmts.dueOnDay.all({ day, at })]) {
      byStatus.set(status, (byStatus.get(status) ?? 0) + n);
    }
    return [...byStatus].map(([status, n]) => ({ status, n }));
  }

  /** The list queries vary only by which filters are set: a few dozen shapes, each prepared once. */
  private query<R>(sql: string): Statement<Record<string, string | number>, R> {
    let stmt = this.queries.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.queries.set(sql, stmt);
    }
    return stmt as Statement<Record<string, string | number>, R>;
  }

  private reclaimInTransaction(): number {
    let freed = 0;
    for (const { id } of this.stmts.expiredLeases.all(this.clock().getTime())) {
      const t = this.mustRead(id);
      const change = changes.expireLeaseChange(t, this.clock());
      if (change) {
        this.persist(t, change);
        freed++;
      }
    }
    return freed;
  }

  private mutate(id: string, fn: (t: Ticket, now: Date) => TicketChange): TicketChange {
    return this.db.transaction(() => this.apply(this.mustRead(id), fn)).immediate();
  }

  private apply(t: Ticket, fn: (t: Ticket, now: Date) => TicketChange): TicketChange {
    const change = fn(t, this.clock());
    this.persist(t, change);
    return change;
  }

  private persist(before: Ticket, change: TicketChange): void {
    const res = this.stmts.update.run({ ...this.row(change.ticket), expectedRev: before.rev });
    if (res.changes !== 1) throw new Error(`ticket ${before.id} changed under an open transaction`);
    const after = change.ticket;
    if (after.phone !== before.phone || after.employer !== before.employer || after.status !== before.status) {
      const { rid } = this.stmts.rowid.get(after.id)!;
      this.stmts.unindexSearch.run(rid);
      this.stmts.indexSearch.run(rid, searchDocument(after));
    }
    this.appendRecords(change);
  }

  private appendRecords(change: TicketChange): void {
    for (const e of change.events) this.stmts.insertEvent.run({ ...e, data: JSON.stringify(e.data) });
    if (change.notification) this.stmts.insertOutbox.run(change.notification);
  }

  private read(id: string): Ticket | null {
    const row = this.stmts.get.get(id);
    return row ? (JSON.parse(row.data) as Ticket) : null;
  }

  private mustRead(id: string): Ticket {
    const t = this.read(id);
    if (!t) throw new TicketNotFoundError(id);
    return t;
  }

  private row(t: Ticket) {
    return {
      id: t.id,
      kind: t.kind,
      status: t.status,
      priority: t.priority,
      acceptDueAt: t.acceptDueAt,
      runningDueAt: runningDeadline(t),
      county: t.county,
      assignee: t.assignee,
      leaseExpiresAt: t.leaseExpiresAt === null ? null : Date.parse(t.leaseExpiresAt),
      channel: t.channel,
      userId: t.userId,
      phone: t.phone,
      employer: t.employer,
      createdAt: t.createdAt,
      rev: t.rev,
      data: JSON.stringify(t),
      acceptMs: acceptMs(t),
      phoneDigits: phoneDigits(t.phone),
    };
  }
}
