/**
 * The complaint intake's slots, one handler each, in one table (the spirit of Rasa's slot mappings):
 *
 *   read       the bare answer a message gives when this slot was asked ("宏发物流", "8", "没有")
 *   absorb     what the message's facts put into the slot (corrections replace, several people add up)
 *   onDecline  what "不知道 / 没有 / 不说" (or an answer that cannot be read) means for it
 *   done       whether it still needs asking
 *   question   what to ask, in the words of intents/forms/wage-complaint.yaml
 *
 * The generic reading of a message (names, amounts, dates, phones … in the worker's words) is
 * extract.ts; the wording is the form file; the order of the table is the order facts are applied
 * in (the form file gives the order of the questions).
 *
 * No stalls: an optional slot is skipped after one "不知道" or two answers it cannot read, or left for
 * the combined question at the read-back when the worker answered something else; a required slot is
 * asked a narrower way, then (the county) with numbered choices, then left for staff to complete by
 * phone and the ticket is marked incomplete. The same question is never asked twice in a row in the
 * same words.
 */
import type { Entities } from '../nlu/entities.js';
import {
  blank,
  extractFacts,
  inferConstruction,
  NOT_A_NAME,
  readWorkerName,
  restOf,
  saidOtherThings,
  SURNAME,
  type Facts,
} from './extract.js';
import { fill, type SlotConfig, type SlotKey, type WageComplaintConfig } from './form-config.js';

/** What the intake has gathered. Absent: not said yet. null: asked, and the worker did not know. */
export interface WageSlots {
  employer?: string | null;
  /** The county said as part of the employer's name (叶县鑫达纸箱厂). */
  employerPlace?: string | null;
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
  /** "我五千 我兄弟四千五": each person's own amount; the total is their sum. */
  people?: Array<{ who: string; value: number; approx: boolean }> | null;
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
  /** The personal-data notice was given (once per intake). */
  privacyNoticed?: boolean;
  /** Optional questions the worker answered with "没有 / 不知道": never asked again. */
  skipped: string[];
  /** The worker's messages during the intake (the session history keeps only the last turns). */
  log: LoggedMessage[];
  escalation: string[];
  /** Answers to a slot that could not be read, or "不知道" to a required one, per slot. */
  misses: Record<string, number>;
  /** Required slots left for staff to complete by phone: the ticket is marked incomplete. */
  incomplete: string[];
  /** Optional questions answered with something else: offered again in the combined question. */
  deferred: string[];
  /** Numbered choices offered for the slot being asked ("1" picks the first). */
  choices?: string[] | null;
  /** The combined optional question was put at a read-back. */
  extrasOffered?: boolean;
  /** The last question asked, so the next one is never the same words. */
  lastQuestion?: string | null;
  /** The facts of the last read-back, so a read-back that only adds optional facts is short. */
  lastCore?: string | null;
  outsideNoted?: boolean;
  /** A slot the worker just gave an unusable value for (a 10-digit phone): asked next. */
  redo?: string | null;
  /** The asked slot got an answer that says too little ("有", "不知道"): ask it again, narrower. */
  narrow?: string | null;
  safetyNoted?: boolean;
  senderDefaultDone?: boolean;
  /** The worker spoke of others owed too (我们, 班组 …). */
  plural?: boolean;
}

export function memoDefaults(m: Partial<WageMemo>): WageMemo {
  m.skipped ??= [];
  m.log ??= [];
  m.escalation ??= [];
  m.misses ??= {};
  m.incomplete ??= [];
  m.deferred ??= [];
  return m as WageMemo;
}

// ---------------------------------------------------------------------------------------------
// Amounts

export type AmountKind = 'total' | 'approx' | 'people' | 'per_person' | 'per_month' | 'per_person_month' | 'per_day';

