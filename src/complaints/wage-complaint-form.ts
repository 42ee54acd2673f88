/**
 * The wage-arrears intake as a FormDefinition (src/dialogue/turn.ts): the generic form runner asks,
 * confirms and cancels; this module reads each message into the complaint's slots (extract.ts), says
 * what is still missing in the order and words of intents/forms/wage-complaint.yaml, and reads the
 * complaint back before filing (file-complaint.ts).
 *
 * Everything kept between turns lives in the session (ActiveForm.slots / memo) as plain JSON.
 */
import type { Reply } from '../core/types.js';
import type { ActiveForm } from '../dialogue/state.js';
import type { FormDefinition, TurnContext } from '../dialogue/turn.js';
import { extractFacts, inferConstruction, type Facts } from './extract.js';
import { fill, type SlotConfig, type SlotKey, type WageComplaintConfig } from './form-config.js';

export const WAGE_COMPLAINT_FORM = 'wage_complaint';

/** What the intake has gathered. Absent: not said yet. null: asked, and the worker did not know. */
export interface WageSlots {
  employer?: string | null;
  foreman?: string | null;
  employerKind?: string | null;
  site?: string | null;
  county?: string | null;
  /** Only "平顶山" was said: the county is still to be asked. */
  countyCityOnly?: boolean;
  isConstruction?: boolean | null;
  generalContractor?: string | null;
  amountTotal?: number | null;
  amountApprox?: boolean;
  /** The words of an approximate amount ("一万多"), for the read-back. */
  amountText?: string | null;
  rate?: number | null;
  /** 每人欠五六千: the rate is a lower bound. */
  rateApprox?: boolean;
  ratePer?: 'person' | 'month' | 'day' | null;
  ratePerPersonToo?: boolean;
  period?: string | null;
  months?: number | null;
  days?: number | null;
  /** 两三个月, 三个多月: the months or days are a lower bound. */
  periodApprox?: boolean;
  workers?: number | null;
  workersApprox?: boolean;
  phone?: string | null;
  phoneFromSender?: boolean;
  workerName?: string | null;
  evidence?: string[] | null;
}

export interface LoggedMessage {
  from: 'user' | 'assistant';
  text: string;
  at: string;
}

export interface WageMemo {
  /** Optional questions the worker answered with "没有 / 不知道": never asked again. */
  skipped: string[];
  /** The worker's messages during the intake (the session history keeps only the last turns). */
  log: LoggedMessage[];
  escalation: string[];
  notes: string[];
  outsideNoted?: boolean;
  /** A slot the worker just gave an unusable value for (a 10-digit phone): asked next. */
  redo?: string | null;
  /** The asked slot got an answer that says too little ("有", "不知道"): ask it again, narrower. */
  narrow?: string | null;
  /** The phone question (which also asks for a name) was asked. */
  askedPhone?: boolean;
  safetyNoted?: boolean;
  senderDefaultDone?: boolean;
}

export function slotsOf(form: ActiveForm): WageSlots {
  return form.slots as WageSlots;
}

export function memoOf(form: ActiveForm): WageMemo {
  const m = form.memo as Partial<WageMemo>;
  m.skipped ??= [];
  m.log ??= [];
  m.escalation ??= [];
  m.notes ??= [];
  return m as WageMemo;
}

// ---------------------------------------------------------------------------------------------
// Amounts

export type AmountKind = 'total' | 'approx' | 'per_person' | 'per_month' | 'per_person_month' | 'per_day';

export interface DerivedAmount {
  total: number;
  kind: AmountKind;
  /** Per person, when the worker spoke per person. */
  perPerson: number | null;
  rate: number | null;
  months: number | null;
  days: number | null;
  workers: number | null;
  /** Worked out from a lower bound the worker gave (五六千, 二十来个, 两三个月). */
  estimate: boolean;
}

const money = (n: number): number => Math.round(n * 100) / 100;

