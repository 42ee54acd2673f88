/**
 * The wage-arrears intake as a FormDefinition (src/dialogue/turn.ts): the generic form runner asks,
 * confirms and cancels; the slot table (slots.ts) reads each message into the complaint's slots and
 * says what is still missing, in the order and words of intents/forms/wage-complaint.yaml; this module
 * reads the complaint back before filing (file-complaint.ts), with one combined question for what is
 * optional, and keeps the conversation.
 *
 * Everything kept between turns lives in the session (ActiveForm.slots / memo) as plain JSON.
 */
import type { Channel, Reply } from '../core/types.js';
import type { ActiveForm } from '../dialogue/state.js';
import { looksLikeQuestion } from '../dialogue/control.js';
import type { FormDefinition, TurnContext } from '../dialogue/turn.js';
import { fill, type SlotKey, type WageComplaintConfig } from './form-config.js';
import {
  absorbMessage,
  constructionOf,
  deriveAmount,
  extrasQuestion,
  memoDefaults,
  nextQuestion,
  questionsLeft,
  readFacts,
  type AbsorbResult,
  type LoggedMessage,
  type WageMemo,
  type WageSlots,
} from './slots.js';

export { constructionOf, deriveAmount, type AmountKind, type DerivedAmount, type LoggedMessage, type WageMemo, type WageSlots } from './slots.js';

export const WAGE_COMPLAINT_FORM = 'wage_complaint';

export function slotsOf(form: ActiveForm): WageSlots {
  return form.slots as WageSlots;
}

export function memoOf(form: ActiveForm): WageMemo {
  return memoDefaults(form.memo as Partial<WageMemo>);
}

/** What the form asks this message for: the slot asked, or the combined question of the read-back. */
function askedOf(form: ActiveForm): SlotKey | 'extras' | null {
  if (form.awaitingConfirmation) return memoOf(form).extrasOffered ? 'extras' : null;
  return form.asking as SlotKey | null;
}

// ---------------------------------------------------------------------------------------------
// Read-back

/** The employer as the ticket carries it: (county) name (kind), foreman. */
export function employerText(s: WageSlots): string | null {
  const parts: string[] = [];
  if (s.employer) {
    const kind = s.employerKind && s.employerKind !== '包工头' && !s.employer.includes(s.employerKind) ? s.employerKind : null;
    const named = `${s.employerPlace ?? ''}${s.employer}`;
    parts.push(kind ? `${named}（${kind}）` : named);
  }
  // 砖厂 and 老板姓赵: the workplace without a name still tells the inspector where to look.
  if (!s.employer && s.employerKind && !s.site && (s.employerKind !== '包工头' || !s.foreman)) parts.push(`${s.employerKind}（名字不清楚）`);
  if (s.foreman) parts.push(s.foreman);
  return parts.length > 0 ? parts.join('，') : null;
}

const fmt = (n: number | null): string => (n === null ? '' : Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/\.?0+$/, ''));

/** The figures an amount template fills in; `item` writes one person's own amount for the list. */
function amountValues(
  a: NonNullable<ReturnType<typeof deriveAmount>>,
  s: WageSlots,
  item: (p: NonNullable<WageSlots['people']>[number]) => string,
): Record<string, string> {
  return { total: fmt(a.total), rate: fmt(a.rate), months: fmt(a.months), days: fmt(a.days), workers: fmt(a.workers), list: (s.people ?? []).map(item).join('、') };
}

export function amountLine(config: WageComplaintConfig, s: WageSlots): string | null {
  const a = deriveAmount(s);
  if (!a) return null;
  const t = config.summary.amount;
  const values = { ...amountValues(a, s, (p) => `${p.who}${fmt(p.value)}元${p.approx ? '多' : ''}`), text: s.amountText ?? '' };
  const line = fill(t[a.kind], values);
  return a.estimate ? `${line}${t.estimate}` : line;
}

/** Labels of the required slots left for staff to complete by phone. */
export function incompleteLabels(config: WageComplaintConfig, memo: WageMemo): string[] {
  return config.slots.filter((c) => memo.incomplete.includes(c.key)).map((c) => c.label);
}

