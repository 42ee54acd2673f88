/**
 * One message → profile field values for the eligibility form. Two sources:
 *
 * - the answer to the question just asked ("1", "没有", "3万", "8个月", "去年"), read by the type and
 *   unit the questions book gives the field;
 * - anything else the message says, so that one message can fill several fields: the phrase lexicon
 *   and cue words of intents/forms/eligibility.yaml over the entities of src/nlu (dates, amounts,
 *   durations, counts, places, household category).
 *
 * Pure: the same message, question and day give the same values.
 */
import type { Region } from '../../../core/types.js';
import type { Question, QuestionBook } from '../../../eligibility/questions.js';
import type { Vocabulary } from '../../../eligibility/vocabulary.js';
import type { Place } from '../../../nlu/entities.js';
import { parseNumber, type Span } from '../../../nlu/numbers.js';
import type { Understanding } from '../../../nlu/understand.js';
import type { CueKind, EligibilityFormConfig, WhoOption } from './config.js';

/** The slot that holds the option of the persona choice (not a profile field). */
export const WHO = 'who';
/** The slot that holds the policy region (not a profile field). */
export const REGION = 'region';

export interface Extraction {
  /** Profile fields, plus `region`. */
  values: Record<string, unknown>;
  /** Option key of the persona choice, when the message says who the person is. */
  who: string | null;
  /** The person does not know the answer to the question asked ("不知道", "跳过"). */
  skip: boolean;
  /** Fields the message brings up without their detail ("参加过创业培训": which ones?): ask them next. */
  raises: string[];
  /** Things to tell the person (an answer that does not fit the question). */
  problems: string[];
}

export interface ExtractContext {
  cfg: EligibilityFormConfig;
  questions: QuestionBook;
  vocabulary: Vocabulary;
  /** The slot the last question asked for. */
  asking: string | null;
}

interface Clause extends Span {
  text: string;
}

const CLAUSE_BREAK = /(?<!\d),(?!\d)|[，。；;！!？?、\s]+/g;

function clauses(text: string): Clause[] {
  const out: Clause[] = [];
  let start = 0;
  for (const m of text.matchAll(CLAUSE_BREAK)) {
    if (m.index > start) out.push({ text: text.slice(start, m.index), start, end: m.index });
    start = m.index + m[0].length;
  }
  if (start < text.length) out.push({ text: text.slice(start), start, end: text.length });
  return out;
}

const inside = (s: Span, c: Span): boolean => s.start >= c.start && s.end <= c.end;
const overlaps = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end;

const BARE_DIGIT = /^\s*([1-9])\s*[.、。]?\s*$/;

// ---------------------------------------------------------------------------------------------
// Who the person is