export interface DerivedAmount {
  total: number;
  kind: AmountKind;
  /** Per person, when the worker spoke per person (or is alone). */
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
  const alone = workers === null || workers === 1;
  if (s.people && s.people.length >= 2 && (s.amountTotal === undefined || s.amountTotal === null)) {
    const total = money(s.people.reduce((n, p) => n + p.value, 0));
    return {
      total,
      kind: 'people',
      perPerson: null,
      rate: null,
      months: null,
      days: null,
      workers: Math.max(workers ?? 0, s.people.length),
      estimate: s.people.some((p) => p.approx),
    };
  }
  if (s.amountTotal !== undefined && s.amountTotal !== null) {
    const perPerson = s.ratePer === 'person' && !s.ratePerPersonToo ? (s.rate ?? null) : alone ? s.amountTotal : null;
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
    // "我们3个人 一个月3500": a monthly wage said for a group is each one's wage.
    if (s.ratePerPersonToo || (workers !== null && workers > 1)) {
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
    const total = money(rate * months);
    return { total, kind: 'per_month', perPerson: total, rate, months, days: null, workers, estimate: rateApprox || periodApprox };
  }
  if (s.ratePer === 'day') {
    const days = s.days ?? (s.months !== null && s.months !== undefined ? Math.round(s.months * 30) : null);
    if (days === null) return null;
    const per = money(rate * days);
    if (s.ratePerPersonToo || (workers !== null && workers > 1)) {
      if (workers === null) return null;
      return { total: money(per * workers), kind: 'per_day', perPerson: per, rate, months: null, days, workers, estimate: rateApprox || periodApprox || workersApprox };
    }
    return { total: per, kind: 'per_day', perPerson: per, rate, months: null, days, workers, estimate: rateApprox || periodApprox };
  }
  return null;
}

export function constructionOf(s: WageSlots): boolean | null {
  return s.isConstruction ?? inferConstruction(s) ?? null;
}

// ---------------------------------------------------------------------------------------------
// The table

/** One message as the handlers see it. */
export interface Msg {
  text: string;
  e: Entities;
  f: Facts;
  /** The slot the form asked last; 'extras' for the combined optional question at the read-back. */
  asked: SlotKey | 'extras' | null;
  construction: boolean;
  memo: WageMemo;
}

/** What absorbing one message changes besides the slots. */
export interface Absorbing {
  config: WageComplaintConfig;
  s: WageSlots;
  memo: WageMemo;
  problems: string[];
  channel: string;
}

export type DeclineOutcome = 'filled' | 'miss';

export interface SlotHandler {
  key: SlotKey;
  /** Reads the bare answer into the facts when this slot was asked. */
  read?(m: Msg): void;
  /** Puts what the facts say into the slots; true when the slot was (re)filled. */
  absorb(m: Msg, x: Absorbing): boolean;
  /** "不知道 / 没有 / 不说": 'filled' when that is an answer (没有 → no evidence), else a miss. */
  onDecline?(m: Msg, x: Absorbing): DeclineOutcome;
  /** Nothing more to ask (skipped, deferred and incomplete slots are done too). */
  done(s: WageSlots, memo: WageMemo): boolean;
  /** The question, without the never-twice rule (applied by nextQuestion). */
  question(cfg: SlotConfig, s: WageSlots, memo: WageMemo): string;
  /** Numbered choices offered after two misses of a required slot. */
  choices?(config: WageComplaintConfig): string[];
  /** How the combined optional question at the read-back names this slot, when it is still open. */
  extra?(config: WageComplaintConfig, s: WageSlots, memo: WageMemo): string | null;
}

const MOBILE = /^(?:\+?86)?(1[3-9]\d{9})$/;

const settled = (memo: WageMemo, key: string): boolean =>
  memo.skipped.includes(key) || memo.deferred.includes(key) || memo.incomplete.includes(key);

function slotConfig(config: WageComplaintConfig, key: SlotKey): SlotConfig {
  const c = config.slots.find((x) => x.key === key);
  if (!c) throw new Error(`wage-complaint form: slot ${key} missing`);
  return c;
}

const employer: SlotHandler = {
  key: 'employer',
  read(m) {
    const { f } = m;
    if (f.employer || f.foreman || f.site || f.employerKind || f.question || f.declined || saidOtherThings(f)) return;
    const rest = restOf(m.text, m.e);
    if (!NOT_A_NAME.test(rest) && [...rest].length >= 2 && [...rest].length <= 24 && !/\s/u.test(rest)) f.employer = rest;
  },
  absorb({ f }, { s }) {
    let filled = false;
    if (f.employer) {
      s.employer = f.employer;
      s.employerPlace = f.employerPlace ?? null;
      filled = true;
    }
    if (f.foreman) {
      s.foreman = f.foreman;
      filled = true;
    }
    // A kind said with no name (纸箱厂) describes the employer; a kind from a later message (车间)
    // does not rename an employer already named.
    if (f.employerKind && (!s.employerKind || s.employerKind === '包工头') && (!s.employer || f.employer)) {
      s.employerKind = f.employerKind;
      filled = true;
    }
    if (f.site) {
      s.site = f.site;
      filled = true;
    }
    return filled;
  },
  onDecline: (_m, { s }) => (s.employerKind || s.site ? 'filled' : 'miss'),
  done: (s, memo) => Boolean(s.employer || s.foreman || s.site || s.employerKind) || memo.incomplete.includes('employer'),
  question: (cfg) => cfg.question,
};

const county: SlotHandler = {
  key: 'county',
  read(m) {
    const choices = m.memo.choices;
    const n = /^\s*(\d{1,2})\s*$/u.exec(m.text);
    if (choices && n) {
      const name = choices[Number(n[1]) - 1];
      if (name) m.f.county = { name, text: name, cityOnly: false, outside: false };
    }
  },
  absorb({ f }, { config, s, memo, problems }) {
    if (!f.county) return false;
    if (f.county.cityOnly && s.county && !s.countyCityOnly) return false;
    s.county = f.county.name;
    s.countyCityOnly = f.county.cityOnly;
    if (f.county.outside && !memo.outsideNoted) {
      memo.outsideNoted = true;
      const outside = slotConfig(config, 'county').reask.outside;
      if (outside) problems.push(fill(outside, { place: f.county.name }));
    }
    return true;
  },
  done: (s, memo) => (Boolean(s.county) && !s.countyCityOnly) || memo.incomplete.includes('county'),
  question: (cfg, s) => (s.countyCityOnly && cfg.variants.city_only ? cfg.variants.city_only : cfg.question),
  choices: (config) => config.choices.county,
};

const employerName: SlotHandler = {
  key: 'employerName',
  read(m) {
    const { f } = m;
    if (f.employer || f.foreman || f.site || f.question || f.declined || saidOtherThings(f)) return;
    const rest = restOf(m.text, m.e);
    if (NOT_A_NAME.test(rest)) return;
    const foreman = new RegExp(`^(?:姓)?(${SURNAME})(?:某|老板|总)?$`, 'u').exec(rest);
    if (foreman) f.foreman = `${m.construction ? '包工头' : '老板'}${foreman[1]}某`;
    else if (!f.employerKind && [...rest].length >= 2 && [...rest].length <= 24 && !/\s/u.test(rest)) f.employer = rest;
  },
  absorb({ f }, { memo }) {
    if (f.employer || f.foreman) return true;
    if (f.nameUnknown && !memo.skipped.includes('employerName')) {
      memo.skipped.push('employerName');
      return true;
    }
    return false;
  },
  done: (s, memo) => settled(memo, 'employerName') || Boolean(s.employer || s.foreman) || !(s.employerKind || s.site),
  question(cfg, s) {
    const v = cfg.variants;
    if (s.employerKind === '包工头' && v.foreman) return v.foreman;
    if (s.site && v.site) return fill(v.site, { site: s.site });
    if (s.employerKind && v.kind) return fill(v.kind, { kind: s.employerKind });
    return cfg.question;
  },
  extra: (config, s, memo) => (!s.employer && !s.foreman && (s.employerKind || s.site) && !memo.skipped.includes('employerName') ? config.extras.employerName : null),
};

const amount: SlotHandler = {
  key: 'amount',
  absorb({ f }, { config, s, problems, channel }) {
    // A correction ("准数是20350", "不对，是2万") replaces the total, whatever else the message says.
    const rateInMessage = f.amounts.find((a) => a.per !== 'total');
    if (f.correction && (rateInMessage || (s.rate != null && s.amountTotal == null && !f.amounts.some((a) => a.per === 'total')))) {
      // "一个月三千 不对 是三千五": the rate is corrected, the total still worked out from it.
      s.rate = f.correction.value;
      s.rateApprox = f.correction.approx;
      if (rateInMessage) {
        s.ratePer = rateInMessage.per === 'total' ? null : rateInMessage.per;
        s.ratePerPersonToo = rateInMessage.perPersonToo;
      }
      s.amountTotal = null;
      s.people = null;
      return true;
    }
    if (f.correction) {
      s.amountTotal = f.correction.value;
      s.amountApprox = f.correction.approx;
      s.amountText = f.correction.approx ? f.correction.text : null;
      s.people = null;
      return true;
    }
    // Several people, each with their own amount: listed, and summed.
    if (f.people) {
      s.people = f.people;
      s.amountTotal = null;
      s.amountApprox = false;
      s.amountText = null;
      s.rate = null;
      if ((s.workers ?? 0) < f.people.length) s.workers = f.people.length;
      return true;
    }
    // A total in this message replaces what was said before; a new rate replaces an old total.
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
    }
    if (total) {
      s.amountTotal = total.value;
      s.amountApprox = total.approx;
      s.amountText = total.approx ? total.text : null;
      // On SMS the read-back marks it "（约数）": the note would take a second segment.
      if (total.approx && channel !== 'sms') {
        const note = slotConfig(config, 'amount').reask.approx;
        if (note) problems.push(fill(note, { text: total.text, value: total.value }));
      }
    }
    if (rate || total) s.people = null;
    return Boolean(rate || total);
  },
  done(s, memo) {
    if (deriveAmount(s) || memo.incomplete.includes('amount')) return true;
    // A rate is known, the factor it needs is asked by its own slot (workers / period).
    const needsWorkers = (s.ratePer === 'person' || s.ratePerPersonToo) && s.workers == null && !settled(memo, 'workers');
    const needsPeriod = (s.ratePer === 'month' || s.ratePer === 'day') && s.months == null && s.days == null && !settled(memo, 'period');
    return s.rate != null && (needsWorkers || needsPeriod);
  },
  question(cfg, s, memo) {
    const v = cfg.variants;
    if (s.rate != null && s.ratePer === 'month' && settled(memo, 'period') && v.rate) return fill(v.rate, { rate: s.rate });
    if (s.rate != null && s.ratePer === 'day' && settled(memo, 'period') && v.day_rate) return fill(v.day_rate, { rate: s.rate });
    return cfg.question;
  },
};

