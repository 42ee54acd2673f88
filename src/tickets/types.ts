/**
 * Tickets: wage-arrears complaints and consultation hand-overs the assistant files for bureau staff.
 * The zod schemas validate what reaches the store; the types are inferred from them.
 */
import { z } from 'zod';
import { CHANNELS } from '../core/types.js';

export const TICKET_KINDS = ['wage_arrears', 'consultation'] as const;
export const TicketKindSchema = z.enum(TICKET_KINDS);
export type TicketKind = z.infer<typeof TicketKindSchema>;

/** See lifecycle.ts for the allowed moves between these. */
export const TICKET_STATUSES = ['new', 'accepted', 'refused', 'in_progress', 'resolved', 'closed', 'reopened'] as const;
export const TicketStatusSchema = z.enum(TICKET_STATUSES);
export type TicketStatus = z.infer<typeof TicketStatusSchema>;

/** ISO timestamp, normalised to `toISOString()` form so that string order is time order. */
export const IsoTimeSchema = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString());

export const TranscriptMessageSchema = z.object({
  from: z.enum(['user', 'assistant']),
  text: z.string().max(4000),
  at: IsoTimeSchema,
});
export type TranscriptMessage = z.infer<typeof TranscriptMessageSchema>;

const text = (max = 200) => z.string().trim().min(1).max(max).nullable().default(null);
const amount = z.number().nonnegative().finite().nullable().default(null);

/** What the intake form collected; every field may be unknown (null) when the worker did not say. */
export const TicketIntakeSchema = z.object({
  workerName: text(50),
  phone: text(30),
  employer: text(),
  /** 工地 / 项目 name. */
  site: text(),
  county: text(50),
  isConstruction: z.boolean().nullable().default(null),
  generalContractor: text(),
  /** Yuan owed in total. */
  amountOwed: amount,
  /** Yuan owed per person when several workers complain together. */
  perPersonAmount: amount,
  /** The period as the worker put it ("2024年3月到6月"). */
  period: text(),
  monthsOwed: z.number().nonnegative().finite().nullable().default(null),
  workers: z.number().int().positive().nullable().default(null),
  evidence: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
  description: text(4000),
});
export type TicketIntake = z.infer<typeof TicketIntakeSchema>;

/**
 * Queue priority: higher first. An integer 0..100 so that priority and deadline fit in one exact
 * sort score (Redis sorted sets); `priorityReasons` say why, for staff.
 */
export const PrioritySchema = z.number().int().min(0).max(100);

/** What the assistant passes to `file()`. acceptDueAt is computed by the caller (working days). */
export const FileTicketInputSchema = TicketIntakeSchema.extend({
  kind: TicketKindSchema,
  channel: z.enum(CHANNELS),
  userId: z.string().min(1).max(200),
  priority: PrioritySchema.default(0),
  priorityReasons: z.array(z.string().min(1).max(200)).max(20).default([]),
  acceptDueAt: IsoTimeSchema,
  transcript: z.array(TranscriptMessageSchema).max(500).default([]),
});
export type FileTicketInput = z.input<typeof FileTicketInputSchema>;
export type FileTicketData = z.output<typeof FileTicketInputSchema>;

export interface Ticket extends FileTicketData {
  id: string;
  status: TicketStatus;
  createdAt: string;
  updatedAt: string;
  /** Staff username holding the ticket, or null. */
  assignee: string | null;
  /** Set when the holder took it from the work queue with a lease; null for a plain claim. */
  leaseExpiresAt: string | null;
  /** Given by the caller when accepting (working days are computed outside the store). */
  investigationDueAt: string | null;
  acceptedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  refusalReason: string | null;
  /** Optimistic-concurrency revision, bumped by every change. */
  rev: number;
  /** When the personal data was deleted after the retention period (retention.ts); absent before. */
  anonymisedAt?: string | null;
}

/** "system", "worker" or a staff username. */
export type Actor = string;

export const TICKET_EVENT_TYPES = ['filed', 'claimed', 'released', 'assigned', 'status', 'note', 'reply', 'viewed'] as const;
export type TicketEventType = (typeof TICKET_EVENT_TYPES)[number];

export interface TicketEvent {
  id: string;
  ticketId: string;
  at: string;
  actor: Actor;
  type: TicketEventType;
  data: Record<string, unknown>;
}

/** A message owed to the worker on the channel they used; written in the same commit as the change. */
export interface OutboxEntry {
  id: string;
  ticketId: string;
  channel: Ticket['channel'];
  userId: string;
  text: string;
  createdAt: string;
  deliveredAt: string | null;
}

const DaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

/** The YYMMDD of a China day, as ticket numbers carry it ("QX250301-…"). */
export function idDay(day: string): string {
  return day.slice(2).replaceAll('-', '');
}

export const TicketFilterSchema = z.object({
  status: TicketStatusSchema.optional(),
  kind: TicketKindSchema.optional(),
  county: z.string().min(1).optional(),
  /** A username, or null for unassigned tickets. */
  assignee: z.string().min(1).nullable().optional(),
  /** Only tickets whose running deadline (acceptance, then investigation) is before this instant. */
  overdueAt: IsoTimeSchema.optional(),
  /** Substring of the ticket id, the phone number or the employer (case-insensitive). */
  q: z.string().trim().min(1).max(100).optional(),
  /** Filed on or after / on or before this China day (YYYY-MM-DD), as the ticket number states it. */
  filedFrom: DaySchema.optional(),
  filedTo: DaySchema.optional(),
  limit: z.number().int().min(1).max(500).default(50),
  offset: z.number().int().min(0).default(0),
});
export type TicketFilter = z.input<typeof TicketFilterSchema>;
export type ParsedTicketFilter = z.output<typeof TicketFilterSchema>;

export interface TicketPage {
  /** Sorted by priority desc, then acceptDueAt asc, then id. */
  tickets: Ticket[];
  /** Matches for the whole filter, before limit/offset. */
  total: number;
  /** Matches per status for the filter without its status (tab counts). */
  countsByStatus: Record<TicketStatus, number>;
}

export interface TicketStats {
  total: number;
  byStatus: Record<TicketStatus, number>;
  /** Filed per calendar day in China time (YYYY-MM-DD), oldest first. */
  perDay: Array<{ day: string; count: number }>;
  /** Filed per county (null county → "未知"), most first. */
  perCounty: Array<{ county: string; count: number }>;
  /** Median of acceptedAt − createdAt over accepted tickets, or null when none was accepted. */
  medianMsToAcceptance: number | null;
  /** Open tickets whose running deadline has passed. */
  overdue: number;
}

export function emptyStatusCounts(): Record<TicketStatus, number> {
  return Object.fromEntries(TICKET_STATUSES.map((s) => [s, 0])) as Record<TicketStatus, number>;
}
