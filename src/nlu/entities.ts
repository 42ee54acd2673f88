/**
 * Entities in one message: money, durations, dates, head counts, phone numbers (with the invalid
 * candidates a form needs to say "号码少了一位"), landlines, ID numbers (GB 11643 checksum), places
 * (from knowledge/lexicon/places.yaml), household categories and persona hints
 * (knowledge/lexicon/categories.yaml), short replies (knowledge/lexicon/replies.yaml) and ticket
 * numbers. Pure; expects normalised text (normalize.ts).
 *
 * Extraction order matters: ticket numbers, ID numbers and phone numbers claim their digits first,
 * so that 13903750303 is never read as money or 20261116 as a date.
 */
import type { Persona, Region } from '../core/types.js';
import {
  loadCategories,
  loadPlaces,
  loadReplies,
  type HouseholdType,
  type PersonaHint,
  type PlaceScope,
  type ReplyKind,
} from './lexicon.js';
import { escapeRegExp } from './normalize.js';
import {
  findAmounts,
  findDates,
  findDurations,
  parsePeopleCount,
  type Amount,
  type DateMention,
  type Duration,
  type PeopleCount,
  type Span,
} from './numbers.js';

export type { Amount, DateMention, Duration, PeopleCount, Span } from './numbers.js';

export interface Phone extends Span {
  /** The digits only: "13903750303". */
  value: string;
  text: string;
  valid: boolean;
  /** Why an 11-digit-like candidate is not a mobile number. */
  problem: 'too_short' | 'too_long' | 'bad_prefix' | null;
  /** Digits counted, for "号码少了一位" (10) / "多了一位" (12). */
  length: number;
}

export interface Landline extends Span {
  /** "0375-2222222", or the bare number when no area code was written. */
  value: string;
  areaCode: string | null;
  number: string;
  text: string;
}

export interface IdNumber extends Span {
  /** Upper-case, no spaces. */
  value: string;
  text: string;
  valid: boolean;
  problem: 'checksum' | 'birthdate' | 'length' | null;
  /** YYYY-MM-DD from the number when it reads as a date. */
  birthDate: string | null;
}

export interface Place extends Span {
  /** Canonical name: 鲁山县, 平顶山市, 济宁市, 郑州市, 广东省 … */
  name: string;
  text: string;
  level: 'province' | 'city' | 'county';
  city: string | null;
  province: string | null;
  scope: PlaceScope;
  /** The policy region it falls under, null outside our regions. */
  region: Region | null;
}

export interface Ticket extends Span {
  /** Canonical "QX20261116-0032". */
  value: string;
  text: string;
}

export interface HouseholdMention extends Span {
  category: HouseholdType;
  text: string;
  /** 不是脱贫户: mentioned to say it does NOT apply. */
  negated: boolean;
}

export interface ReplyMatch {
  kind: ReplyKind;
  /** The phrase recognised: "对", "不是", "算了" … */
  phrase: string;
  /** The whole message is the reply (after fillers); otherwise it opens the message. */
  exact: boolean;
  /** What follows the reply phrase ("不对 是8个人" → "是8个人"). */
  rest: string;
}

export interface Entities {
  amounts: Amount[];
  durations: Array<Duration & { rate: boolean }>;
  dates: DateMention[];
  people: PeopleCount | null;
  phones: Phone[];
  landlines: Landline[];
  idNumbers: IdNumber[];
  places: Place[];
  /** The most specific of our regions mentioned (平顶山市 / 济宁市 / 河南省), else null. */
  region: Region | null;
  /** A place outside our service areas was mentioned (and none inside). */
  otherRegion: boolean;
  household: HouseholdType | null;
  householdMentions: HouseholdMention[];
  personas: PersonaHint[];
  reply: ReplyMatch | null;
  tickets: Ticket[];
}

export interface ExtractOptions {
  /** "YYYY-MM-DD" or a Date (China time). */
  today: string | Date;
}

// ---------------------------------------------------------------------------------------------
// Tickets, IDs, phones, landlines

/** "QX20261116-0032" as people quote it, and the store's own "QX261124-FDWJ" (date + 4 characters). */
const TICKET_RE = /(?<![A-Za-z])QX[\s-]*(\d{8}|\d{6})[\s-]*([0-9A-Za-z]{4})(?![0-9A-Za-z])/gi;