const workers: SlotHandler = {
  key: 'workers',
  absorb({ f }, { s }) {
    if (!f.workers) return false;
    // "我五千 我兄弟四千五" already counted two.
    s.workers = Math.max(f.workers.count, s.people?.length ?? 0);
    s.workersApprox = f.workers.approx;
    return true;
  },
  onDecline(_m, { s }) {
    s.workers = 1;
    return 'filled';
  },
  // Asked on its own only when the amount is per person; otherwise offered at the read-back.
  done: (s, memo) =>
    settled(memo, 'workers') || s.workers != null || !((s.ratePer === 'person' || s.ratePerPersonToo) && s.amountTotal == null),
  question: (cfg) => cfg.question,
  // Offered only when the worker spoke of others ("我们") without saying how many.
  extra: (config, s, memo) => (s.workers == null && memo.plural && !memo.skipped.includes('workers') ? config.extras.workers : null),
};

const period: SlotHandler = {
  key: 'period',
  read(m) {
    const { f } = m;
    if (f.period || f.question || f.declined || f.reply !== null || saidOtherThings(f)) return;
    const rest = m.text.trim();
    if ([...rest].length >= 2 && [...rest].length <= 30) f.period = { text: rest, months: null, days: null, approx: true };
  },
  absorb({ f }, { s }) {
    if (!f.period) return false;
    s.period = f.period.text;
    if (f.period.months !== null) s.months = f.period.months;
    if (f.period.days !== null) s.days = f.period.days;
    if (f.period.months !== null || f.period.days !== null) s.periodApprox = f.period.approx;
    return true;
  },
  // Asked on its own only when a monthly or daily rate needs it.
  done: (s, memo) =>
    settled(memo, 'period') || s.period != null || s.months != null || !((s.ratePer === 'month' || s.ratePer === 'day') && s.amountTotal == null),
  question: (cfg, s) => (s.rate != null && s.ratePer === 'month' && cfg.variants.rate ? fill(cfg.variants.rate, { rate: s.rate }) : cfg.question),
};

