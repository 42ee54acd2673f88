/**
 * Word segmentation (jieba with the policy dictionary) and query expansion (colloquial → policy
 * terms). One jieba instance per process, built on first use from the default dictionary plus
 * knowledge/lexicon/terms.txt and the colloquial keys of knowledge/lexicon/synonyms.yaml; the
 * knowledge base may add its own terms at start-up with addTerms().
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { loadStopwords, loadSynonyms, loadTerms } from './lexicon.js';

/** High enough that jieba keeps a policy term whole instead of splitting it. */
const TERM_FREQ = 20000;
/** Colloquial synonym keys: kept whole when jieba would split them, but weaker than policy terms. */
const SYNONYM_FREQ = 3000;
/** Weight of a policy term found inside a longer one (一次性求职创业补贴 → 求职创业补贴). */
const SUBTERM_WEIGHT = 0.5;

let jieba: Jieba | undefined;
/** Every term known to the dictionary we added (policy terms and terms added at start-up). */
const terms = new Set<string>();

function dictLines(words: Iterable<string>, freq: number): string {
  let out = '';
  for (const w of words) {
    const word = w.trim();
    if (word === '' || /\s/.test(word)) continue;
    out += `${word} ${freq} n\n`;
  }
  return out;
}

function instance(): Jieba {
  if (jieba) return jieba;
  const j = Jieba.withDict(dict);
  const policy = loadTerms();
  let lines = '';
  for (const { term, freq } of policy) {
    lines += dictLines([term], freq ?? TERM_FREQ);
    terms.add(term);
  }
  const colloquial = Object.keys(loadSynonyms().synonyms).filter((k) => k.length >= 2 && k.length <= 6 && !terms.has(k));
  lines += dictLines(colloquial, SYNONYM_FREQ);
  j.loadDict(Buffer.from(lines, 'utf8'));
  jieba = j;
  return j;
}

/** Adds terms (e.g. document aliases, programme names) to the shared dictionary. Idempotent. */
export function addTerms(newTerms: string[]): void {
  const j = instance();
  const fresh = newTerms.map((t) => t.trim()).filter((t) => t.length >= 2 && !/\s/.test(t) && !terms.has(t));
  if (fresh.length === 0) return;
  j.loadDict(Buffer.from(dictLines(fresh, TERM_FREQ), 'utf8'));
  for (const t of fresh) terms.add(t);
  inside.clear();
}

/** Policy terms found inside each longer policy term, worked out on first use (terms only, so bounded). */
const inside = new Map<string, string[]>();

/** The policy terms inside a longer one: 乡村公益性岗位 → 公益性岗位, 职业技能培训 → 技能培训. */
export function subtermsOf(token: string): string[] {
  instance();
  if (token.length < 5 || !terms.has(token)) return [];
  let subs = inside.get(token);
  if (!subs) {
    subs = [...terms].filter((sub) => sub.length >= 3 && sub !== token && token.includes(sub));
    inside.set(token, subs);
  }
  return subs;
}

/** True for tokens with no letter, digit or Han character (punctuation, spaces, emoji). */
function isNoise(token: string): boolean {
  return !/[\p{L}\p{N}]/u.test(token);
}

/** All jieba tokens of the text (lower-cased ASCII), punctuation and spaces dropped, stop-words kept. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const t of instance().cut(text, true)) {
    if (isNoise(t)) continue;
    out.push(t.toLowerCase());
  }
  return out;
}

/**
 * Content words of a (normalised) message: jieba tokens with the policy dictionary, lower-cased,
 * without punctuation and stop-words (knowledge/lexicon/stopwords.txt).
 */
export function segment(text: string): string[] {
  return contentWords(tokenize(text));
}

/** Drops stop-words from tokens already cut by tokenize(). */
export function contentWords(tokens: string[]): string[] {
  const stop = loadStopwords();
  return tokens.filter((t) => !stop.has(t));
}

export interface WeightedToken {
  token: string;
  weight: number;
}

let synonymIndex: { map: Map<string, string[]>; weight: number; maxKeyTokens: number } | undefined;

function synonyms(): NonNullable<typeof synonymIndex> {
  if (synonymIndex) return synonymIndex;
  const data = loadSynonyms();
  synonymIndex = { map: new Map(Object.entries(data.synonyms)), weight: data.weight, maxKeyTokens: 3 };
  return synonymIndex;
}

/**
 * Query expansion: the tokens themselves (weight 1), the policy terms their colloquial forms stand
 * for (synonyms.yaml weight, e.g. 0.8; keys may span 2–3 adjacent tokens: 老板 不给 钱, or two with
 * one word between them), and policy terms contained in a longer term (weight 0.5). Each token appears once, with its highest weight.
 */
export function expandQuery(tokens: string[]): WeightedToken[] {
  const { map, weight, maxKeyTokens } = synonyms();
  const best = new Map<string, number>();
  const put = (token: string, w: number): void => {
    if ((best.get(token) ?? 0) < w) best.set(token, w);
  };
  for (const t of tokens) put(t, 1);
  for (let i = 0; i < tokens.length; i++) {
    let joined = '';
    for (let n = 1; n <= maxKeyTokens && i + n <= tokens.length; n++) {
      joined += tokens[i + n - 1];
      for (const target of map.get(joined) ?? []) put(target, weight);
    }
    // A two-word key may have a word between its parts: 大学生 回(来) 创业, 公益岗 能 干几年.
    const skip = tokens[i + 2];
    if (skip !== undefined) for (const target of map.get(tokens[i] + skip) ?? []) put(target, weight);
  }
  for (const t of tokens) for (const sub of subtermsOf(t)) put(sub, SUBTERM_WEIGHT);
  return [...best.entries()].map(([token, w]) => ({ token, weight: w }));
}

/** The weight of a colloquial expansion (synonyms.yaml `weight`). */
export function synonymWeight(): number {
  return synonyms().weight;
}

/** Whether a word is a colloquial key of synonyms.yaml: it stands for the policy terms it expands to. */
export function isColloquial(word: string): boolean {
  return synonyms().map.has(word);
}

let patternIndex: Array<{ re: RegExp; terms: string[] }> | undefined;

/** The policy terms a question's phrasing stands for (synonyms.yaml patterns: 开个奶茶店 → 创业). */
export function patternTerms(text: string): string[] {
  patternIndex ??= loadSynonyms().patterns.map((p) => ({ re: new RegExp(p.match, 'u'), terms: p.terms }));
  return patternIndex.filter((p) => p.re.test(text)).flatMap((p) => p.terms);
}

/** Whether a word is in the policy dictionary (terms.txt or added at start-up). */
export function isPolicyTerm(word: string): boolean {
  instance();
  return terms.has(word);
}
