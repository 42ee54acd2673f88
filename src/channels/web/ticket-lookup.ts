/**
 * A complaint's status on a new device (issue 14, item 3): its number plus the last four digits of
 * the phone given in the complaint. A wrong number and wrong digits get the same neutral answer (no
 * hint which one is wrong), and guesses are limited per client (the session store's `hit` counter).
 * The answer uses the status wording of the complaint form (intents/forms/wage-complaint.yaml `status`).
 */
import { normaliseTicketId } from '../../tickets/ticket-id.js';
import type { TicketStore } from '../../tickets/ticket-store.js';
import type { SessionStore } from '../../dialogue/session-store.js';
import type { WageComplaintConfig } from '../../complaints/form-config.js';
import { describeTicket } from '../../complaints/status.js';

/** At most this many lookups per client in the window. */
export const LOOKUP_LIMIT = 5;
export const LOOKUP_WINDOW_SECONDS = 10 * 60;

export const LOOKUP_NO_MATCH =
  '没有查到对应的投诉，请核对投诉编号和登记时留的手机号后四位。也可以带上身份证到县（市、区）人社局劳动保障监察窗口查询，或打12333。';
export const LOOKUP_THROTTLED = '查询次数太多了，请10分钟后再试，或打12333。';

export type LookupResult = { kind: 'found'; text: string } | { kind: 'no_match'; text: string } | { kind: 'throttled'; text: string };

const ID_RE = /(?<![A-Za-z])QX[\s\-－]*\d{6}[\s\-－]*[0-9A-Za-z]{4}(?![0-9A-Za-z])/i;
const LAST4_RE = /(?<!\d)(\d{4})(?!\d)/;

/**
 * "查询 QX261206-AB3C 0606", "QX261206-AB3C 尾号0606", "查询QX261206AB3C 手机后四位0606": the number and
 * the four digits, or null when the message is not such a lookup (a bare "查询 编号" stays with the
 * dialogue, which shows the sender's own tickets).
 */
export function parseLookup(text: string): { id: string; phoneLast4: string } | null {
  const half = text.normalize('NFKC');
  if (half.length > 80) return null;
  const m = ID_RE.exec(half);
  if (!m) return null;
  const id = normaliseTicketId(m[0]);
  if (!id) return null;
  const rest = half.slice(0, m.index) + ' ' + half.slice(m.index + m[0].length);
  const d = LAST4_RE.exec(rest);
  return d ? { id, phoneLast4: d[1]! } : null;
}

export class TicketLookup {
  constructor(
    private readonly deps: { tickets: TicketStore; sessions: SessionStore; config: WageComplaintConfig },
  ) {}

  /** `client` identifies who is guessing (the request's address). */
  async lookup(client: string, id: string, phoneLast4: string): Promise<LookupResult> {
    const rate = await this.deps.sessions.hit(`rate:ticket-lookup:${client}`, LOOKUP_WINDOW_SECONDS, LOOKUP_LIMIT);
    if (!rate.allowed) return { kind: 'throttled', text: LOOKUP_THROTTLED };
    const canonical = normaliseTicketId(id);
    const ticket = canonical ? await this.deps.tickets.get(canonical) : null;
    const digits = (ticket?.phone ?? '').replace(/\D/g, '');
    if (!ticket || digits.length < 4 || digits.slice(-4) !== phoneLast4) return { kind: 'no_match', text: LOOKUP_NO_MATCH };
    await this.deps.tickets.recordView(ticket.id, 'worker');
    return { kind: 'found', text: await describeTicket(this.deps, ticket) };
  }

}