const phone: SlotHandler = {
  key: 'phone',
  read(m) {
    // The phone question also asks how to address the worker: "13912345678 李师傅", or "姓刘" alone.
    if (m.f.workerName) return;
    const rest = blank(m.text, m.e.phones).trim();
    if (rest) {
      const n = readWorkerName(rest, m.e, 'name');
      if (n.name) m.f.workerName = n.name;
    }
  },
  absorb({ f }, { config, s, memo, problems }) {
    const valid = [...f.phones].reverse().find((p) => p.valid);
    if (valid) {
      if (memo.redo === 'phone') memo.redo = null;
      s.phone = valid.value;
      s.phoneFromSender = false;
      return true;
    }
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
    return false;
  },
  done: (s, memo) => Boolean(s.phone) || memo.incomplete.includes('phone'),
  question: (cfg, _s, memo) => (memo.redo === 'phone' && cfg.variants.again ? cfg.variants.again : cfg.question),
};

const name: SlotHandler = {
  key: 'name',
  read(m) {
    if (m.f.workerName) return;
    const n = readWorkerName(m.text, m.e, 'name');
    if (n.name) m.f.workerName = n.name;
    else if (n.declined) m.f.declined = true;
  },
  absorb({ f }, { s }) {
    if (!f.workerName) return false;
    s.workerName = f.workerName;
    return true;
  },
  // Never asked on its own: the phone question asks it, and the read-back offers it.
  done: () => true,
  question: (cfg) => cfg.question,
  extra: (config, s, memo) => (s.workerName == null && !memo.skipped.includes('name') ? config.extras.name : null),
};

