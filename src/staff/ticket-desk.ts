/**
 * What staff do with tickets, as use cases over the TicketStore: the rules of who may do what sit
 * here, the lifecycle rules in src/tickets. Every change is recorded by the store as a ticket event
 * with the actor and the time, which is the ticket's history in the console.
 *
 * Who may act on a ticket: anyone may read it, claim it when nobody holds it, and add an internal
 * note; replying and changing its status belong to its holder (or to anyone while nobody holds it —
 * accepting then makes the acceptor the holder); an administrator may do all of it on any ticket and
 * is the only one who reassigns.
 */
import { addWorkingDays, INVESTIGATION_WORKING_DAYS, type CalendarOverrides } from '../tickets/deadlines.js';
import { TicketNotFoundError } from '../tickets/ticket-errors.js';
import { normaliseTicketId } from '../tickets/ticket-id.js';
import type { Clock, TicketStore } from '../tickets/ticket-store.js';
import type { Ticket, TicketEvent, TicketFilter, TicketKind, TicketPage, TicketStatus } from '../tickets/types.js';
import type { StaffAccountStore } from './account-store.js';
import { ForbiddenError } from './staff-errors.js';
import { ApiError } from '../server/errors.js';
import { TicketView } from './ticket-view.js';
import type { StaffRole } from './types.js';

export interface StaffUser {
  username: string;
  role: StaffRole;
}

/** A lease long enough that a person reading a ticket does not lose it; then the claim is made plain. */
const CLAIM_NEXT_LEASE_MS = 10 * 60_000;
/** Opening the same ticket again within this time is not recorded again. */
const VIEW_DEDUPE_MS = 30 * 60_000;

export interface QueueQuery {
  status?: TicketStatus | undefined;
  kind?: TicketKind | undefined;
  county?: string | undefined;
  /** "me", "none" or a username. */
  assignee?: string | undefined;
  overdue?: boolean | undefined;
  q?: string | undefined;
  /** Filed from / to this China day (YYYY-MM-DD), inclusive. */
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  offset: number;
}

export class TicketDesk {
  private readonly view: TicketView;

  constructor(
    private readonly tickets: TicketStore,
    private readonly accounts: StaffAccountStore,
    private readonly clock: Clock,
    private readonly calendar: CalendarOverrides = {},
  ) {
    this.view = new TicketView(calendar);
  }

  /** The ticket as the queue shows it (no transcript), with its running deadline. */
  summary(ticket: Ticket) {
    return this.view.summary(ticket, this.clock());
  }

  /** The whole ticket with its running deadline. */
  detail(ticket: Ticket) {
    return this.view.detail(ticket, this.clock());
  }

  async queue(query: QueueQuery, me: StaffUser): Promise<TicketPage> {
    const filter: TicketFilter = { limit: query.limit, offset: query.offset };
    if (query.status) filter.status = query.status;
    if (query.kind) filter.kind = query.kind;
    if (query.county) filter.county = query.county;
    if (query.assignee === 'me') filter.assignee = me.username;
    else if (query.assignee === 'none') filter.assignee = null;
    else if (query.assignee) filter.assignee = query.assignee.toLowerCase();
    if (query.overdue) filter.overdueAt = this.clock().toISOString();
    if (query.q) filter.q = searchText(query.q);
    if (query.from) filter.filedFrom = query.from;
    if (query.to) filter.filedTo = query.to;
    return this.tickets.list(filter);
  }

  /** The ticket with its history; opening it is recorded (once per half hour and person). */
  async open(id: string, me: StaffUser): Promise<{ ticket: Ticket; events: TicketEvent[] }> {
    const ticket = await this.mustGet(id);
    const events = await this.tickets.events(ticket.id);
    const now = this.clock().getTime();
    const seenLately = events.some(
      (e) => e.type === 'viewed' && e.actor === me.username && now - Date.parse(e.at) < VIEW_DEDUPE_MS,
    );
    if (!seenLately) events.push(await this.tickets.recordView(ticket.id, me.username));
    return { ticket: (await this.tickets.get(ticket.id)) ?? ticket, events };
  }