/** The read-back as WeChat and the web show it: one fact a line. */
export function summaryText(config: WageComplaintConfig, s: WageSlots, memo?: WageMemo): string {
  const L = config.summary.lines;
  const S = config.summary;
  const lines: string[] = [S.header];
  const add = (template: string, value: string | null | undefined): void => {
    if (value !== null && value !== undefined && value !== '') lines.push(fill(template, { value }));
  };
  add(L.employer, employerText(s));
  add(L.site, s.site);
  add(L.county, s.county);
  const construction = constructionOf(s);
  add(L.isConstruction, construction === null ? null : construction ? S.yes : S.no);
  if (construction && s.generalContractor) add(L.generalContractor, s.generalContractor);
  add(L.amount, amountLine(config, s));
  add(L.period, s.period);
  add(L.workers, s.workers != null ? `${s.workers}人${s.workersApprox ? '左右' : ''}` : null);
  add(L.name, s.workerName);
  add(L.phone, s.phone ? (s.phoneFromSender ? fill(S.phone_sender, { phone: s.phone }) : s.phone) : null);
  add(L.evidence, s.evidence ? (s.evidence.length > 0 ? s.evidence.join('、') : S.none) : null);
  if (memo) add(S.incomplete, incompleteLabels(config, memo).join('、'));
  return lines.join('\n');
}

/** The read-back as one SMS (two segments with the signature): the facts on one line, essentials first. */
export function smsSummaryText(config: WageComplaintConfig, s: WageSlots, memo: WageMemo): string {
  const S = config.summary;
  const parts: string[] = [];
  const who = employerText(s);
  // "鲁山县丰源牧业": the county said with the name is not said twice.
  const place = [who && s.county && who.startsWith(s.employerPlace ?? '\u0000') ? null : s.county, s.site].filter(Boolean).join('');
  if (who || place) parts.push([place, who].filter(Boolean).join('，'));
  const a = deriveAmount(s);
  if (a) {
    const t = S.amount_sms;
    const values = amountValues(a, s, (p) => `${p.who}${fmt(p.value)}`);
    parts.push(`${fill(t[a.kind], values)}${a.estimate || a.kind === 'approx' ? t.approx_mark : ''}`);
  }
  if (s.period && a?.kind !== 'per_month' && a?.kind !== 'per_person_month') parts.push(s.period.replace(/（.*?）/u, ''));
  if (s.workers != null && a?.kind !== 'per_person' && a?.kind !== 'per_person_month' && a?.kind !== 'people' && s.workers > 1) {
    parts.push(`${s.workers}人${s.workersApprox ? '左右' : ''}`);
  }
  if (s.workerName) parts.push(s.workerName);
  if (s.phone) parts.push(fill(s.phoneFromSender ? S.phone_sms_sender : S.phone_sms, { phone: s.phone }));
  if (s.evidence && s.evidence.length > 0) parts.push(s.evidence.join('、'));
  const incomplete = incompleteLabels(config, memo);
  if (incomplete.length > 0) parts.push(fill(S.incomplete, { value: incomplete.join('、') }));
  return `${S.header_sms}${parts.join('；')}。`;
}

/** SMS: 70 characters for one segment, 67 a segment when longer; the signature 【平顶山人社】 counts. */
const SMS_SIGNATURE = 7;
const SMS_TWO_SEGMENTS = 2 * 67 - SMS_SIGNATURE;

/**
 * The read-back: the facts, then (the first time) the one question for what is optional, then how to
 * confirm. When only optional facts were added since the last read-back, a short confirmation instead.
 */
export function readBack(config: WageComplaintConfig, s: WageSlots, memo: WageMemo, channel: string, notice: string | null = null): string {
  const S = config.summary;
  const sms = channel === 'sms';
  const core = sms ? smsSummaryText(config, s, memo) : summaryText(config, s, memo);
  const coreKey = JSON.stringify([summaryText(config, { ...s, workerName: null, evidence: null, generalContractor: null }), memo.incomplete]);
  if (memo.extrasOffered && memo.lastCore === coreKey) {
    const short = S.short;
    if (memo.lastQuestion !== short) {
      memo.lastQuestion = short;
      return notice ? `${notice}\n${short}` : short;
    }
  }
  memo.lastCore = coreKey;
  const footer = sms ? S.footer_sms : S.footer;
  const compose = (leaveOut: number): string =>
    [notice, core, memo.extrasOffered ? null : extrasQuestion(config, s, memo, leaveOut), footer].filter(Boolean).join('\n');
  let text = compose(0);
  // On SMS, two segments at most: leave optional items out of the combined question until it fits
  // (the personal-data notice, said once, may still take it to a third).
  for (let leaveOut = 1; sms && [...text].length > SMS_TWO_SEGMENTS && leaveOut <= 5; leaveOut++) text = compose(leaveOut);
  memo.extrasOffered = true;
  memo.lastQuestion = text;
  return text;
}

// ---------------------------------------------------------------------------------------------
// The form

