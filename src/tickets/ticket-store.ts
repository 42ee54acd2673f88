/**
 * The ticket queue contract, with two implementations (src/storage/sqlite, src/storage/redis) that
 * pass one contract suite (test/tickets/ticket-store.contract.test.ts). Business rules live in
 * lifecycle.ts and ticket-changes.ts; a store only persists a computed change atomically: the ticket,
 * its events and the worker's notification commit together or not at all.
 */
import type { Channel } from '../core/types.js';
import type {
  Actor,
  FileTicketInput,
  OutboxEntry,
  Ticket,
  TicketEvent,
  TicketFilter,
  TicketPage,
  TicketStats,
  TicketStatus,
} from './types.js';

export interface TransitionOptions {
  actor: Actor;
  /** Required when refusing. */
  reason?: string;
  /** The investigation deadline the caller computed (working days), when accepting or resuming. */
  investigationDueAt?: string;
  /** What the worker is told; a standard sentence per status when omitted. */
  notice?: string;
}

export interface TicketStore {
  /**
   * Files a ticket once per idempotency key: the same key again (provider retry, double tap, another
   * gateway process) returns the first ticket with created=false. Resolves only once durable.
   */
  file(input: FileTicketInput, idempotencyKey: string): Promise<{ ticket: Ticket; created: boolean }>;
  get(id: string): Promise<Ticket | null>;
  /** The ticket only if this sender filed it; null otherwise (a worker sees only their own). */
  getForOwner(id: string, channel: Channel, userId: string): Promise<Ticket | null>;
  /** This sender's tickets, newest first. */
  findForOwner(channel: Channel, userId: string, limit?: number): Promise<Ticket[]>;
  /** The staff queue: filtered, sorted by priority desc then acceptDueAt asc, with counts. */
  list(filter?: TicketFilter): Promise<TicketPage>;

  /** Moves along the lifecycle (lifecycle.ts); CONFLICT when not allowed, nothing changed then. */
  transition(id: string, to: TicketStatus, options: TransitionOptions): Promise<Ticket>;
  /** Takes the ticket; with leaseMs the hold expires unless renewed. CONFLICT if someone else holds it. */
  claim(id: string, staff: string, leaseMs?: number): Promise<Ticket>;
  /** Extends the holder's lease; CONFLICT if `staff` no longer holds the ticket. */
  renewLease(id: string, staff: string, leaseMs: number): Promise<Ticket>;
  /** Gives the ticket back; CONFLICT if `staff` does not hold it. */
  release(id: string, staff: string): Promise<Ticket>;
  /** Supervisor assignment (null unassigns); clears any lease. */
  assign(id: string, assignee: string | null, actor: Actor): Promise<Ticket>;
  /** Internal note, never shown to the worker. */
  addNote(id: string, actor: Actor, text: string): Promise<TicketEvent>;
  /** Reply to the worker: an event plus an outbox entry, in one commit. */
  reply(id: string, actor: Actor, text: string): Promise<{ event: TicketEvent; notification: OutboxEntry }>;
  /** Records that someone looked at the ticket (a worker asking for its status, staff opening it). */
  recordView(id: string, actor: Actor): Promise<TicketEvent>;
  /** The ticket's history, oldest first; empty for an unknown id. */
  events(id: string): Promise<TicketEvent[]>;

  /**
   * Work-queue semantics: leases the highest-priority new ticket nobody holds to `staff` for leaseMs,
   * or null when there is none. Expired leases are reclaimed first.
   */
  claimNext(staff: string, leaseMs: number): Promise<Ticket | null>;
  /** Frees every ticket whose lease ran out (holder vanished); returns how many. */
  reclaimExpired(): Promise<number>;

  /** Undelivered notifications, oldest first. */
  pendingNotifications(limit?: number): Promise<OutboxEntry[]>;
  /** Idempotent; an unknown id is ignored. */
  markDelivered(id: string): Promise<void>;

  /**
   * Deletes the personal data of tickets closed before `closedBefore` (retention.ts), at most `limit`
   * of them, each in one commit with its events, notifications, owner index and idempotency record.
   * Returns the ids anonymised.
   */
  anonymiseClosed(closedBefore: Date, retentionDays: number, limit?: number): Promise<string[]>;

  /** Figures for the dashboard. */
  stats(now?: Date): Promise<TicketStats>;
  close(): Promise<void>;
}

/** Injected clock, so deadlines and leases can be tested without waiting. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

export interface TicketStoreOptions {
  clock?: Clock;
  /** Draws a ticket id (default newTicketId); injectable to exercise the collision retry. */
  newId?: (now: Date) => string;
}
