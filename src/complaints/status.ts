/**
 * "查询 QX251116-AB2C" / "我的投诉怎么样了": the status of the sender's own complaints. A ticket is
 * shown only to the sender (channel + userId) who filed it; for a number that is unknown or someone
 * else's, the answer is the same "not found for you" (so a number cannot be probed) with the ways to
 * check in person. A status enquiry never opens a new ticket.
 */
import type { Reply } from '../core/types.js';
import type { Handler, TurnContext } from '../dialogue/turn.js';
import { chinaDay } from '../tickets/china-day.js';
import { normaliseTicketId } from '../tickets/ticket-id.js';
import type { TicketStore } from '../tickets/ticket-store.js';
import type { Ticket } from '../tickets/types.js';
import { fill, type WageComplaintConfig } from './form-config.js';

export interface StatusDeps {
  tickets: TicketStore;
  config: WageComplaintConfig;
}

/** Ticket numbers as we issue them (QX + YYMMDD + 4 symbols), typed loosely: "qx 261116 ab2c". */
const ISSUED_RE = /(?<![A-Za-z])QX[\s-]*(\d{6})[\s-]*([0-9A-Za-z]{4})(?![0-9A-Za-z])/gi;
const MAX_LOOKUPS = 3;
const RECENT = 3;

export interface TicketMention {
  /** Canonical id when it can be one of ours, else null. */
  id: string | null;
  /** As typed (for the "not found" answer). */
  text: string;
}

/**
 * Ticket numbers in a message. The ids we issue are read here (src/nlu's ticket pattern expects
 * another shape, QX + 8 digits + 4 digits); the numbers the nlu layer finds are kept as typed so
 * that the answer can name them even though no ticket can carry them.
 */
export function ticketMentions(text: string, nluTickets: Array<{ value: string; start: number; end: number }> = []): TicketMention[] {
  const out: TicketMention[] = [];
  const taken: Array<[number, number]> = [];
  for (const m of text.matchAll(ISSUED_RE)) {
    const id = normaliseTicketId(m[0]);
    if (!id) continue;
    taken.push([m.index, m.index + m[0].length]);
    if (!out.some((x) => x.id === id)) out.push({ id, text: id });
  }
  for (const t of nluTickets) {
    if (taken.some(([s, e]) => t.start < e && s < t.end)) continue;
    if (!out.some((x) => x.text === t.value)) out.push({ id: normaliseTicketId(t.value), text: t.value });
  }
  return out;
}

function monthDay(iso: string): string {
  const [, m, d] = chinaDay(iso).split('-');
  return `${Number(m)}月${Number(d)}日`;
}

/** A ticket's status in the citizen's words (the form's `status` wording): header, state, last staff reply. */
export async function describeTicket(deps: StatusDeps, t: Ticket): Promise<string> {
  const S = deps.config.status;
  const state = fill(S.states[t.status], {
    acceptDate: monthDay(t.acceptDueAt),
    investigationDate: t.investigationDueAt ? fill(S.investigation_due, { date: monthDay(t.investigationDueAt) }) : '',
    reason: t.refusalReason ?? '',
  }).trim();
  const lines = [fill(S.header, { kind: S.kind_names[t.kind], id: t.id, date: monthDay(t.createdAt) }), state];
  const events = await deps.tickets.events(t.id);
  const reply = [...events].reverse().find((e) => e.type === 'reply' && typeof e.data.text === 'string');
  if (reply) lines.push(fill(S.last_reply, { text: String(reply.data.text) }));
  return lines.join('\n');
}

export function ticketStatusHandler(deps: StatusDeps): Handler {
  const S = deps.config.status;
  return async (ctx: TurnContext): Promise<Reply[]> => {
    const { channel, userId } = ctx.msg;
    const channelName = deps.config.channel_names[channel];
    const mentions = ticketMentions(ctx.u.normalized, ctx.u.entities.tickets).slice(0, MAX_LOOKUPS);
    const replies: Reply[] = [];
    if (mentions.length > 0) {
      let missing = false;
      for (const m of mentions) {
        const ticket = m.id ? await deps.tickets.getForOwner(m.id, channel, userId) : null;
        if (ticket) {
          await deps.tickets.recordView(ticket.id, 'worker');
          replies.push({ text: await describeTicket(deps, ticket), citations: [] });
        } else {
          missing = true;
          replies.push({ text: fill(S.not_found, { channel: channelName, id: m.text }), citations: [] });
        }
      }
      if (missing) replies.push({ text: S.how_to_check, citations: [] });
      return replies;
    }
    const mine = await deps.tickets.findForOwner(channel, userId, RECENT);
    if (mine.length === 0) {
      return [{ text: `${fill(S.not_found_any, { channel: channelName })}\n${S.how_to_check}`, citations: [] }];
    }
    if (mine.length === 1) {
      const t = mine[0]!;
      await deps.tickets.recordView(t.id, 'worker');
      return [{ text: await describeTicket(deps, t), citations: [] }];
    }
    const list = mine.map((t) => `${t.id}（${monthDay(t.createdAt)}）：${fill(S.states[t.status], {
      acceptDate: monthDay(t.acceptDueAt),
      investigationDate: '',
      reason: t.refusalReason ?? '',
    }).trim()}`);
    return [{ text: [S.several, ...list, S.more].join('\n'), citations: [] }];
  };
}