/** The total owed as the slots give it (an explicit total wins over a rate), or null when not yet known. */
export function deriveAmount(s: WageSlots): DerivedAmount | null {
  const workers = s.workers ?? null;
  if (s.amountTotal !== undefined && s.amountTotal !== null) {
    const perPerson = s.ratePer === 'person' && !s.ratePerPersonToo ? (s.rate ?? null) : null;
    return { total: s.amountTotal, kind: s.amountApprox ? 'approx' : 'total', perPerson, rate: null, months: null, days: null, workers, estimate: false };
  }
  const rate = s.rate ?? null;
  if (rate === null) return null;
  const rateApprox = Boolean(s.rateApprox);
  const workersApprox = Boolean(s.workersApprox);
  const periodApprox = Boolean(s.periodApprox);
  if (s.ratePer === 'person') {
    if (workers === null) return null;
    return { total: money(rate * workers), kind: 'per_person', perPerson: rate, rate, months: null, days: null, workers, estimate: rateApprox || workersApprox };
  }
  if (s.ratePer === 'month') {
    const months = s.months ?? null;
    if (months === null) return null;
    if (s.ratePerPersonToo) {
      if (workers === null) return null;
      return {
        total: money(rate * months * workers),
        kind: 'per_person_month',
        perPerson: money(rate * months),
        rate,
        months,
        days: null,
        workers,
        estimate: rateApprox || periodApprox || workersApprox,
      };
    }
    return { total: money(rate * months), kind: 'per_month', perPerson: null, rate, months, days: null, workers, estimate: rateApprox || periodApprox };
  }
  if (s.ratePer === 'day') {
    const days = s.days ?? (s.months !== null && s.months !== undefined ? Math.round(s.months * 30) : null);
    if (days === null) return null;
    const per = money(rate * days);
    return s.ratePerPersonToo
      ? workers === null
        ? null
        : { total: money(per * workers), kind: 'per_day', perPerson: per, rate, months: null, days, workers, estimate: rateApprox || periodApprox || workersApprox }
      : { total: per, kind: 'per_day', perPerson: null, rate, months: null, days, workers, estimate: rateApprox || periodApprox };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Which question next

function done(cfg: SlotConfig, s: WageSlots, memo: WageMemo): boolean {
  const skipped = memo.skipped.includes(cfg.key);
  switch (cfg.key) {
    case 'employer':
      return Boolean(s.employer || s.foreman || s.site || s.employerKind);
    case 'county':
      return Boolean(s.county) && !s.countyCityOnly;
    case 'employerName':
      return skipped || Boolean(s.employer || s.foreman) || !(s.employerKind || s.site);
    case 'amount': {
      if (deriveAmount(s)) return true;
      const needsWorkers = (s.ratePer === 'person' || s.ratePerPersonToo) && s.workers == null && !memo.skipped.includes('workers');
      const needsPeriod =
        (s.ratePer === 'month' || s.ratePer === 'day') && s.months == null && s.days == null && !memo.skipped.includes('period');
      return s.rate != null && (needsWorkers || needsPeriod);
    }
    case 'workers':
      return skipped || s.workers != null;
    case 'period':
      return skipped || s.period != null || s.months != null;
    case 'phone':
      return Boolean(s.phone);
    case 'name':
      // The phone question also asks how to address the worker; the name is asked on its own only
      // when the phone came from the SMS sender.
      return skipped || s.workerName != null || Boolean(memo.askedPhone);
    case 'isConstruction':
      return skipped || s.isConstruction != null || inferConstruction(s) !== undefined;
    case 'generalContractor':
      return skipped || s.generalContractor != null || constructionOf(s) !== true;
    case 'evidence':
      return skipped || s.evidence != null;
  }
}

export function constructionOf(s: WageSlots): boolean | null {
  return s.isConstruction ?? inferConstruction(s) ?? null;
}

function questionFor(cfg: SlotConfig, s: WageSlots, memo: WageMemo): string {
  // Instead of the question again (said in full the turn before), its narrower follow-up.
  if (memo.narrow === cfg.key && cfg.reask.unknown) return cfg.reask.unknown;
  const v = cfg.variants;
  switch (cfg.key) {
    case 'county':
      return s.countyCityOnly && v.city_only ? v.city_only : cfg.question;
    case 'employerName':
      if (s.employerKind === '包工头' && v.foreman) return v.foreman;
      if (s.site && v.site) return fill(v.site, { site: s.site });
      if (s.employerKind && v.kind) return fill(v.kind, { kind: s.employerKind });
      return cfg.question;
    case 'amount':
      if (s.rate != null && s.ratePer === 'month' && memo.skipped.includes('period') && v.rate) return fill(v.rate, { rate: s.rate });
      if (s.rate != null && s.ratePer === 'day' && memo.skipped.includes('period') && v.day_rate) return fill(v.day_rate, { rate: s.rate });
      return cfg.question;
    case 'phone':
      return memo.redo === 'phone' && v.again ? v.again : cfg.question;
    case 'period':
      return s.rate != null && s.ratePer === 'month' && v.rate ? fill(v.rate, { rate: s.rate }) : cfg.question;
    default:
      return cfg.question;
  }
}

function pendingSlots(config: WageComplaintConfig, s: WageSlots, memo: WageMemo): SlotConfig[] {
  const pending = config.slots.filter((c) => !done(c, s, memo));
  const redo = pending.findIndex((c) => c.key === memo.redo);
  if (redo > 0) pending.unshift(...pending.splice(redo, 1));
  return pending;
}

/** How many questions remain if every optional one is answered "不知道" (for the intro). */
function questionsLeft(config: WageComplaintConfig, form: ActiveForm): number {
  const trial: ActiveForm = structuredClone(form);
  const s = slotsOf(trial);
  const memo = memoOf(trial);
  let n = 0;
  for (let next = pendingSlots(config, s, memo)[0]; next && n < config.slots.length; next = pendingSlots(config, s, memo)[0]) {
    n++;
    if (next.key === 'phone') memo.askedPhone = true;
    // Pretend the answer came: required slots with a placeholder, optional ones declined.
    if (next.key === 'employer') s.employer = '?';
    else if (next.key === 'county') s.county = '?';
    else if (next.key === 'amount') s.amountTotal = 0;
    else if (next.key === 'phone') s.phone = '?';
    else memo.skipped.push(next.key);
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Reading a message into the slots

const MOBILE = /^(?:\+?86)?(1[3-9]\d{9})$/;

interface AbsorbResult {
  filled: string[];
  problems: string[];
}

function slotConfig(config: WageComplaintConfig, key: SlotKey): SlotConfig {
  const c = config.slots.find((x) => x.key === key);
  if (!c) throw new Error(`wage-complaint form: slot ${key} missing`);
  return c;
}

/** Applies what one message says to the slots; returns what changed and what to tell the worker. */
export function absorbFacts(
  config: WageComplaintConfig,
  form: ActiveForm,
  f: Facts,
  opts: { channel: string; userId: string },
): AbsorbResult {
  const s = slotsOf(form);
  const memo = memoOf(form);
  const filled = new Set<string>();
  const problems: string[] = [];
  const asking = form.asking as SlotKey | null;
  if (asking === 'phone') memo.askedPhone = true;
  memo.narrow = null;

  // The SMS sender's own number is the default contact phone (the worker may give another).
  if (!memo.senderDefaultDone) {
    memo.senderDefaultDone = true;
    const m = MOBILE.exec(opts.userId.replace(/[\s-]/g, ''));
    if (opts.channel === 'sms' && m && !s.phone) {
      s.phone = m[1]!;
      s.phoneFromSender = true;
    }
  }

  // Who and where.
  if (f.employer) {
    s.employer = f.employer;
    filled.add('employer');
    filled.add('employerName');
  }
  if (f.foreman) {
    s.foreman = f.foreman;
    filled.add('employer');
    filled.add('employerName');
  }
  if (f.employerKind && (!s.employerKind || s.employerKind === '包工头')) {
    s.employerKind = f.employerKind;
    filled.add('employer');
  }
  if (f.site) {
    s.site = f.site;
    filled.add('employer');
  }
  if (f.county) {
    const moreSpecific = !f.county.cityOnly || !s.county || s.countyCityOnly;
    if (moreSpecific) {
      s.county = f.county.name;
      s.countyCityOnly = f.county.cityOnly;
      filled.add('county');
      if (f.county.outside && !memo.outsideNoted) {
        memo.outsideNoted = true;
        const outside = slotConfig(config, 'county').reask.outside;
        if (outside) problems.push(fill(outside, { place: f.county.name }));
      }
    }
  }
  if (f.isConstruction !== undefined) {
    s.isConstruction = f.isConstruction;
    filled.add('isConstruction');
  }
  if (f.generalContractor) {
    s.generalContractor = f.generalContractor;
    filled.add('generalContractor');
  }

  // Money: a total in this message replaces what was said before; a new rate replaces an old total.
  const total = [...f.amounts].reverse().find((a) => a.per === 'total');
  const rate = [...f.amounts].reverse().find((a) => a.per !== 'total');
  if (rate) {
    s.rate = rate.value;
    s.rateApprox = rate.approx;
    s.ratePer = rate.per === 'total' ? null : rate.per;
    s.ratePerPersonToo = rate.perPersonToo;
    if (!total) {
      s.amountTotal = null;
      s.amountApprox = false;
      s.amountText = null;
    }
    filled.add('amount');
  }
  if (total) {
    s.amountTotal = total.value;
    s.amountApprox = total.approx;
    s.amountText = total.approx ? total.text : null;
    filled.add('amount');
    if (total.approx) {
      const note = slotConfig(config, 'amount').reask.approx;
      if (note) problems.push(fill(note, { text: total.text, value: total.value }));
    }
  }
  if (f.period) {
    s.period = f.period.text;
    if (f.period.months !== null) s.months = f.period.months;
    if (f.period.days !== null) s.days = f.period.days;
    if (f.period.months !== null || f.period.days !== null) s.periodApprox = f.period.approx;
    filled.add('period');
  }
  if (f.workers) {
    s.workers = f.workers.count;
    s.workersApprox = f.workers.approx;
    filled.add('workers');
  }

  // Phone: a valid number wins; an invalid one is asked again with the reason.
  const valid = [...f.phones].reverse().find((p) => p.valid);
  if (valid) {
    if (memo.redo === 'phone') memo.redo = null;
    s.phone = valid.value;
    s.phoneFromSender = false;
    filled.add('phone');
  } else {
    const bad = f.phones.find((p) => !p.valid);
    if (bad) {
      const reask = slotConfig(config, 'phone').reask;
      const template = (bad.problem && reask[bad.problem]) ?? reask.unknown;
      if (template) problems.push(fill(template, { length: bad.length, value: bad.value }));
      memo.redo = 'phone';
      // The worker meant to give a number: ask for it rather than keep the default.
      if (s.phoneFromSender) {
        s.phone = null;
        s.phoneFromSender = false;
      }
    }
  }

  if (f.workerName) {
    s.workerName = f.workerName;
    filled.add('name');
  }
  if (f.evidence) {
    s.evidence = f.evidence.length === 0 ? (s.evidence ?? []) : [...new Set([...(s.evidence ?? []), ...f.evidence])];
    filled.add('evidence');
  }
  for (const sign of f.escalation) if (!memo.escalation.includes(sign)) memo.escalation.push(sign);
  if (f.escalation.some((x) => x.startsWith('人身安全风险')) && !memo.safetyNoted) {
    memo.safetyNoted = true;
    problems.unshift(config.safety_note);
  }

  if (f.nameUnknown && !memo.skipped.includes('employerName')) {
    memo.skipped.push('employerName');
    filled.add('employerName');
  }

  // "没有 / 不知道" for the slot being asked.
  if (asking && !filled.has(asking) && f.declined) {
    const cfg = slotConfig(config, asking);
    if (asking === 'workers') {
      s.workers = 1;
      filled.add('workers');
    } else if (asking === 'evidence') {
      s.evidence ??= [];
      filled.add('evidence');
    } else if (asking === 'isConstruction' && f.reply === 'deny') {
      s.isConstruction = false;
      filled.add('isConstruction');
    } else if (cfg.kind === 'ask_once') {
      if (!memo.skipped.includes(asking)) memo.skipped.push(asking);
      filled.add(asking);
    } else if (asking === 'employer' && (s.employerKind || s.site)) {
      filled.add(asking);
    } else if (cfg.reask.unknown) {
      memo.narrow = asking;
    }
  } else if (asking && !filled.has(asking) && filled.size === 0 && problems.length === 0) {
    // An answer we cannot read for an ask-once question: ask a narrower one, or move on.
    const cfg = slotConfig(config, asking);
    if (cfg.kind === 'ask_once') {
      if ((asking === 'evidence' || asking === 'workers') && f.reply === 'affirm' && cfg.reask.unknown) {
        memo.narrow = asking;
      } else if (f.reply !== null || !f.question) {
        if (!memo.skipped.includes(asking)) memo.skipped.push(asking);
        filled.add(asking);
      }
    }
  }
  if (asking && !filled.has(asking) && filled.size > 0 && problems.length === 0 && !memo.narrow) {
    // Something else was answered: say it was kept, so the question that follows is not a rebuff.
    const labels = [...new Set(config.slots.filter((c) => filled.has(c.key)).map((c) => c.label))];
    problems.push(fill(config.noted, { what: labels.join('、') }));
  }
  return { filled: [...filled], problems };
}

// ---------------------------------------------------------------------------------------------
// Read-back

function employerLine(s: WageSlots): string | null {
  const parts: string[] = [];
  if (s.employer) {
    const kind = s.employerKind && s.employerKind !== '包工头' && !s.employer.includes(s.employerKind) ? s.employerKind : null;
    parts.push(kind ? `${s.employer}（${kind}）` : s.employer);
  }
  // 砖厂 and 老板姓赵: the workplace without a name still tells the inspector where to look.
  if (!s.employer && s.employerKind && !s.site && (s.employerKind !== '包工头' || !s.foreman)) parts.push(`${s.employerKind}（名字不清楚）`);
  if (s.foreman) parts.push(s.foreman);
  return parts.length > 0 ? parts.join('，') : null;
}

/** The employer as the ticket carries it: name (kind), foreman. */
export function employerText(s: WageSlots): string | null {
  return employerLine(s);
}

export function amountLine(config: WageComplaintConfig, s: WageSlots): string | null {
  const a = deriveAmount(s);
  if (!a) return null;
  const t = config.summary.amount;
  const fmt = (n: number | null): string => (n === null ? '' : Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/\.?0+$/, ''));
  const values = {
    total: fmt(a.total),
    rate: fmt(a.rate),
    months: fmt(a.months),
    days: fmt(a.days),
    workers: fmt(a.workers),
    text: s.amountText ?? '',
  };
  const line = fill(t[a.kind], values);
  return a.estimate ? `${line}${t.estimate}` : line;
}

export function summaryText(config: WageComplaintConfig, s: WageSlots): string {
  const L = config.summary.lines;
  const S = config.summary;
  const lines: string[] = [S.header];
  const add = (template: string, value: string | null | undefined): void => {
    if (value !== null && value !== undefined && value !== '') lines.push(fill(template, { value }));
  };
  add(L.employer, employerLine(s));
  add(L.site, s.site);
  add(L.county, s.county);
  const construction = constructionOf(s);
  add(L.isConstruction, construction === null ? null : construction ? S.yes : S.no);
  if (construction) add(L.generalContractor, s.generalContractor ?? S.unknown);
  add(L.amount, amountLine(config, s));
  add(L.period, s.period);
  add(L.workers, s.workers != null ? `${s.workers}人${s.workersApprox ? '左右' : ''}` : null);
  add(L.name, s.workerName);
  add(L.phone, s.phone ? (s.phoneFromSender ? fill(S.phone_sender, { phone: s.phone }) : s.phone) : null);
  add(L.evidence, s.evidence ? (s.evidence.length > 0 ? s.evidence.join('、') : S.none) : null);
  lines.push(S.footer);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// The form

export interface WageComplaintFormDeps {
  config: WageComplaintConfig;
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

function readMessage(ctx: TurnContext, form: ActiveForm, asking: string | null): Facts {
  return extractFacts(ctx.u.normalized, ctx.u.entities, { asking, construction: constructionOf(slotsOf(form)) === true });
}

export function wageComplaintForm(deps: WageComplaintFormDeps): FormDefinition {
  const { config } = deps;
  return {
    name: WAGE_COMPLAINT_FORM,
    absorb(ctx, form) {
      logTurn(ctx, form);
      const facts = readMessage(ctx, form, form.asking);
      return absorbFacts(config, form, facts, { channel: ctx.msg.channel, userId: ctx.msg.userId });
    },
    next(_ctx, form) {
      const s = slotsOf(form);
      const memo = memoOf(form);
      const first = pendingSlots(config, s, memo)[0];
      return first ? { slot: first.key, question: questionFor(first, s, memo) } : null;
    },
    intro(ctx, form) {
      // The runner starts a form with fresh slots but hands over the old memo on "重新开始": what
      // was skipped or defaulted is asked or applied again; the conversation log and the warning
      // signs stay (they were said).
      const memo = memoOf(form);
      memo.skipped = [];
      memo.redo = null;
      memo.askedPhone = false;
      memo.senderDefaultDone = false;
      memo.outsideNoted = false;
      // How many questions remain once the first message is read (without changing the form).
      const trial: ActiveForm = structuredClone(form);
      absorbFacts(config, trial, readMessage(ctx, trial, null), { channel: ctx.msg.channel, userId: ctx.msg.userId });
      return fill(config.intro, { count: Math.max(1, questionsLeft(config, trial)) });
    },
    summary(_ctx, form) {
      return summaryText(config, slotsOf(form));
    },
    submit: (ctx, form) => deps.submit(ctx, form),
    cancelled: config.cancelled,
  };
}
