/**
 * Chinese and colloquial numbers, amounts of money, durations, dates and counts.
 *
 * Why not just nzh: `Nzh.cn.decodeS` reads 三千五 as 3005 and 二万三 as 20003 (standard reading, where
 * people mean 3500 and 23000), does not know 两/俩/仨, and cannot read mixed forms (3千5, 1.5万, 2.3w).
 * The small section parser below covers standard numerals as well as those colloquial forms, so
 * nzh is not needed here.
 *
 * Every function is pure; "today" is always passed in ("YYYY-MM-DD" or a Date, read in China time).
 * Expected input is normalised text (see normalize.ts) but raw text works for the common cases.
 */

// ---------------------------------------------------------------------------------------------
// Numerals

const DIGIT: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 壹: 1, 二: 2, 贰: 2, 两: 2, 俩: 2, 三: 3, 叁: 3, 仨: 3, 四: 4, 肆: 4,
  五: 5, 伍: 5, 六: 6, 陆: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
const SMALL_UNIT: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000, k: 1000, K: 1000 };
const BIG_UNIT: Record<string, number> = { 万: 1e4, w: 1e4, W: 1e4, 亿: 1e8 };

const CN_DIGITS = '零〇一壹二贰两俩三叁仨四肆五伍六陆七柒八捌九玖';
const CN_UNITS = '十拾百佰千仟万亿';
/** An arabic number: thousands grouping only when every group after the first has 3 digits. */
const ARABIC = String.raw`(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?`;
/** A numeral expression: arabic and Chinese digits and units, k/w only right after a digit. */
export const NUMERAL = `(?:${ARABIC}(?:[kKwW](?![a-zA-Z]))?|[${CN_DIGITS}${CN_UNITS}]|多(?=[十百千万亿]))+`;