/** The option a message points to: its number (only when asked), its label, its words or hints. */
export function detectWho(u: Understanding, cfg: EligibilityFormConfig, asked: boolean): WhoOption | null {
  const options = cfg.who.options;
  if (asked) {
    const n = BARE_DIGIT.exec(u.normalized);
    if (n) return options[Number(n[1]) - 1] ?? null;
    const byLabel = options.find((o) => u.normalized.includes(o.label));
    if (byLabel) return byLabel;
  }
  const ordered = cfg.who.detect_order.map((k) => options.find((o) => o.key === k)).filter((o): o is WhoOption => o !== undefined);
  for (const o of ordered) if (o.words.some((w) => u.normalized.includes(w))) return o;
  for (const hint of u.entities.personas) {
    const o = ordered.find((x) => x.hints.includes(hint));
    if (o) return o;
  }
  if (u.entities.household) return ordered.find((o) => o.hints.includes('poverty')) ?? null;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Numbers by unit

const AGE_RE = /(?<![\d.])(\d{1,3}|[一二两三四五六七八九十]{1,3})\s*周?岁/;

function readAge(text: string): number | null {
  const m = AGE_RE.exec(text);
  if (!m) return null;
  const n = parseNumber(m[1] ?? '');
  return n !== null && n > 0 && n < 120 ? n : null;
}

/** 2023届, 23届 → 2023; 23年 (a year without a month, which the date reader leaves alone) → 2023. */
const YEAR_ONLY = /(?<![\d.])(\d{4}|\d{2})\s*(?:届|年)(?![\d一二三四五六七八九十]|级|代|底|初|多|半)/;

function readYear(text: string, today: string): string | null {
  const m = YEAR_ONLY.exec(text);
  if (!m) return null;
  const raw = m[1] ?? '';
  const thisYear = Number(today.slice(0, 4));
  const y = raw.length === 4 ? Number(raw) : 2000 + Number(raw);
  return y >= 1950 && y <= thisYear + 1 ? String(y) : null;
}

/** "2025-06-10" minus 24 months → "2023-06" (fractions of a month dropped). */
function monthsBefore(today: string, months: number): string {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const idx = y * 12 + (m - 1) - Math.floor(months);
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`;
}

/** A bare number anywhere in a short answer: "8" / "八" / "8个" → 8. */
function bareNumber(text: string): number | null {
  const m = /(?<![\d.])(\d+(?:\.\d+)?|[零一二两三四五六七八九十百千万]+)/.exec(text);
  return m ? parseNumber(m[1] ?? '') : null;
}

function usableDurations(u: Understanding, workVerbs: readonly string[] = []): Understanding['entities']['durations'] {
  // "干了一年 挣了两万六": the year is the pay's period and also how long one worked (a work verb just before it).
  const worked = (d: Understanding['entities']['durations'][number]) => workVerbs.some((v) => u.normalized.slice(0, d.start).endsWith(v));
  return u.entities.durations.filter((d) => (!d.rate || worked(d)) && d.months <= 600 && !u.entities.dates.some((x) => overlaps(x, d)));
}

function readPercent(text: string): number | null {
  const m = /(\d+(?:\.\d+)?)\s*[%％]/.exec(text);
  if (m) return Number(m[1]) / 100;
  if (/一半|半数/.test(text)) return 0.5;
  if (/全部|都留/.test(text)) return 1;
  const n = bareNumber(text);
  if (n === null) return null;
  return n > 1 ? n / 100 : n;
}

/** The answer to a number question, by its unit. */
function readNumber(u: Understanding, q: Question): number | null {
  const text = u.normalized;
  switch (q.unit) {
    case '元': {
      const a = u.entities.amounts.find((x) => x.certainty !== 'weak') ?? u.entities.amounts[0];
      return a ? a.value : bareNumber(text);
    }
    case '月': {
      const d = usableDurations(u).find((x) => x.days === null || x.months >= 1);
      return d ? d.months : bareNumber(text);
    }
    case '年': {
      const d = usableDurations(u)[0];
      return d ? d.months / 12 : bareNumber(text);
    }
    case '岁':
      return readAge(text) ?? bareNumber(text);
    case '人':
      return u.entities.people?.count ?? bareNumber(text);
    case '比例':
      return readPercent(text);
    default:
      return bareNumber(text);
  }
}

// ---------------------------------------------------------------------------------------------
// Choices

function readChoice(text: string, q: Question, field: string, vocabulary: Vocabulary, u: Understanding): string | null {
  const options = q.options ?? [];
  const n = BARE_DIGIT.exec(text);
  if (n) return options[Number(n[1]) - 1] ?? null;
  if (field === 'household_type' && u.entities.household) return u.entities.household;
  const byOption = [...options].sort((a, b) => b.length - a.length).find((o) => text.includes(o));
  if (byOption) return byOption;
  const aliases = Object.entries(vocabulary[field] ?? {}).sort((a, b) => b[0].length - a[0].length);
  for (const [alias, value] of aliases) if (text.includes(alias)) return value;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Free text: phrases, cues, places, household, new hires

function phraseValues(text: string, cfg: EligibilityFormConfig): { values: Record<string, unknown>; spans: Span[] } {
  const all = cfg.phrases.flatMap((p) => p.say.map((say) => ({ say, field: p.field, value: p.value })));
  all.sort((a, b) => b.say.length - a.say.length);
  const taken: Span[] = [];
  const values: Record<string, unknown> = {};
  const found: Array<{ at: number; field: string; value: unknown }> = [];
  for (const p of all) {
    let from = 0;
    for (;;) {
      const at = text.indexOf(p.say, from);
      if (at < 0) break;
      const span = { start: at, end: at + p.say.length };
      from = at + 1;
      if (taken.some((t) => overlaps(t, span))) continue;
      taken.push(span);
      found.push({ at, field: p.field, value: p.value });
    }
  }
  // The later mention wins ("没工作，不对，有工作了").
  found.sort((a, b) => a.at - b.at);
  for (const f of found) values[f.field] = f.value;
  return { values, spans: taken };
}

function isWorkPlace(text: string, p: Place, cfg: EligibilityFormConfig): boolean {
  let after = text.slice(p.end, p.end + 10).replace(/^[那这边里儿去来的省市县]{0,3}/, '');
  // "广东厂里干了一年": a workplace may stand between the place and the verb.
  const workplace = cfg.work_places.filter((w) => after.replace(/^[^，,。\s]{0,3}?/, '').length > 0).find((w) => new RegExp(`^[^，,。\\s]{0,3}?${w}`).test(after));
  if (workplace) after = after.replace(new RegExp(`^[^，,。\\s]{0,3}?${workplace}`), '').replace(/^[上里]/, '');
  return cfg.work_verbs.some((v) => after.startsWith(v));
}

function placeValues(u: Understanding, cfg: EligibilityFormConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let region: Region | null = null;
  for (const p of u.entities.places) {
    if (isWorkPlace(u.normalized, p, cfg)) {
      if (p.scope === 'other' || p.scope === 'jining') out.work_location = '省外';
      else if (p.scope === 'henan' && p.name !== '河南省') out.work_location = '省内县外';
      continue;
    }
    if (p.region && (!region || region === '全国' || region === '河南省')) region = p.region;
  }
  if (region) out[REGION] = region;
  return out;
}

/**
 * Clauses that tell whom an employer hired ("今年招了5个应届生", "新招了3个登记失业的"): their 应届 or
 * 登记失业 describe the hires, not the person writing.
 */
function hireClauses(text: string, cfg: EligibilityFormConfig): Clause[] {
  return clauses(text).filter((c) => /招/.test(c.text) && Object.values(cfg.new_hire_types).some((words) => words.some((w) => c.text.includes(w))));
}

/** The text with the hire clauses blanked (same length, so that positions still line up). */
function withoutHires(text: string, hires: Clause[]): string {
  let out = text;
  for (const c of hires) out = out.slice(0, c.start) + ' '.repeat(c.end - c.start) + out.slice(c.end);
  return out;
}


function cueValues(u: Understanding, cfg: EligibilityFormConfig, today: string, hires: Clause[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const text = u.normalized;
  const used: Span[] = [];
  const free = (s: Span) => !used.some((x) => overlaps(x, s));
  const durations = usableDurations(u, cfg.work_verbs);
  for (const c of clauses(text)) {
    const aboutHires = hires.some((h) => h.start === c.start);
    for (const cue of cfg.cues) {
      if (out[cue.field] !== undefined) continue;
      if (aboutHires) continue;
      if (cue.kind === 'date' && cue.now.some((w) => c.text.includes(w))) {
        out[cue.field] = today; // the day itself: a month alone reads as its last day, not yet come
        continue;
      }
      if (cue.kind !== 'age' && !cue.words.some((w) => c.text.includes(w))) continue;
      const v = readCue(cue.kind, u, c, today, free, used, durations);
      if (v !== null) out[cue.field] = v;
    }
  }
  return out;
}

function readCue(
  kind: CueKind,
  u: Understanding,
  c: Clause,
  today: string,
  free: (s: Span) => boolean,
  used: Span[],
  durations: Understanding['entities']['durations'],
): unknown {
  const take = <T extends Span>(x: T | undefined): T | undefined => {
    if (x) used.push(x);
    return x;
  };
  switch (kind) {
    case 'date': {
      const d = take(u.entities.dates.find((x) => inside(x, c) && free(x)));
      if (d) return d.iso;
      const y = readYear(c.text, today);
      if (y) return y;
      // 毕业两年了 / 毕业半年 → the month that long before today
      const ago = take(durations.find((x) => inside(x, c) && free(x) && x.months >= 1));
      return ago ? monthsBefore(today, ago.months) : null;
    }
    case 'amount': {
      const a = take(u.entities.amounts.find((x) => inside(x, c) && free(x) && x.certainty !== 'weak'));
      return a ? a.value : null;
    }
    case 'duration': {
      const d = take(durations.find((x) => inside(x, c) && free(x)));
      return d ? d.months : null;
    }
    case 'count': {
      const p = u.entities.people;
      if (p && inside(p, c) && free(p)) return (take(p), p.count);
      // "员工30个": a number counted in 个/名 beside the cue word (the people entity wants 人 after 个).
      const m = /(?<![\d.])(\d+|[一二两三四五六七八九十百]+)\s*(?:个|名)(?![\d学课月小年天星礼钟])/.exec(c.text);
      const n = m ? parseNumber(m[1] ?? '') : null;
      return n !== null && Number.isInteger(n) && n > 0 ? n : null;
    }
    case 'age':
      return readAge(c.text);
  }
}

/** 给10个学员评了高级工 → [{level: 高级工, count: 10}] (how they were issued is the phrase certificate_method). */
function certificatesOf(u: Understanding, cfg: EligibilityFormConfig): Array<{ level: string; count: number }> | null {
  const levels = Object.entries(cfg.certificates.levels)
    .flatMap(([level, words]) => words.map((w) => ({ level, w })))
    .sort((a, b) => b.w.length - a.w.length);
  if (levels.length === 0) return null;
  const out: Array<{ level: string; count: number }> = [];
  for (const c of clauses(u.normalized)) {
    let rest = c.text;
    for (const { level, w } of levels) {
      if (!rest.includes(w)) continue;
      rest = rest.replace(w, ' ');
      const m = /(\d+|[一二两三四五六七八九十百]+)\s*(?:个|名|位|本)/.exec(c.text);
      const count = m ? parseNumber(m[1] ?? '') : 1;
      if (count !== null && Number.isInteger(count) && count > 0) out.push({ level, count });
    }
  }
  return out.length ? out : null;
}

/** 招了3个应届生 → [{type: 毕业年度高校毕业生, count: 3}]; 没招人 → []. */
function newHires(u: Understanding, cfg: EligibilityFormConfig, asked: boolean): Array<{ type: string; count: number }> | null {
  const out: Array<{ type: string; count: number }> = [];
  if (asked && /没(有)?招|没招人|一个(也|都)没/.test(u.normalized)) return [];
  for (const c of clauses(u.normalized)) {
    const type = Object.entries(cfg.new_hire_types).find(([, words]) => words.some((w) => c.text.includes(w)))?.[0];
    if (!type) continue;
    const m = /(\d+|[一二两三四五六七八九十百]+)\s*(?:个|名|位|人)/.exec(c.text);
    const count = m ? parseNumber(m[1] ?? '') : null;
    if (count !== null && Number.isInteger(count)) out.push({ type, count });
  }
  return out.length ? out : null;
}

// ---------------------------------------------------------------------------------------------
// Together

export function extract(u: Understanding, today: string, ctx: ExtractContext): Extraction {
  const { cfg, questions, vocabulary, asking } = ctx;
  const text = u.normalized;
  const problems: string[] = [];

  const hireTold = hireClauses(text, cfg);
  const { values: phrased } = phraseValues(withoutHires(text, hireTold), cfg);
  const free: Record<string, unknown> = { ...cueValues(u, cfg, today, hireTold), ...phrased, ...placeValues(u, cfg) };
  const household = u.entities.householdMentions.find((h) => !h.negated);
  if (household) free.household_type = household.category;
  const hires = newHires(u, cfg, asking === 'new_hires');
  if (hires) free.new_hires = hires;
  const certificates = certificatesOf(u, cfg);
  if (certificates) free.certificates = certificates;

  const whoOption = detectWho(u, cfg, asking === WHO);
  const reply = u.entities.reply;
  const skip = asking !== null && asking !== WHO && reply?.kind === 'skip' && reply.exact;

  const direct: Record<string, unknown> = {};
  const q = asking && asking !== WHO ? questions.get(asking) : undefined;
  if (q && asking && !skip && free[asking] === undefined) {
    const v = answerTo(u, q, asking, ctx, today, Object.keys(free).length > 0);
    if (v.problem) problems.push(v.problem);
    else if (v.value !== undefined) direct[asking] = v.value;
  }
  const values = { ...free, ...direct };
  const raises = mentioned(text, cfg).filter((f) => values[f] === undefined);
  return { values, who: whoOption?.key ?? null, skip, raises, problems };
}

/** Fields of `mentions` the text brings up, unless denied just before ("没参加过创业培训"). */
function mentioned(text: string, cfg: EligibilityFormConfig): string[] {
  const out: string[] = [];
  for (const m of cfg.mentions) {
    for (const say of m.say) {
      const at = text.indexOf(say);
      if (at >= 0 && !/(?:没|没有|未|不)(?:参加|上|报|学)?过?$/u.test(text.slice(Math.max(0, at - 5), at))) {
        if (!out.includes(m.field)) out.push(m.field);
        break;
      }
    }
  }
  return out;
}

function answerTo(
  u: Understanding,
  q: Question,
  field: string,
  ctx: ExtractContext,
  today: string,
  saidOtherThings: boolean,
): { value?: unknown; problem?: string } {
  const text = u.normalized;
  const reply = u.entities.reply;
  switch (q.type) {
    case 'boolean': {
      // "不对，是去年毕业" corrects something else; a bare "没有" / "是的" answers the question.
      if (reply && (reply.exact || !saidOtherThings)) {
        if (reply.kind === 'affirm') return { value: true };
        if (reply.kind === 'deny') return { value: false };
      }
      if (saidOtherThings || reply?.kind === 'skip') return {};
      const bare = text.replace(/[\s，。！？,.!?~～…]+/g, '').replace(/[啊呀吧哈呢哦啦的了]+$/, '');
      if (bare.length === 0 || bare.length > 6) return {};
      const { yes, no_prefixes } = ctx.cfg.boolean_answers;
      if (no_prefixes.some((p) => bare.startsWith(p))) return { value: false };
      if (yes.some((y) => bare === y || bare === y.replace(/了$/, ''))) return { value: true };
      return {};
    }
    case 'date': {
      const d = u.entities.dates[0];
      if (d) return { value: d.iso };
      const y = readYear(text, today);
      return y ? { value: y } : {};
    }
    case 'number':
    case 'integer': {
      if (q.unit === '元' && q.field === 'annual_wage') {
        const monthly = u.entities.amounts.find((a) => a.per === 'month' || a.per === 'day');
        if (monthly && !u.entities.amounts.some((a) => a.per === 'year')) {
          return { problem: '请告诉我一年一共挣了多少（上一年第四季度加今年前三季度），我不替您折算。' };
        }
      }
      const n = readNumber(u, q);
      if (n === null || !Number.isFinite(n) || n < 0) return {};
      if (q.type === 'integer' && !Number.isInteger(n)) return { problem: `${q.unit ? `请回复整数（${q.unit}）。` : '请回复整数。'}` };
      return { value: n };
    }
    case 'choice': {
      const v = readChoice(text, q, field, ctx.vocabulary, u);
      return v ? { value: v } : {};
    }
    case 'multi': {
      const picked = (q.options ?? []).filter((o) => text.includes(o));
      if (picked.length) return { value: picked };
      if (reply?.kind === 'deny' && reply.exact) return { value: [] };
      return {};
    }
    case 'list':
      return {};
  }
}