export function findTickets(text: string): Ticket[] {
  return [...text.matchAll(TICKET_RE)].map((m) => ({
    value: `QX${m[1]}-${m[2]!.toUpperCase()}`,
    text: m[0],
    start: m.index,
    end: m.index + m[0].length,
  }));
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643 check character for the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK[sum % 11] ?? '';
}

function idBirthDate(value: string): string | null {
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const t = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Checks an 18-character resident ID number. */
export function validateIdNumber(raw: string): Pick<IdNumber, 'valid' | 'problem' | 'birthDate' | 'value'> {
  const value = raw.replace(/\s/g, '').toUpperCase();
  if (!/^\d{17}[\dX]$/.test(value)) return { value, valid: false, problem: 'length', birthDate: null };
  const birthDate = idBirthDate(value);
  if (!birthDate) return { value, valid: false, problem: 'birthdate', birthDate: null };
  if (idCheckChar(value.slice(0, 17)) !== value[17]) return { value, valid: false, problem: 'checksum', birthDate };
  return { value, valid: true, problem: null, birthDate };
}

const ID_RE = /(?<![\dA-Za-z])(\d{6}\s?\d{8}\s?\d{3}[\dXx]|\d{16,19}|\d{15,18}[Xx])(?![\dA-Za-z])/g;

export function findIdNumbers(text: string, exclude: readonly Span[] = []): IdNumber[] {
  const out: IdNumber[] = [];
  for (const m of text.matchAll(ID_RE)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (overlaps(span, exclude)) continue;
    out.push({ ...validateIdNumber(m[0]), text: m[0], ...span });
  }
  return out;
}

const MOBILE_RE = /(?<![\d])(?:\+?86[\s-]?)?(1[3-9]\d)([\s\-.]?)(\d{4})\2(\d{4})(?![\d])/g;
/** Phone-like digit runs that are not valid mobiles: 9–13 digits starting with 1, maybe grouped. */
const PHONE_CANDIDATE_RE = /(?<![\d.])(1\d{8,12}|1\d{2}[\s-]\d{3,4}[\s-]\d{3,5})(?![\d.])/g;
const NOT_PHONE_AFTER = /^\s*(?:元|块|万|千|年|个|人|天|多|w|W)/;

export function findPhones(text: string, exclude: readonly Span[] = []): Phone[] {
  const out: Phone[] = [];
  const taken: Span[] = [...exclude];
  for (const m of text.matchAll(MOBILE_RE)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (overlaps(span, taken)) continue;
    const value = `${m[1]}${m[3]}${m[4]}`;
    taken.push(span);
    out.push({ value, text: m[0], valid: true, problem: null, length: 11, ...span });
  }
  for (const m of text.matchAll(PHONE_CANDIDATE_RE)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (overlaps(span, taken) || NOT_PHONE_AFTER.test(text.slice(span.end))) continue;
    const value = m[0].replace(/\D/g, '');
    const problem = value.length < 11 ? 'too_short' : value.length > 11 ? 'too_long' : 'bad_prefix';
    taken.push(span);
    out.push({ value, text: m[0], valid: false, problem, length: value.length, ...span });
  }
  return out.sort((a, b) => a.start - b.start);
}

const LANDLINE_RE = /(?<![\d])(0\d{2,3})[\s-]?([2-9]\d{6,7})(?![\d])/g;
const LOCAL_NUMBER_RE = /(?:电话|座机|号码|联系方式|打)[是为:：\s]{0,3}([2-9]\d{6,7})(?![\d])/g;

export function findLandlines(text: string, exclude: readonly Span[] = []): Landline[] {
  const out: Landline[] = [];
  const taken: Span[] = [...exclude];
  for (const m of text.matchAll(LANDLINE_RE)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (overlaps(span, taken)) continue;
    taken.push(span);
    out.push({ value: `${m[1]}-${m[2]}`, areaCode: m[1] ?? null, number: m[2] ?? '', text: m[0], ...span });
  }
  for (const m of text.matchAll(LOCAL_NUMBER_RE)) {
    const number = m[1] ?? '';
    const start = m.index + m[0].length - number.length;
    const span = { start, end: start + number.length };
    if (overlaps(span, taken)) continue;
    taken.push(span);
    out.push({ value: number, areaCode: null, number, text: number, ...span });
  }
  return out.sort((a, b) => a.start - b.start);
}

function overlaps(a: Span, spans: readonly Span[]): boolean {
  return spans.some((b) => a.start < b.end && b.start < a.end);
}

// ---------------------------------------------------------------------------------------------
// Places

interface PlaceEntry {
  name: string;
  level: Place['level'];
  city: string | null;
  province: string | null;
  scope: PlaceScope;
  region: Region | null;
}

let placeIndex: { re: RegExp; byAlias: Map<string, PlaceEntry> } | undefined;

function asRegion(r: string | null | undefined): Region | null {
  return r === '全国' || r === '河南省' || r === '平顶山市' || r === '济宁市' ? r : null;
}

function places(): { re: RegExp; byAlias: Map<string, PlaceEntry> } {
  if (placeIndex) return placeIndex;
  const data = loadPlaces();
  const byAlias = new Map<string, PlaceEntry>();
  const add = (aliases: string[], e: PlaceEntry): void => {
    for (const a of aliases) if (!byAlias.has(a)) byAlias.set(a, e);
  };
  for (const c of data.cities) {
    const region = asRegion(c.region);
    for (const k of c.counties) {
      add(k.aliases, { name: k.name, level: 'county', city: c.name, province: c.province, scope: c.scope, region });
    }
    add(c.aliases, { name: c.name, level: 'city', city: c.name, province: c.province, scope: c.scope, region });
  }
  for (const c of data.henanCities) {
    add(c.aliases, { name: c.name, level: 'city', city: c.name, province: '河南省', scope: 'henan', region: '河南省' });
  }
  for (const c of data.otherCities) {
    add(c.aliases, { name: c.name, level: 'city', city: c.name, province: c.province, scope: 'other', region: null });
  }
  for (const p of data.provinces) {
    add(p.aliases, { name: p.name, level: 'province', city: null, province: p.name, scope: p.scope, region: asRegion(p.region) });
  }
  const aliases = [...byAlias.keys()].sort((a, b) => b.length - a.length);
  placeIndex = { re: new RegExp(aliases.map(escapeRegExp).join('|'), 'g'), byAlias };
  return placeIndex;
}

export function findPlaces(text: string): Place[] {
  const { re, byAlias } = places();
  const out: Place[] = [];
  for (const m of text.matchAll(re)) {
    const e = byAlias.get(m[0]);
    if (e) out.push({ ...e, text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}

const REGION_RANK: Record<Region, number> = { 平顶山市: 3, 济宁市: 3, 河南省: 2, 全国: 1 };

function bestRegion(found: Place[]): Region | null {
  let best: Region | null = null;
  for (const p of found) if (p.region && (!best || REGION_RANK[p.region] > REGION_RANK[best])) best = p.region;
  return best;
}

// ---------------------------------------------------------------------------------------------
// Household categories and personas

let householdIndex: { re: RegExp; byPattern: Map<string, HouseholdType> } | undefined;

function households(): { re: RegExp; byPattern: Map<string, HouseholdType> } {
  if (householdIndex) return householdIndex;
  const byPattern = new Map<string, HouseholdType>();
  for (const [cat, patterns] of Object.entries(loadCategories().household)) {
    for (const p of patterns ?? []) byPattern.set(p, cat as HouseholdType);
  }
  const keys = [...byPattern.keys()].sort((a, b) => b.length - a.length);
  householdIndex = { re: new RegExp(keys.map(escapeRegExp).join('|'), 'g'), byPattern };
  return householdIndex;
}

export function findHouseholds(text: string): HouseholdMention[] {
  const { re, byPattern } = households();
  const out: HouseholdMention[] = [];
  for (const m of text.matchAll(re)) {
    const category = byPattern.get(m[0]);
    if (!category) continue;
    const before = text.slice(Math.max(0, m.index - 4), m.index);
    const negated = /(?:不是|并非|非|不属于|不算|没有)$/.test(before);
    out.push({ category, text: m[0], negated, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

export function findPersonaHints(text: string, householdFound = false): PersonaHint[] {
  const score = new Map<PersonaHint, number>();
  for (const [persona, patterns] of Object.entries(loadCategories().personas)) {
    let n = 0;
    for (const p of patterns ?? []) if (text.includes(p)) n++;
    if (n > 0) score.set(persona as PersonaHint, n);
  }
  if (householdFound) score.set('poverty', (score.get('poverty') ?? 0) + 2);
  return [...score.entries()].sort((a, b) => b[1] - a[1]).map(([p]) => p);
}

// ---------------------------------------------------------------------------------------------
// Replies

let replyIndex:
  | { exact: Map<string, ReplyKind>; phrases: Array<[string, ReplyKind]>; fillers: RegExp; leadingFillers: RegExp }
  | undefined;

function replies(): NonNullable<typeof replyIndex> {
  if (replyIndex) return replyIndex;
  const data = loadReplies();
  const exact = new Map<string, ReplyKind>();
  for (const [kind, phrases] of Object.entries(data.replies)) {
    for (const p of phrases ?? []) {
      const key = p.toLowerCase();
      if (!exact.has(key)) exact.set(key, kind as ReplyKind);
    }
  }
  const phrases = [...exact.entries()].sort((a, b) => b[0].length - a[0].length);
  const alternatives = data.fillers.map(escapeRegExp).join('|');
  const fillers = new RegExp(`(?:${alternatives})+$`);
  const leadingFillers = new RegExp(`^(?:${alternatives})+`);
  replyIndex = { exact, phrases, fillers, leadingFillers };
  return replyIndex;
}

const EDGE_PUNCT = /^[\s,.!?;:，。！？；：、~～…]+|[\s,.!?;:，。！？；：、~～…]+$/g;
const SEPARATOR = /^[\s,.!?;:，。！？；：、~～…]/;

function collapseRepeats(s: string): string {
  return s.replace(/(\p{Script=Han})\1+/gu, '$1');
}

/** 是的 / 对，确认 / 嗯嗯 / 不对 是8个人 / 算了 / 重新开始 … → kind; null when the message is not a reply. */
export function detectReply(text: string): ReplyMatch | null {
  const { exact, phrases, fillers, leadingFillers } = replies();
  const s = text.toLowerCase().replace(EDGE_PUNCT, '');
  if (s === '') return null;
  const bare = collapseRepeats(s).replace(fillers, '') || collapseRepeats(s);
  const whole = exact.get(bare) ?? exact.get(s);
  if (whole) return { kind: whole, phrase: exact.has(bare) ? bare : s, exact: true, rest: '' };
  for (const [phrase, kind] of phrases) {
    for (const candidate of [s, collapseRepeats(s)]) {
      if (!candidate.startsWith(phrase)) continue;
      let after = candidate.slice(phrase.length);
      const filler = leadingFillers.exec(after);
      if (filler && SEPARATOR.test(after.slice(filler[0].length))) after = after.slice(filler[0].length);
      if (!SEPARATOR.test(after)) continue;
      return { kind, phrase, exact: false, rest: after.replace(EDGE_PUNCT, '') };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// All together

/** Everything the dialogue engine may need from one (normalised) message. */
export function extractEntities(text: string, opts: ExtractOptions): Entities {
  const tickets = findTickets(text);
  const taken: Span[] = [...tickets];
  const idNumbers = findIdNumbers(text, taken);
  taken.push(...idNumbers);
  const phones = findPhones(text, taken);
  taken.push(...phones);
  const landlines = findLandlines(text, taken);
  taken.push(...landlines);
  const dates = findDates(text, opts.today, { exclude: taken });
  const durationsRaw = findDurations(text, { exclude: taken, today: opts.today, dates });
  const amounts = findAmounts(text, { exclude: [...taken, ...dates, ...durationsRaw] });
  // 一个月三千五: "一个月" is the rate of the amount, not how long the person worked.
  const durations = durationsRaw.map((d) => ({
    ...d,
    rate:
      (d.months === 1 || d.months === 12 || d.days === 1) &&
      amounts.some(
        (a) =>
          a.per !== null &&
          ((a.start >= d.end && a.start - d.end <= 3) || (d.start >= a.end && d.start - a.end <= 1)),
      ),
  }));
  const people = parsePeopleCount(text, { exclude: taken });
  const found = findPlaces(text);
  const region = bestRegion(found);
  const householdMentions = findHouseholds(text);
  const household = householdMentions.find((h) => !h.negated)?.category ?? null;
  return {
    amounts,
    durations,
    dates,
    people,
    phones,
    landlines,
    idNumbers,
    places: found,
    region,
    otherRegion: region === null && found.some((p) => p.scope === 'other'),
    household,
    householdMentions,
    personas: findPersonaHints(text, household !== null),
    reply: detectReply(text),
    tickets,
  };
}

/** Persona hints as the core Persona type (first hint, or null). */
export function primaryPersona(e: Entities): Persona | null {
  return e.personas[0] ?? null;
}