export interface NumeralValue {
  value: number;
  /** 多/余 inside (十多万) or a range like 五六千: the value is the lower bound. */
  approx: boolean;
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/**
 * Reads one numeral expression, colloquial elision included: 两万三 = 23000, 三千五 = 3500,
 * 3千5 = 3500, 1.5万 = 15000, 2.3w = 23000, 十二万 = 120000, 一万零五 = 10005, 二〇二三 = 2023.
 * Returns null when the string is not entirely a numeral or starts with a bare unit (千万, 万一).
 */
export function parseNumeral(raw: string): NumeralValue | null {
  const s = raw.trim();
  if (s === '') return null;
  if (!new RegExp(`^${NUMERAL}$`).test(s)) return null;
  const first = s[0] ?? '';
  if (first in BIG_UNIT || (first in SMALL_UNIT && first !== '十' && first !== '拾') || first === '多') return null;

  // Only Chinese digits, several of them and no unit: read digit by digit (二〇二三 → 2023),
  // except an adjacent pair like 五六 which is a range handled below with a unit.
  if (/^[零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖]{2,}$/.test(s)) {
    return { value: Number([...s].map((c) => DIGIT[c]).join('')), approx: false };
  }

  const tokens = s.match(/\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?|./g) ?? [];
  let total = 0;
  let section = 0;
  let number = 0;
  let lastUnit = 0;
  let approx = false;
  let zeroSeen = false;
  /** The pending number is one digit written right after a unit: a candidate for elision. */
  let singleAfterUnit = false;
  let prevDigit: number | null = null;

  for (const t of tokens) {
    if (/^\d/.test(t)) {
      const digits = t.replace(/,/g, '');
      number = Number(digits);
      singleAfterUnit = lastUnit > 0 && /^\d$/.test(digits) && !zeroSeen;
      prevDigit = null;
    } else if (t in DIGIT) {
      const d = DIGIT[t] ?? 0;
      if (d === 0) {
        zeroSeen = true;
        number = 0;
        singleAfterUnit = false;
        prevDigit = null;
        continue;
      }
      if (prevDigit !== null && d === prevDigit + 1) {
        // 五六千: "five or six thousand" → the lower bound, approximate.
        approx = true;
        prevDigit = d;
        continue;
      }
      number = d;
      singleAfterUnit = lastUnit > 0 && !zeroSeen;
      prevDigit = d;
    } else if (t in SMALL_UNIT) {
      const u = SMALL_UNIT[t] ?? 1;
      if (number === 0 && u === 10) number = 1; // 十二 = 12, 二十 handled by number = 2
      section += number * u;
      number = 0;
      lastUnit = u;
      zeroSeen = false;
      singleAfterUnit = false;
      prevDigit = null;
    } else if (t in BIG_UNIT) {
      const u = BIG_UNIT[t] ?? 1;
      const value = section + number;
      if (u === 1e8) total = (total + value) * u;
      else total += value * u;
      section = 0;
      number = 0;
      lastUnit = u;
      zeroSeen = false;
      singleAfterUnit = false;
      prevDigit = null;
    } else if (t === '多') {
      approx = true;
    } else {
      return null;
    }
  }
  if (singleAfterUnit && number > 0) number *= lastUnit / 10;
  return { value: round(total + section + number), approx };
}

/**
 * A count as people say it: a bare pair of neighbouring digits is a range — 七八个人 "seven or eight
 * people", 两三个月, 一两天, and 三五 "three to five" — read as its lower bound and approximate, as
 * 五六千 is; anything else as parseNumeral. Only for counts (people, months, days, years worked):
 * digit by digit, 二三 in a date is the year 2023.
 */
export function parseCount(raw: string): NumeralValue | null {
  const pair = /^([一二两三四五六七八九])([二两三四五六七八九])$/.exec(raw.trim());
  if (pair) {
    const a = DIGIT[pair[1]!] ?? 0;
    const b = DIGIT[pair[2]!] ?? 0;
    if (b === a + 1 || (a === 3 && b === 5)) return { value: a, approx: true };
  }
  return parseNumeral(raw);
}

/** A numeral expression as a number, or null: parseNumber('两万三千五') === 23500. */
export function parseNumber(raw: string): number | null {
  return parseNumeral(raw)?.value ?? null;
}

// ---------------------------------------------------------------------------------------------
// Spans

export interface Span {
  start: number;
  end: number;
}

function overlaps(a: Span, spans: readonly Span[]): boolean {
  return spans.some((b) => a.start < b.end && b.start < a.end);
}

// ---------------------------------------------------------------------------------------------
// Money

export type PerUnit = 'person' | 'month' | 'day' | 'year';

export interface Amount extends Span {
  /** Yuan. */
  value: number;
  /** 一万多, 大概两千, 五六千: the value is a lower bound or an estimate. */
  approx: boolean;
  /** The matched text. */
  text: string;
  /** strong: 元/块/¥ written; medium: 万/千 with no other unit; weak: bare number in a money context. */
  certainty: 'strong' | 'medium' | 'weak';
  /** 每人欠四千五 → person; 一个月三千五 → month; 一天三百 → day; 一年挣三万 → year. */
  per: PerUnit | null;
  /** 一共/总共/合计 written before it. */
  total: boolean;
}

const APPROX_BEFORE = '(?:大概|大约|约|差不多|将近|接近|估计|快|近)';
const CURRENCY = '(?:块钱|块|元钱|元|圆|rmb|RMB|人民币)';
const MONEY_RE = new RegExp(
  `([¥￥]\\s*)?(${APPROX_BEFORE})?(${NUMERAL})(多|余|来)?(${CURRENCY})?(多|左右|上下|出头)?`,
  'g',
);
const ARABIC_THEN_CN_DIGIT = new RegExp(`\\d(?=[${CN_DIGITS}])`);
/** Counters that make a number something other than money. */
const NOT_MONEY_AFTER =
  /^\s*(?:个|人|名|位|年|月|日|号|天|岁|次|户|口|周|星期|礼拜|小时|钟头|点|分钟|斤|吨|亩|平|米|公里|里|楼|层|栋|间|套|台|辆|件|张|条|本|%|％|级|届|期|批|倍|成|趟|句|遍|家|份|季|度)/;
/** 12333热线 / 4996895电话: a number written right before these is a phone number. */
const PHONE_AFTER = /^(?:热线|电话|号码|咨询)/;
const MONEY_CONTEXT =
  /(?:欠|工资|工钱|薪|给|发|结|拿|挣|赚|钱|贷|借|补|报销|月薪|年薪|收入|一共|总共|合计|还差|少给|扣|押|付|交|花|租)/;
const PER_BEFORE: Array<[PerUnit, RegExp]> = [
  ['person', /(?:每人|每个人|一人|一个人|人均|每位|每名|每个|一个)[欠是给发拿能就也都有约大概:：\s]{0,3}$/],
  ['month', /(?:每月|每个月|一个月|一月|月薪|月工资|月收入|工资一个月|一月份?工资)[就是给发拿能也都有约大概挣赚:：\s]{0,3}$/],
  ['day', /(?:每天|一天|日薪|一日|每日|一个工|一工)[就是给发拿能也都有约大概挣赚:：\s]{0,3}$/],
  ['year', /(?:每年|一年|年薪|年收入|全年|一年下来|一年到头)[就是给发拿能也都有约大概挣赚了:：\s]{0,3}$/],
];
const PER_AFTER: Array<[PerUnit, RegExp]> = [
  ['person', /^\s*(?:\/\s*人|每人|一人|一个人|每个人)/],
  ['month', /^\s*(?:\/\s*月|每月|一个月|一月|每个月)/],
  ['day', /^\s*(?:\/\s*天|每天|一天)/],
  ['year', /^\s*(?:\/\s*年|每年|一年)/],
];
const TOTAL_BEFORE = /(?:一共|总共|合计|共计|总计|加起来|共)[欠是有要:：\s]{0,3}$/;

export interface FindOptions {
  /** Spans already taken by other entities (phones, IDs, dates, ticket numbers). */
  exclude?: readonly Span[];
}

/** Every amount of money in the text, in order. */
export function findAmounts(text: string, opts: FindOptions = {}): Amount[] {
  const out: Amount[] = [];
  const exclude = opts.exclude ?? [];
  const wholeMessageIsNumber = /^\s*\d[\d,]*(?:\.\d+)?\s*$/.test(text);
  for (const m of text.matchAll(MONEY_RE)) {
    const [matched, yuanSign, approxBefore, rawNumeral = '', rawApproxMid, rawCurrency, rawApproxAfter] = m;
    const start = m.index;
    const numStart = start + (yuanSign?.length ?? 0) + (approxBefore?.length ?? 0);
    // "3500一个月": an arabic number never continues with a Chinese digit; cut the match there.
    const cut = ARABIC_THEN_CN_DIGIT.exec(rawNumeral);
    const numeral = cut ? rawNumeral.slice(0, cut.index + 1) : rawNumeral;
    const [approxMid, currency, approxAfter] = cut ? [undefined, undefined, undefined] : [rawApproxMid, rawCurrency, rawApproxAfter];
    const all = cut ? matched.slice(0, numStart - start + numeral.length) : matched;
    const end = start + all.length;
    const span = { start, end };
    if (overlaps(span, exclude)) continue;
    const parsed = parseNumeral(numeral);
    if (!parsed) continue;
    const before = text.slice(Math.max(0, numStart - 8), numStart);
    const after = text.slice(end, end + 6);
    const hasCurrency = Boolean(currency || yuanSign);
    const hasUnit = /[万千百kKwW亿]/.test(numeral);
    const isArabic = /^[\d,.]+$/.test(numeral);
    // Ordinal (第三), part of a code (QX…-0032, A1), or of a longer digit run.
    if (/[第A-Za-z\-#_/.]$/.test(before) && !yuanSign) continue;
    if (!hasCurrency && (NOT_MONEY_AFTER.test(after) || PHONE_AFTER.test(after))) continue;
    // Years written as 2023.6 / 2023-06 are dates.
    if (!hasCurrency && /^(?:19|20)\d{2}\.\d{1,2}$/.test(numeral)) continue;
    let per: PerUnit | null = null;
    for (const [unit, re] of PER_BEFORE) if (re.test(before)) per ??= unit;
    for (const [unit, re] of PER_AFTER) if (re.test(after)) per ??= unit;
    let certainty: Amount['certainty'];
    if (hasCurrency) certainty = 'strong';
    else if (hasUnit && !/^[十百千]$/.test(numeral)) {
      certainty = 'medium';
    } else if (isArabic) {
      const digits = numeral.replace(/[,.]/g, '');
      if (digits.length >= 7) continue; // phone numbers, ID numbers, dates like 20230630
      if (/^12\d{3}$/.test(digits)) continue; // service hotlines: 12333, 12345, 12351
      const context = per !== null || MONEY_CONTEXT.test(before + after);
      if (!wholeMessageIsNumber && !(parsed.value >= 100 && context)) continue;
      certainty = 'weak';
    } else {
      continue; // a lone Chinese numeral (三, 一) without 元/块 is not money
    }
    out.push({
      value: parsed.value,
      approx: parsed.approx || Boolean(approxBefore || approxMid || approxAfter),
      text: all,
      start,
      end,
      certainty,
      per,
      total: TOTAL_BEFORE.test(before),
    });
  }
  return out;
}

/**
 * The money in a message: the first amount written with 元/块/万/千 (or a bare number in a money
 * context such as 欠我8600, or a message that is just a number). Null when there is none.
 */
export function parseAmount(text: string, opts: FindOptions = {}): Amount | null {
  const all = findAmounts(text, opts);
  return all.find((a) => a.certainty !== 'weak') ?? all[0] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Calendar helpers

export interface Ymd {
  year: number;
  month: number;
  day: number;
}

/** "YYYY-MM-DD" or a Date (read in China time, UTC+8) → year, month, day. */
export function toYmd(today: string | Date): Ymd {
  if (typeof today === 'string') {
    const m = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(today);
    if (!m) throw new Error(`today must be YYYY-MM-DD, got "${today}"`);
    return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  }
  const china = new Date(today.getTime() + 8 * 3600_000);
  return { year: china.getUTCFullYear(), month: china.getUTCMonth() + 1, day: china.getUTCDate() };
}

function addDays(d: Ymd, days: number): Ymd {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day) + days * 86400_000);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

function addMonths(d: Ymd, months: number): { year: number; month: number } {
  const idx = d.year * 12 + (d.month - 1) + months;
  return { year: Math.floor(idx / 12), month: (idx % 12) + 1 };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad = (n: number): string => String(n).padStart(2, '0');

// ---------------------------------------------------------------------------------------------
// Dates

export interface DateMention extends Span {
  year: number;
  month: number | null;
  day: number | null;
  precision: 'year' | 'month' | 'day';
  /** "2023", "2023-06" or "2023-06-30". */
  iso: string;
  text: string;
  /** Worked out from today (去年, 上个月, 昨天, or a month without a year). */
  relative: boolean;
}

const CN_SMALL = '[零〇一二两三四五六七八九十]';
const MONTH = `(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])`;
const DAY = `(?:3[01]|[12]\\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])`;
const YEAR = `(?:\\d{4}|\\d{2}|[〇零一二三四五六七八九]{4}|[〇零一二三四五六七八九]{2})`;
const REL_YEAR: Record<string, number> = { 今年: 0, 本年: 0, 去年: -1, 上年: -1, 上一年: -1, 前年: -2, 大前年: -3, 明年: 1 };
const REL_YEAR_RE = '(?:大前年|前年|去年|上一年|上年|今年|本年|明年)';

function readSmall(s: string): number {
  return parseNumber(s) ?? Number.NaN;
}

function readYear(s: string, today: Ymd): number {
  const n = /^\d+$/.test(s) ? Number(s) : (parseNumeral(s)?.value ?? Number.NaN);
  if (s.length === 2) {
    const yy = today.year % 100;
    return n <= yy + 1 ? 2000 + n : 1900 + n;
  }
  return n;
}

function validYmd(y: number, m: number | null, d: number | null): boolean {
  if (!Number.isInteger(y) || y < 1950 || y > 2100) return false;
  if (m === null) return true;
  if (!Number.isInteger(m) || m < 1 || m > 12) return false;
  if (d === null) return true;
  return Number.isInteger(d) && d >= 1 && d <= daysInMonth(y, m);
}

function mention(
  y: number,
  m: number | null,
  d: number | null,
  text: string,
  start: number,
  relative: boolean,
): DateMention {
  const precision = d !== null ? 'day' : m !== null ? 'month' : 'year';
  const iso = d !== null && m !== null ? `${y}-${pad(m)}-${pad(d)}` : m !== null ? `${y}-${pad(m)}` : String(y);
  return { year: y, month: m, day: d, precision, iso, text, start, end: start + text.length, relative };
}

interface DateRule {
  re: RegExp;
  read(m: RegExpExecArray, today: Ymd): DateMention | null;
}

const DATE_RULES: DateRule[] = [
  {
    // 2023年6月30日, 23年6月, 二〇二三年六月, 2023年
    re: new RegExp(`(?<![\\d〇零一二三四五六七八九])(${YEAR})\\s*年\\s*(?:(${MONTH})\\s*月份?\\s*(?:(${DAY})\\s*[日号])?)?`, 'g'),
    read(m, today) {
      const y = readYear(m[1] ?? '', today);
      const mo = m[2] ? readSmall(m[2]) : null;
      const d = m[3] ? readSmall(m[3]) : null;
      // "三年" / "两年" without a month is a duration, not a year: require 4 digits or a month.
      if (mo === null && (m[1] ?? '').length < 4) return null;
      return validYmd(y, mo, d) ? mention(y, mo, d, m[0], m.index, false) : null;
    },
  },
  {
    // 2023.6.30, 2023-06-30, 2023/6/30, 2023.6, 2023-06
    re: /(?<![\d.])((?:19|20)\d{2})[./-](1[0-2]|0?[1-9])(?:[./-](3[01]|[12]\d|0?[1-9]))?(?![\d])/g,
    read(m) {
      const y = Number(m[1]);
      const mo = Number(m[2]);
      const d = m[3] ? Number(m[3]) : null;
      return validYmd(y, mo, d) ? mention(y, mo, d, m[0], m.index, false) : null;
    },
  },
  {
    // 去年7月, 今年三月份, 去年十月十五号, 去年
    re: new RegExp(`(${REL_YEAR_RE})的?\\s*(?:(${MONTH})\\s*月份?\\s*(?:(${DAY})\\s*[日号])?)?`, 'g'),
    read(m, today) {
      const y = today.year + (REL_YEAR[m[1] ?? ''] ?? 0);
      const mo = m[2] ? readSmall(m[2]) : null;
      const d = m[3] ? readSmall(m[3]) : null;
      return validYmd(y, mo, d) ? mention(y, mo, d, m[0], m.index, true) : null;
    },
  },
  {
    // 上个月, 上上个月, 这个月, 下个月, 三个月前
    re: new RegExp(`(上上个月|上个月|上月|这个月|本月|下个月|下月)|(${CN_SMALL}+|\\d{1,2})个多?月(?:前|以前|之前)`, 'g'),
    read(m, today) {
      const offsets: Record<string, number> = { 上上个月: -2, 上个月: -1, 上月: -1, 这个月: 0, 本月: 0, 下个月: 1, 下月: 1 };
      const delta = m[1] ? (offsets[m[1]] ?? 0) : -(parseNumber(m[2] ?? '') ?? Number.NaN);
      if (!Number.isFinite(delta)) return null;
      const r = addMonths(today, delta);
      return mention(r.year, r.month, null, m[0], m.index, true);
    },
  },
  {
    // 今天, 昨天, 前天, 大前天, 上周, 三天前
    re: new RegExp(`(大前天|前天|昨天|今天|明天|后天|上周|上星期|上礼拜|这周|本周|这星期)|(${CN_SMALL}+|\\d{1,3})(?:天|日)(?:前|以前|之前)`, 'g'),
    read(m, today) {
      const offsets: Record<string, number> = {
        大前天: -3, 前天: -2, 昨天: -1, 今天: 0, 明天: 1, 后天: 2,
        上周: -7, 上星期: -7, 上礼拜: -7, 这周: 0, 本周: 0, 这星期: 0,
      };
      const delta = m[1] ? (offsets[m[1]] ?? 0) : -(parseNumber(m[2] ?? '') ?? Number.NaN);
      if (!Number.isFinite(delta)) return null;
      const r = addDays(today, delta);
      return mention(r.year, r.month, r.day, m[0], m.index, true);
    },
  },
  {
    // 6月, 十月份, 6月30号 — the year is this year, or last year when that month is still ahead.
    re: new RegExp(`(?<![\\d个年〇零一二三四五六七八九十两])(${MONTH})\\s*月份?(?:\\s*(${DAY})\\s*[日号])?(?!薪|工资)`, 'g'),
    read(m, today) {
      const mo = readSmall(m[1] ?? '');
      const d = m[2] ? readSmall(m[2]) : null;
      const ahead = mo > today.month || (mo === today.month && d !== null && d > today.day);
      const y = ahead ? today.year - 1 : today.year;
      return validYmd(y, mo, d) ? mention(y, mo, d, m[0], m.index, true) : null;
    },
  },
];

/** Every date mentioned, in order, relative ones worked out from today. */
export function findDates(text: string, today: string | Date, opts: FindOptions = {}): DateMention[] {
  const t = toYmd(today);
  const taken: Span[] = [...(opts.exclude ?? [])];
  const out: DateMention[] = [];
  for (const rule of DATE_RULES) {
    rule.re.lastIndex = 0;
    for (const m of text.matchAll(rule.re)) {
      const exec = m as unknown as RegExpExecArray;
      const span = { start: m.index, end: m.index + m[0].length };
      if (m[0].trim() === '' || overlaps(span, taken)) continue;
      const d = rule.read(exec, t);
      if (!d) continue;
      taken.push(span);
      out.push(d);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The first date in the text, or null: parseDate('去年7月', '2025-03-10').iso === '2024-07'. */
export function parseDate(text: string, today: string | Date, opts: FindOptions = {}): DateMention | null {
  return findDates(text, today, opts)[0] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Durations

export interface Duration extends Span {
  /** Length in months (days / 30 when given in days or weeks). */
  months: number;
  /** Set when the duration was given in days or weeks. */
  days: number | null;
  /** 一年多, 三个多月, 大半年, or a span worked out from dates. */
  approx: boolean;
  text: string;
  /** For 从去年十月到现在: where it starts and ends. */
  from?: string;
  to?: string;
}

const CN_COUNT = `(?:\\d+(?:\\.\\d+)?|[零一二两三四五六七八九十百俩仨]+)`;

interface DurationRule {
  re: RegExp;
  read(m: RegExpMatchArray): { months: number; days?: number; approx: boolean } | null;
}

const DURATION_RULES: DurationRule[] = [
  {
    // 一年三个月, 两年零五个月
    re: new RegExp(`(${CN_COUNT})年零?(${CN_COUNT})个(多)?月`, 'g'),
    read: (m) => {
      const y = parseCount(m[1] ?? '');
      const mo = parseCount(m[2] ?? '');
      return y === null || mo === null || y.value > 60
        ? null
        : { months: y.value * 12 + mo.value, approx: Boolean(m[3]) || y.approx || mo.approx };
    },
  },
  {
    // 两年半, 一年半, 年半
    re: new RegExp(`(?<![\\d年])(${CN_COUNT})?年半`, 'g'),
    read: (m) => {
      const y = m[1] ? parseNumber(m[1]) : 1;
      return y === null || y > 60 ? null : { months: y * 12 + 6, approx: false };
    },
  },
  {
    // 一个半月, 两个半月
    re: new RegExp(`(${CN_COUNT})个半月`, 'g'),
    read: (m) => {
      const n = parseCount(m[1] ?? '');
      return n === null ? null : { months: n.value + 0.5, approx: n.approx };
    },
  },
  {
    // 三个月, 5个月, 三个多月, 俩月, 仨月, 半个月
    re: new RegExp(`(${CN_COUNT}|半)(?:个(多)?|(?<=[俩仨两几]))月(多)?(?!份|底|初|中旬)`, 'g'),
    read: (m) => {
      const n = m[1] === '半' ? { value: 0.5, approx: false } : parseCount(m[1] ?? '');
      return n === null || n.value > 600 ? null : { months: n.value, approx: Boolean(m[2] || m[3]) || n.approx };
    },
  },
  {
    // 半年, 大半年, 小半年, 半年多
    re: /(大|小)?半年(多)?/g,
    read: (m) => ({ months: m[1] === '小' ? 4 : m[1] === '大' ? 8 : 6, approx: Boolean(m[1] || m[2]) }),
  },
  {
    // 两年, 一年多, 三年 (not 2023年: 4-digit years are dates, and not 年级/年代/年底/年初/年龄)
    re: new RegExp(`(?<![\\d〇零一二三四五六七八九十两])(${CN_COUNT})个?(多)?年(多)?(?![级代底初龄前后份月度])`, 'g'),
    read: (m) => {
      const n = parseCount(m[1] ?? '');
      return n === null || n.value > 60 || /^\d{3,}$/.test(m[1] ?? '')
        ? null
        : { months: n.value * 12, approx: Boolean(m[2] || m[3]) || n.approx };
    },
  },
  {
    // 两个星期, 3周, 二十多天
    re: new RegExp(`(${CN_COUNT})(?:个)?(多)?(星期|礼拜|周|天)(多)?(?![前后])`, 'g'),
    read: (m) => {
      const n = parseCount(m[1] ?? '');
      if (n === null) return null;
      const days = m[3] === '天' ? n.value : n.value * 7;
      return { months: round(days / 30), days, approx: Boolean(m[2] || m[4]) || n.approx };
    },
  },
];

const RANGE_END = /^\s*(?:开始|起|以来)?\s*(?:一直)?\s*(?:干)?\s*(?:到|至|~|-|—)\s*(现在|今天|目前|如今|这会儿|今(?![年月天日]))/;
const SINCE_END = /^\s*(?:至今|以来|到现在|到今天|到目前|开始到现在)/;
const RANGE_TO_DATE = /^\s*(?:开始|起)?\s*(?:一直)?\s*(?:干)?\s*(?:到|至|~|-|—)\s*/;

function monthsBetween(a: DateMention, b: { year: number; month: number; day: number | null }): number {
  let months = (b.year - a.year) * 12 + ((b.month ?? 1) - (a.month ?? 1));
  if (a.day !== null && b.day !== null) months += (b.day - a.day) / 30;
  return Math.max(0, round(months));
}

/**
 * Every duration in the text: 三个月, 半年, 两年半, 一年三个月, 二十天 — and, given today, spans
 * written with dates: 从去年十月到现在, 2023年6月至今, 去年3月到今年1月.
 */
export function findDurations(
  text: string,
  opts: FindOptions & { today?: string | Date; dates?: DateMention[] } = {},
): Duration[] {
  const taken: Span[] = [...(opts.exclude ?? [])];
  const out: Duration[] = [];
  if (opts.today !== undefined) {
    const t = toYmd(opts.today);
    const dates = opts.dates ?? findDates(text, opts.today, opts);
    for (let i = 0; i < dates.length; i++) {
      const a = dates[i];
      if (!a || a.precision === 'year') continue;
      const rest = text.slice(a.end);
      const toNow = RANGE_END.exec(rest) ?? SINCE_END.exec(rest);
      let end: number | null = null;
      let to: { year: number; month: number; day: number | null; iso: string } | null = null;
      if (toNow) {
        end = a.end + toNow[0].length;
        to = { year: t.year, month: t.month, day: a.day !== null ? t.day : null, iso: `${t.year}-${pad(t.month)}-${pad(t.day)}` };
      } else {
        const b = dates[i + 1];
        const conn = RANGE_TO_DATE.exec(rest);
        if (b && conn && a.end + conn[0].length === b.start && b.month !== null) {
          end = b.end;
          to = { year: b.year, month: b.month, day: b.day, iso: b.iso };
        }
      }
      if (end === null || to === null) continue;
      const fromWord = /(?:从|自)\s*$/.exec(text.slice(0, a.start));
      const start = fromWord ? a.start - fromWord[0].length : a.start;
      taken.push({ start, end });
      out.push({
        months: monthsBetween(a, to),
        days: null,
        approx: true,
        text: text.slice(start, end),
        start,
        end,
        from: a.iso,
        to: to.iso,
      });
    }
  }
  for (const rule of DURATION_RULES) {
    for (const m of text.matchAll(rule.re)) {
      const span = { start: m.index, end: m.index + m[0].length };
      if (overlaps(span, taken)) continue;
      const r = rule.read(m);
      if (!r) continue;
      taken.push(span);
      out.push({ months: r.months, days: r.days ?? null, approx: r.approx, text: m[0], ...span });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The first duration, in months: parseDuration('两年半')?.months === 30. */
export function parseDuration(
  text: string,
  opts: FindOptions & { today?: string | Date } = {},
): Duration | null {
  return findDurations(text, opts)[0] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Counts

const COUNTER = '(?:个人|个工人|个兄弟|个工友|个师傅|个|名|位|口人|口|人|户|家)';
const COUNT_RE = new RegExp(`(?<![\\d.])(${CN_COUNT})(多)?\\s*${COUNTER}`, 'g');

/**
 * The first whole number in the text, preferring one followed by a counter (8个人, 八个人,
 * 我们班组8个人 → 8). Numbers inside longer digit runs (phones) are ignored.
 */
export function parseInteger(text: string, opts: FindOptions = {}): number | null {
  const exclude = opts.exclude ?? [];
  for (const m of text.matchAll(COUNT_RE)) {
    if (overlaps({ start: m.index, end: m.index + m[0].length }, exclude)) continue;
    // 三个月 / 两个星期 are durations, 一个人 in 一个人欠 is a count.
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 2);
    if (/^(?:月|星期|礼拜|小时|钟头|年|多月)/.test(after)) continue;
    const n = parseNumber(m[1] ?? '');
    if (n !== null && Number.isInteger(n)) return n;
  }
  const whole = /^\s*(\d{1,6}|[零一二两三四五六七八九十百千万俩仨]+)\s*$/.exec(text);
  if (whole) {
    const n = parseNumber(whole[1] ?? '');
    if (n !== null && Number.isInteger(n)) return n;
  }
  for (const m of text.matchAll(/(?<![\d.\-])\d{1,6}(?![\d.\-])/g)) {
    if (overlaps({ start: m.index, end: m.index + m[0].length }, exclude)) continue;
    return Number(m[0]);
  }
  return null;
}

export interface PeopleCount extends Span {
  count: number;
  approx: boolean;
  text: string;
}

/**
 * How many people a message speaks for: 我们班组8个人 → 8, 就我自己 / 就我一个 → 1, 我们俩 → 2,
 * 十几个人 → 10 (approx). Null when the message does not say.
 */
export function parsePeopleCount(text: string, opts: FindOptions = {}): PeopleCount | null {
  const exclude = opts.exclude ?? [];
  const self = /(?:就|只有|只)?(?:我|俺)(?:自己|一个人?|一人)(?!欠|的|月|星期|礼拜|年|小时|多月|工)|就我(?![们])|光我|只有我/.exec(text);
  const group = /(?:我们|俺们|咱们|咱)(俩|仨|两个|三个|四个|五个)/.exec(text);
  const counted = new RegExp(
    `(?<![\\d.])(${CN_COUNT})(几|多|来)?\\s*(?:个?(?:人|工人|兄弟|弟兄|工友|师傅|老乡|同乡|伙计|农民工|同事|姐妹)|名|位|口人|号人)(?!月|星期|礼拜|小时|钟头|年|多月)`,
    'g',
  );
  for (const m of text.matchAll(counted)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (overlaps(span, exclude)) continue;
    // 每人 / 一个人欠: "one person" as a per-person marker, not a head count.
    if (/^(?:一|1)$/.test(m[1] ?? '') && /^\s*(?:欠|能|给|发|拿|\d|[一二两三四五六七八九十])/.test(text.slice(span.end))) continue;
    const n = parseCount(m[1] ?? '');
    if (n === null || !Number.isInteger(n.value) || n.value <= 0) continue;
    return { count: n.value, approx: Boolean(m[2]) || n.approx, text: m[0], ...span };
  }
  if (group) {
    const n = parseNumber((group[1] ?? '').replace('个', '')) ?? 0;
    return { count: n, approx: false, text: group[0], start: group.index, end: group.index + group[0].length };
  }
  if (self) return { count: 1, approx: false, text: self[0], start: self.index, end: self.index + self[0].length };
  return null;
}