const isConstruction: SlotHandler = {
  key: 'isConstruction',
  read(m) {
    const t = m.text.trim();
    if (m.f.isConstruction !== undefined) return;
    if (m.f.reply === 'affirm' || /^(?:是|对|嗯)/u.test(t)) m.f.isConstruction = true;
    else if (m.f.reply === 'deny' || /^(?:不是|没有|不)/u.test(t)) m.f.isConstruction = false;
  },
  absorb({ f }, { s }) {
    if (f.isConstruction === undefined) return false;
    s.isConstruction = f.isConstruction;
    return true;
  },
  // Not asked: inferred from the workplace, or said; the inspector sees the workplace anyway.
  done: () => true,
  question: (cfg) => cfg.question,
};

const generalContractor: SlotHandler = {
  key: 'generalContractor',
  read(m) {
    const { f } = m;
    if (f.generalContractor) return;
    if (f.employer || f.site) {
      // Asked for the general contractor, a company named is it, not the employer.
      f.generalContractor = (f.employer ?? f.site)!;
      delete f.employer;
      delete f.employerPlace;
      delete f.site;
      delete f.employerKind;
      return;
    }
    if (f.question || f.declined || f.reply !== null || saidOtherThings(f)) return;
    const rest = restOf(m.text, m.e);
    if ([...rest].length >= 2 && [...rest].length <= 24) f.generalContractor = rest;
  },
  absorb({ f }, { s }) {
    if (!f.generalContractor) return false;
    s.generalContractor = f.generalContractor;
    return true;
  },
  // Not asked on its own: offered at the read-back when the job is a construction one.
  done: () => true,
  question: (cfg) => cfg.question,
  extra: (config, s, memo) =>
    constructionOf(s) === true && s.generalContractor == null && !memo.skipped.includes('generalContractor') ? config.extras.generalContractor : null,
};

