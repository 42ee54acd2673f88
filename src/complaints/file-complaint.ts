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
import { fill, loadWageComplaintConfig, type FormCitation, type WageComplaintConfig } from './form-config.js';
import { assessUrgency } from './urgency.js';
import { constructionOf, deriveAmount, employerText, incompleteLabels, memoOf, slotsOf } from './wage-complaint-form.js';
import { displayTitle } from '../knowledge/citation-text.js';

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

const UNIT = { per_person: '人', per_month: '月', per_person_month: '人·月', per_day: '天' } as const;

/**
 * The summary an inspector acts on, one fact a line: who complains and how to reach them, where
 * (county + place), the employer, the general contractor, the amount (total and per person, marked
 * when approximate or worked out), the months, the head count, the evidence, and what staff must
 * still complete by phone. The conversation itself is the ticket's transcript, apart.
 */
export function ticketSummary(config: WageComplaintConfig, form: ActiveForm): string {
  const s = slotsOf(form);
  const memo = memoOf(form);
  const a = deriveAmount(s);
  const lines: string[] = [];
  const add = (label: string, value: string | null | undefined): void => {
    if (value) lines.push(`${label}：${value}`);
  };
  const phone = s.phone ? `${s.phone}${s.phoneFromSender ? '（发短信的号码）' : ''}` : null;
  add('投诉人', [s.workerName ?? '未留姓名', phone ? `电话${phone}` : '未留电话'].join('，'));
  add('地点', [s.county ?? '县区不详', s.site].filter(Boolean).join(' '));
  add('欠薪单位', employerText(s) ?? '不详');
  const construction = constructionOf(s);
  if (construction) add('总包单位', s.generalContractor ?? '未说明');
  if (a) {
    const approx = a.kind === 'approx' || a.estimate;
    let line = `${a.total}元${approx ? '（约数）' : ''}`;
    if (a.kind === 'approx' && s.amountText) line += `，工人说“${s.amountText}”，按${a.total}元登记`;
    if (a.kind !== 'total' && a.kind !== 'approx' && a.kind !== 'people') {
      line += `，按${a.rate}元/${UNIT[a.kind]}计算${a.estimate ? '，工人说的是约数，按下限计算' : ''}`;
    }
    add('欠款合计', line);
    if (a.kind === 'people') add('每人欠款', (s.people ?? []).map((p) => `${p.who}${p.value}元${p.approx ? '（约数）' : ''}`).join('；'));
    else if (a.perPerson !== null) add('每人欠款', `${a.perPerson}元`);
  } else {
    add('欠款合计', '不详');
  }
  const months = s.months != null && !/个?月/u.test(s.period ?? '') ? `（${s.periodApprox ? '约' : ''}${s.months}个月）` : '';
  add('欠薪时间', s.period ? `${s.period}${months}` : null);
  add('被欠人数', s.workers != null ? `${s.workers}人${s.workersApprox ? '左右' : ''}` : memo.plural ? '未说明（不止一人）' : '1人（只说了自己）');
  add('证据', s.evidence ? (s.evidence.length > 0 ? s.evidence.join('、') : '没有') : '未说明');
  if (memo.escalation.length > 0) add('风险', memo.escalation.join('；'));
  const incomplete = incompleteLabels(config, memo);
  if (incomplete.length > 0) add('【信息不全】待电话补全', incomplete.join('、'));
  return clip(lines.join('\n'), TEXT_MAX);
}

export function buildTicketInput(ctx: TurnContext, form: ActiveForm, calendar: CalendarOverrides = {}, config: WageComplaintConfig = loadWageComplaintConfig()): FileTicketInput {
  const s = slotsOf(form);
  const memo = memoOf(form);
  const amount = deriveAmount(s);
  const isConstruction = constructionOf(s);
  // A worker who spoke only of themselves ("欠我", "俺") is one worker owed.
  const workers = amount?.workers ?? s.workers ?? (memo.plural ? null : 1);
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
    description: ticketSummary(config, form),
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
  return { title: displayTitle(c.title), docNo: c.docNo, clause: c.clause };
}

function monthDay(iso: string): string {
  const [, m, d] = chinaDay(iso).split('-');
  return `${Number(m)}月${Number(d)}日`;
}

/** Files the confirmed complaint and says what happens next. Store errors propagate (nothing is lost:
 * the session is saved only after a successful turn, so the intake is still awaiting confirmation). */
export async function fileComplaint(deps: FileComplaintDeps, ctx: TurnContext, form: ActiveForm): Promise<Reply[]> {
  const { config } = deps;
  const input = buildTicketInput(ctx, form, deps.calendar, config);
  const { ticket, created } = await deps.tickets.file(input, idempotencyKey(input));
  const county = ticket.county ?? config.county_fallback;
  const acceptDate = monthDay(ticket.acceptDueAt);
  if (ctx.msg.channel === 'sms' && created) {
    // One message of at most two segments: the number, the deadline, how to ask for progress, whom
    // to turn to. No source line (it alone would take a segment); WeChat and the web carry the sources.
    return [{ text: fill(config.filed_sms, { id: ticket.id, acceptDate, county }), citations: [] }];
  }
  const first = fill(created ? config.filed : config.filed_again, { id: ticket.id });
  const steps = fill(config.next_steps, {
    id: ticket.id,
    acceptDate,
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