  async claim(id: string, me: StaffUser): Promise<Ticket> {
    return this.tickets.claim((await this.mustGet(id)).id, me.username);
  }

  /** The most urgent new ticket nobody holds, now held by `me`; null when the queue is empty. */
  async claimNext(me: StaffUser): Promise<Ticket | null> {
    const leased = await this.tickets.claimNext(me.username, CLAIM_NEXT_LEASE_MS);
    return leased ? this.tickets.claim(leased.id, me.username) : null;
  }

  async release(id: string, me: StaffUser): Promise<Ticket> {
    const ticket = await this.mustGet(id);
    if (ticket.assignee !== me.username && me.role === 'admin' && ticket.assignee !== null) {
      return this.tickets.assign(ticket.id, null, me.username);
    }
    return this.tickets.release(ticket.id, me.username);
  }

  async assign(id: string, assignee: string | null, me: StaffUser): Promise<Ticket> {
    if (me.role !== 'admin') throw new ForbiddenError('只有管理员可以改派工单');
    const ticket = await this.mustGet(id);
    if (assignee !== null) {
      const account = await this.accounts.getAccount(assignee);
      if (!account || account.disabled) {
        throw new ApiError('BAD_REQUEST', `没有可用的账号 ${assignee}`, [{ path: 'assignee', message: 'unknown or disabled account' }]);
      }
    }
    return this.tickets.assign(ticket.id, assignee, me.username);
  }

  async note(id: string, text: string, me: StaffUser): Promise<TicketEvent> {
    return this.tickets.addNote((await this.mustGet(id)).id, me.username, text);
  }

  async reply(id: string, text: string, me: StaffUser) {
    const ticket = await this.mustGet(id);
    assertMayAct(ticket, me, '答复');
    return this.tickets.reply(ticket.id, me.username, text);
  }

  async transition(
    id: string,
    to: Exclude<TicketStatus, 'new'>,
    options: { reason?: string | undefined; notice?: string | undefined },
    me: StaffUser,
  ): Promise<Ticket> {
    const ticket = await this.mustGet(id);
    assertMayAct(ticket, me, '变更状态');
    const now = this.clock();
    // The 60-working-day investigation runs from acceptance, and again from resuming a reopened case.
    const startsInvestigation = to === 'accepted' || (to === 'in_progress' && ticket.status === 'reopened');
    return this.tickets.transition(ticket.id, to, {
      actor: me.username,
      ...(options.reason ? { reason: options.reason } : {}),
      ...(options.notice ? { notice: options.notice } : {}),
      ...(startsInvestigation
        ? { investigationDueAt: addWorkingDays(now, INVESTIGATION_WORKING_DAYS, this.calendar).toISOString() }
        : {}),
    });
  }

  /** Accepts "qx250301ab2c" or " QX250301-AB2C " for the canonical id. */
  private async mustGet(typed: string): Promise<Ticket> {
    const id = normaliseTicketId(typed) ?? typed.trim();
    const ticket = await this.tickets.get(id);
    if (!ticket) throw new TicketNotFoundError(id);
    return ticket;
  }
}

function assertMayAct(ticket: Ticket, me: StaffUser, action: string): void {
  if (me.role === 'admin' || ticket.assignee === null || ticket.assignee === me.username) return;
  throw new ForbiddenError(`工单 ${ticket.id} 由 ${ticket.assignee} 处理，不能${action}；请先由其释放或由管理员改派`);
}

/** The search box: a typed ticket number in canonical form; phone numbers without spaces or dashes. */
export function searchText(typed: string): string {
  const t = typed.normalize('NFKC').trim();
  const id = normaliseTicketId(t);
  if (id) return id;
  if (/^[\d\s-]+$/.test(t)) return t.replace(/[\s-]/g, '');
  return t;
}