const evidence: SlotHandler = {
  key: 'evidence',
  read(m) {
    const { f } = m;
    if (f.evidence) return;
    const t = m.text.trim();
    if (/^(?:啥|什么)?(?:都|也)?(?:没有|没|无)(?:了|啊|呀|吧|的)?(?:$|[\s，,。])/u.test(t)) {
      f.evidence = [];
      return;
    }
    if (f.question || f.declined || f.reply !== null || saidOtherThings(f)) return;
    if ([...t].length >= 2 && [...t].length <= 60 && /有|留着|存着|记着/u.test(t)) f.evidence = [t];
  },
  absorb({ f }, { s }) {
    if (!f.evidence) return false;
    s.evidence = f.evidence.length === 0 ? (s.evidence ?? []) : [...new Set([...(s.evidence ?? []), ...f.evidence])];
    return true;
  },
  onDecline(_m, { s }) {
    s.evidence ??= [];
    return 'filled';
  },
  // Not asked on its own: offered at the read-back.
  done: () => true,
  question: (cfg) => cfg.question,
  extra: (config, s, memo) => (s.evidence == null && !memo.skipped.includes('evidence') ? config.extras.evidence : null),
};

/** Every slot's handler; the order facts are applied in. */
export const SLOT_HANDLERS: Record<SlotKey, SlotHandler> = {
  employer,
  county,
  employerName,
  amount,
  workers,
  period,
  phone,
  name,
  isConstruction,
  generalContractor,
  evidence,
};
const APPLY_ORDER: SlotKey[] = ['employer', 'employerName', 'county', 'isConstruction', 'generalContractor', 'amount', 'workers', 'period', 'phone', 'name', 'evidence'];
/** The optional slots the read-back's combined question may offer, in its order. */
const EXTRAS_ORDER: SlotKey[] = ['employerName', 'workers', 'name', 'generalContractor', 'evidence'];
const EXTRAS_DROP_ORDER: SlotKey[] = ['name', 'generalContractor', 'workers', 'employerName', 'evidence'];

// ---------------------------------------------------------------------------------------------
// Reading a message

export interface ReadOptions {
  asked: SlotKey | 'extras' | null;
  construction?: boolean;
  memo?: WageMemo;
}

/** Reads one (normalised) message: the generic facts, then the bare answer for the slot asked. */
export function readFacts(text: string, e: Entities, opts: ReadOptions): Facts {
  const asking = opts.asked === 'extras' ? 'name' : opts.asked;
  const f = extractFacts(text, e, { asking, construction: Boolean(opts.construction) });
  const m: Msg = { text, e, f, asked: opts.asked, construction: Boolean(opts.construction), memo: memoDefaults(opts.memo ?? {}) };
  if (opts.asked === 'extras') {
    // The combined question: a name, a head count, evidence, a general contractor, or "没有".
    name.read?.(m);
    evidence.read?.(m);
    if (!f.workers) {
      const bare = extractFacts(text, e, { asking: 'workers' }).workers;
      if (bare && !/^\s*\d{5,}/u.test(text) && /\d|[一二两三四五六七八九十几俩仨]/u.test(text)) f.workers = bare;
    }
  } else if (opts.asked) {
    SLOT_HANDLERS[opts.asked].read?.(m);
  }
  return f;
}

export interface AbsorbResult {
  filled: string[];
  problems: string[];
}

