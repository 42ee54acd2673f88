/**
 * Filing a confirmed complaint: the intake slots become a FileTicketInput (with the transcript, the
 * acceptance deadline in working days and the queue priority), filed once per idempotency key, and
 * the worker gets the ticket number and what happens next.
 *
 * Idempotency: the key is channel + sender + a hash of the confirmed facts. The same confirmation
 * delivered twice (provider retry with a new message id, a double tap, two gateway processes that
 * both loaded the session before either saved it) files one ticket; the second answer names the
 * same number. The same sender reporting the same facts again later also gets the first ticket back
 * (it is the same complaint); different facts make a different key.
 */
import { createHash } from 'node:crypto';
import type { Citation, Reply } from '../core/types.js';
import type { ActiveForm } from '../dialogue/state.js';
import type { TurnContext } from '../dialogue/turn.js';
import { chinaDay } from '../tickets/china-day.js';
import { ACCEPT_WORKING_DAYS, addWorkingDays, type CalendarOverrides } from '../tickets/deadlines.js';
import type { TicketStore } from '../tickets/ticket-store.js';
import type { FileTicketInput, TranscriptMessage } from '../tickets/types.js';
import { fill, type FormCitation, type WageComplaintConfig } from './form-config.js';
import { assessUrgency } from './urgency.js';
import { constructionOf, deriveAmount, employerText, memoOf, slotsOf } from './wage-complaint-form.js';

export interface FileComplaintDeps {
  tickets: TicketStore;
  config: WageComplaintConfig;
  calendar?: CalendarOverrides;
}

const TRANSCRIPT_MAX = 500;
const TEXT_MAX = 4000;

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** The conversation since the intake started, as the form logged it turn by turn (wage-complaint-form.ts). */
export function transcriptOf(form: ActiveForm): TranscriptMessage[] {
  return memoOf(form)
    .log.filter((m) => m.text.trim() !== '')
    .map((m) => ({ from: m.from, text: clip(m.text, TEXT_MAX), at: m.at }))
    .slice(-TRANSCRIPT_MAX);
}

/** What the worker told us, in their words, plus what the intake worked out. */
function descriptionOf(form: ActiveForm, notes: string[]): string {
  const said = memoOf(form)
    .log.filter((m) => m.from === 'user')
    .map((m) => m.text.trim())
    .filter((t) => t.length > 0);
  return clip([...said, ...notes].join('\n'), TEXT_MAX);
}

export function buildTicketInput(ctx: TurnContext, form: ActiveForm, calendar: CalendarOverrides = {}): FileTicketInput {
  const s = slotsOf(form);
  const memo = memoOf(form);
  const amount = deriveAmount(s);
  const isConstruction = constructionOf(s);
  const notes: string[] = [];
  if (amount?.kind === 'approx' && s.amountText) notes.push(`（金额为约数：工人说“${s.amountText}”，按${amount.total}元登记）`);
  if (amount && amount.kind !== 'total' && amount.kind !== 'approx') {
    const unit = { per_person: '人', per_month: '月', per_person_month: '人·月', per_day: '天' }[amount.kind];
    notes.push(`（金额按工人所说计算：${amount.rate}元/${unit}${amount.estimate ? '；工人说的是约数，按下限计算' : ''}）`);
  }
  if (s.phoneFromSender) notes.push('（联系电话为发送短信的号码）');
  const workers = s.workers ?? null;
  const urgency = assessUrgency({
    workers,
    amountOwed: amount?.total ?? null,
    isConstruction,
    monthsOwed: s.months ?? null,
    escalation: memo.escalation,
  });
  return {
    kind: 'wage_arrears',
    channel: ctx.msg.channel,
    userId: ctx.msg.userId,
    workerName: s.workerName ?? null,
    phone: s.phone ?? null,
    employer: employerText(s),
    site: s.site ?? null,
    county: s.county ?? null,
    isConstruction,
    generalContractor: s.generalContractor ?? null,
    amountOwed: amount?.total ?? null,
    perPersonAmount: amount?.perPerson ?? null,
    period: s.period ?? null,
    monthsOwed: s.months ?? (s.days != null ? Math.round((s.days / 30) * 100) / 100 : null),
    workers,
    evidence: s.evidence ?? [],
    description: descriptionOf(form, notes) || null,
    transcript: transcriptOf(form),
    priority: urgency.priority,
    priorityReasons: urgency.reasons,
    acceptDueAt: addWorkingDays(ctx.now, ACCEPT_WORKING_DAYS, calendar).toISOString(),
  };
}

/** The facts the worker confirmed, in a fixed order: what makes two filings "the same complaint". */
const KEY_FIELDS = [
  'workerName',
  'phone',
  'employer',
  'site',
  'county',
  'isConstruction',
  'generalContractor',
  'amountOwed',
  'perPersonAmount',
  'period',
  'monthsOwed',
  'workers',
  'evidence',
] as const;

export function idempotencyKey(input: FileTicketInput): string {
  const facts = KEY_FIELDS.map((k) => [k, input[k] ?? null]);
  const hash = createHash('sha256').update(JSON.stringify(facts)).digest('hex').slice(0, 32);
  return `wage:${input.channel}:${input.userId}:${hash}`;
}

function citation(c: FormCitation): Citation {
  return { title: c.title, docNo: c.docNo, clause: c.clause };
}

function monthDay(iso: string): string {
  const [, m, d] = chinaDay(iso).split('-');
  return `${Number(m)}月${Number(d)}日`;
}

/** Files the confirmed complaint and says what happens next. Store errors propagate (nothing is lost:
 * the session is saved only after a successful turn, so the intake is still awaiting confirmation). */
export async function fileComplaint(deps: FileComplaintDeps, ctx: TurnContext, form: ActiveForm): Promise<Reply[]> {
  const { config } = deps;
  const input = buildTicketInput(ctx, form, deps.calendar);
  const { ticket, created } = await deps.tickets.file(input, idempotencyKey(input));
  const county = ticket.county ?? config.county_fallback;
  const first = fill(created ? config.filed : config.filed_again, { id: ticket.id });
  const steps = fill(config.next_steps, {
    id: ticket.id,
    acceptDate: monthDay(ticket.acceptDueAt),
    channel: config.channel_names[ctx.msg.channel],
    county,
  });
  const citations = config.citations.map(citation);
  const parts = [steps];
  if (ticket.isConstruction) {
    parts.push(config.construction_note);
    citations.push(citation(config.construction_citation));
  }
  return [
    { text: first, citations: [] },
    { text: parts.join('\n'), citations },
  ];
}