export interface WageComplaintFormDeps {
  config: WageComplaintConfig;
  /** The personal-data notice, said once before the first question for a personal detail. */
  privacyNotice?: (channel: Channel) => string;
  submit(ctx: TurnContext, form: ActiveForm): Promise<Reply[]>;
}

/** Most messages an intake keeps (a worker who writes 300 messages has said what matters). */
const LOG_LIMIT = 300;

/**
 * Keeps the whole intake conversation in the form (the session history keeps only the last turns):
 * what the assistant answered to the previous message (the trailing replies of the history), then
 * this message. The first message of the intake comes with no earlier reply of the intake.
 */
function logTurn(ctx: TurnContext, form: ActiveForm): void {
  const memo = memoOf(form);
  if (memo.log.length > 0) {
    const replies: LoggedMessage[] = [];
    const history = ctx.state.history;
    for (let i = history.length - 1; i >= 0 && history[i]!.from === 'assistant'; i--) {
      const t = history[i]!;
      replies.unshift({ from: 'assistant', text: t.text, at: t.at });
    }
    memo.log.push(...replies);
  }
  memo.log.push({ from: 'user', text: ctx.msg.text, at: ctx.now.toISOString() });
  if (memo.log.length > LOG_LIMIT) memo.log.splice(1, memo.log.length - LOG_LIMIT);
}

/** Reads this message into the form. */
function absorbInto(config: WageComplaintConfig, ctx: TurnContext, form: ActiveForm): AbsorbResult {
  const s = slotsOf(form);
  const memo = memoOf(form);
  const asked = askedOf(form);
  const construction = constructionOf(s) === true;
  const { normalized: text, entities: e } = ctx.u;
  const f = readFacts(text, e, { asked, construction, memo });
  if (looksLikeQuestion(ctx.u)) f.question = true;
  return absorbMessage(config, s, memo, { text, e, f, asked, construction, memo }, { channel: ctx.msg.channel, userId: ctx.msg.userId });
}

/** Slots that are the worker's own personal details (the employer's name is not). */
const PERSONAL_SLOTS: ReadonlySet<string> = new Set(['phone', 'name']);

export function wageComplaintForm(deps: WageComplaintFormDeps): FormDefinition {
  const { config } = deps;
  // 个人信息保护法 §17: say what is collected, why, who sees it, how long and how to delete it before
  // asking. The first personal question is the phone or name question, or else the read-back (which
  // shows the sender's number and asks for a name); the notice goes in front of whichever comes first.
  const noticeDue = (ctx: TurnContext, form: ActiveForm): string | null => {
    const memo = memoOf(form);
    if (!deps.privacyNotice || memo.privacyNoticed) return null;
    memo.privacyNoticed = true;
    return deps.privacyNotice(ctx.msg.channel);
  };
  const withNotice = (ctx: TurnContext, form: ActiveForm, question: string): string => {
    const notice = noticeDue(ctx, form);
    return notice ? `${notice}\n${question}` : question;
  };
  return {
    name: WAGE_COMPLAINT_FORM,
    absorb(ctx, form) {
      logTurn(ctx, form);
      return absorbInto(config, ctx, form);
    },
    next(ctx, form) {
      const memo = memoOf(form);
      const q = nextQuestion(config, slotsOf(form), memo);
      if (q) memo.lastQuestion = q.question;
      return q && PERSONAL_SLOTS.has(q.slot) ? { ...q, question: withNotice(ctx, form, q.question) } : q;
    },
    intro(ctx, form) {
      // The runner starts a form with fresh slots but hands over the old memo on "重新开始": what
      // was skipped, deferred or defaulted is asked or applied again; the conversation log and the
      // warning signs stay (they were said).
      const memo = memoOf(form);
      memo.skipped = [];
      memo.deferred = [];
      memo.misses = {};
      memo.incomplete = [];
      memo.choices = null;
      memo.extrasOffered = false;
      memo.lastQuestion = null;
      memo.lastCore = null;
      memo.redo = null;
      memo.senderDefaultDone = false;
      memo.outsideNoted = false;
      // How many questions remain once the first message is read (without changing the form). When
      // it says everything required, the read-back comes at once, with no introduction.
      const trial: ActiveForm = structuredClone(form);
      absorbInto(config, ctx, trial);
      const left = questionsLeft(config, slotsOf(trial), memoOf(trial));
      return left === 0 ? null : fill(config.intro, { count: left });
    },
    summary(ctx, form) {
      return readBack(config, slotsOf(form), memoOf(form), ctx.msg.channel, noticeDue(ctx, form));
    },
    submit: (ctx, form) => deps.submit(ctx, form),
    cancelled: config.cancelled,
    title: '欠薪投诉登记',
  };
}