/** Applies what one message says to the slots; returns what changed and what to tell the worker. */
export function absorbMessage(
  config: WageComplaintConfig,
  s: WageSlots,
  memo: WageMemo,
  m: Msg,
  opts: { channel: string; userId: string },
): AbsorbResult {
  const { f } = m;
  const x: Absorbing = { config, s, memo, problems: [], channel: opts.channel };
  const filled = new Set<string>();
  memo.narrow = null;
  const asked = m.asked;
  let answered = false;
  // "我们 / 俺们 / 班组": others are owed too, so an unstated head count is not taken as one.
  if (/我们|俺们|咱们|大家|工友们|班组|一伙|一起干/u.test(m.text)) memo.plural = true;

  // The SMS sender's own number is the default contact phone (the worker may give another).
  if (!memo.senderDefaultDone) {
    memo.senderDefaultDone = true;
    const mobile = MOBILE.exec(opts.userId.replace(/[\s-]/g, ''));
    if (opts.channel === 'sms' && mobile && !s.phone) {
      s.phone = mobile[1]!;
      s.phoneFromSender = true;
    }
  }

  for (const key of APPLY_ORDER) if (SLOT_HANDLERS[key].absorb(m, x)) filled.add(key);
  answered = asked !== null && asked !== 'extras' && filled.has(asked);
  if (f.employer || f.foreman) filled.add('employerName');

  for (const sign of f.escalation) if (!memo.escalation.includes(sign)) memo.escalation.push(sign);
  if (f.escalation.some((e) => e.startsWith('人身安全风险')) && !memo.safetyNoted) {
    memo.safetyNoted = true;
    x.problems.unshift(config.safety_note);
  }

  if (asked === 'extras') {
    // "对" confirms the read-back as it stands, "不对" asks what to change, a question is answered:
    // the runner does those.
    const refuses = /^(?:不对|不是|错了|有错|不行|不准)/u.test(m.text.trim());
    if (filled.size === 0 && x.problems.length === 0 && (f.reply === 'affirm' || f.question || refuses)) {
      return { filled: [], problems: x.problems };
    }
    // Whatever else the answer to the combined question, it is not asked again.
    for (const key of EXTRAS_ORDER) if (!filled.has(key) && !memo.skipped.includes(key)) memo.skipped.push(key);
    filled.add('extras');
    return { filled: [...filled], problems: x.problems };
  }
  if (asked && !filled.has(asked)) {
    const h = SLOT_HANDLERS[asked];
    const cfg = slotConfig(config, asked);
    const answeredElse = filled.size > 0 || x.problems.length > 0;
    const unreadable = !answeredElse && (f.reply !== null || !f.question);
    if (f.declined || unreadable) {
      if ((f.declined || f.reply === 'deny') && h.onDecline?.(m, x) === 'filled') {
        filled.add(asked);
      } else if (f.reply === 'affirm' && cfg.reask.unknown && !memo.misses[asked]) {
        // "有" to "还有别的工友吗": ask the narrower question.
        memo.misses[asked] = 1;
        memo.narrow = asked;
        filled.add(asked);
      } else {
        missed(config, memo, asked, Boolean(f.declined));
        filled.add(asked);
      }
    } else if (answeredElse && cfg.kind === 'ask_once' && !memo.deferred.includes(asked)) {
      // Something else was answered: the optional question waits for the read-back.
      memo.deferred.push(asked);
    } else if (answeredElse && x.problems.length === 0 && filled.size > 0) {
      const labels = [...new Set(config.slots.filter((c) => filled.has(c.key)).map((c) => c.label))];
      x.problems.push(fill(config.noted, { what: labels.join('、') }));
    }
  }
  if (asked === null && filled.size === 0 && x.problems.length === 0 && !f.question && f.reply === null) {
    // Nothing asked and nothing read (after "不对" at the read-back): read back again rather than
    // let the runner say "没太明白" again and again.
    filled.add('nothing');
  }
  if (asked !== 'county' || answered) memo.choices = null;
  // A question in the middle is answered by the runner, which then asks the same question again
  // (after "我们继续刚才的问题"): that repeat is meant.
  if (filled.size === 0 && x.problems.length === 0 && f.question) memo.lastQuestion = null;
  return { filled: [...filled], problems: x.problems };
}

/** An answer that says nothing for the asked slot: skip, ask narrower, offer choices, or leave it to staff. */
function missed(config: WageComplaintConfig, memo: WageMemo, key: SlotKey, declined: boolean): void {
  const cfg = slotConfig(config, key);
  const n = (memo.misses[key] = (memo.misses[key] ?? 0) + 1);
  if (cfg.kind === 'ask_once') {
    if (declined || n >= 2 || !cfg.reask.unknown) memo.skipped.push(key);
    else memo.narrow = key;
    return;
  }
  const choices = SLOT_HANDLERS[key].choices?.(config);
  if (n === 1 && cfg.reask.unknown) memo.narrow = key;
  else if (n === 2 && choices) memo.choices = choices;
  else if (!memo.incomplete.includes(key)) memo.incomplete.push(key);
}

// ---------------------------------------------------------------------------------------------
// What to ask next

export function pendingSlots(config: WageComplaintConfig, s: WageSlots, memo: WageMemo): SlotConfig[] {
  const pending = config.slots.filter((c) => !SLOT_HANDLERS[c.key].done(s, memo));
  const redo = pending.findIndex((c) => c.key === memo.redo);
  if (redo > 0) pending.unshift(...pending.splice(redo, 1));
  return pending;
}

/** The next question (never the same words twice in a row), or null when the read-back is due. */
export function nextQuestion(config: WageComplaintConfig, s: WageSlots, memo: WageMemo): { slot: SlotKey; question: string } | null {
  const cfg = pendingSlots(config, s, memo)[0];
  if (!cfg) return null;
  const h = SLOT_HANDLERS[cfg.key];
  let q = h.question(cfg, s, memo);
  if (memo.choices && cfg.key === 'county') {
    q = fill(config.choices_question, { list: memo.choices.map((c, i) => `${i + 1}${c.replace(/^城乡一体化/u, '').replace(/(?<=..)[区县市]$/u, '')}`).join(' ') });
  } else if (memo.narrow === cfg.key && cfg.reask.unknown) {
    q = cfg.reask.unknown;
  }
  if (q === memo.lastQuestion) q = cfg.reask.unknown && cfg.reask.unknown !== q ? cfg.reask.unknown : fill(config.still_needed, { what: cfg.label });
  return { slot: cfg.key, question: q };
}

/** The combined optional question of the read-back, or null when nothing optional is open. */
export function extrasQuestion(config: WageComplaintConfig, s: WageSlots, memo: WageMemo, leaveOut = 0): string | null {
  const open = EXTRAS_ORDER.filter((k) => SLOT_HANDLERS[k].extra?.(config, s, memo));
  // When the question must be shorter (SMS), the least useful to the inspector go first.
  const dropped = new Set(EXTRAS_DROP_ORDER.filter((k) => open.includes(k)).slice(0, leaveOut));
  const items = open.filter((k) => !dropped.has(k)).map((k) => SLOT_HANDLERS[k].extra!(config, s, memo)!);
  return items.length > 0 ? fill(config.extras.question, { items: items.join('、') }) : null;
}

/** How many questions remain if every optional one is answered "不知道" (for the intro). */
export function questionsLeft(config: WageComplaintConfig, slots: WageSlots, memo: WageMemo): number {
  const s: WageSlots = structuredClone(slots);
  const trial = memoDefaults(structuredClone(memo));
  let n = 0;
  for (let next = pendingSlots(config, s, trial)[0]; next && n < config.slots.length; next = pendingSlots(config, s, trial)[0]) {
    n++;
    if (next.key === 'employer') s.employer = '?';
    else if (next.key === 'county') (s.county = '?'), (s.countyCityOnly = false);
    else if (next.key === 'amount') s.amountTotal = 0;
    else if (next.key === 'phone') s.phone = '?';
    else trial.skipped.push(next.key);
  }
  return n;
}
