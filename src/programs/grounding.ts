/**
 * The grounding check: a facet may state only what its clauses state. Every number, amount,
 * percentage, period, date and phone number in a facet's answer must appear in a clause it cites
 * (numerals and units normalised: 1.5万 = 15000, 三个月 = 3个月), or be the result of one of its
 * `arithmetic` lines, whose operands must themselves be cited figures. It runs in `npm run index`
 * and in the tests, and fails them.
 */
import type { Clause, PolicyDocument } from '../knowledge/types.js';
import { NUMERAL, parseNumeral } from '../nlu/numbers.js';
import type { FacetEntry, Program } from './catalogue.js';

/** A Chinese numeral is a figure only before a unit (一般, 统一, 一次性 are words). */
const CN_UNIT = '(?:元|块|万|亿|个月|月|年|岁|%|人|名|天|日|倍|次(?!性)|学时|小时|家|户|个|周|项|批|级|成|百分点|分)';
const ARABIC_FIGURE = /\d+(?:,\d{3})*(?:\.\d+)?\s*[万亿]?/g;
const CHINESE_FIGURE = new RegExp(`[零〇一二两三四五六七八九十百千万亿]+(?=${CN_UNIT})`, 'g');
/** 百分之七十 is 70%. */
const PERCENT_WORDS = /百分之([零〇一二两三四五六七八九十百]+)/g;

/** The values of the figures a text states, each as a number (万 and 亿 applied). */
export function figuresIn(text: string): number[] {
  const s = text.replace(PERCENT_WORDS, (_m, n: string) => `${parseNumeral(n)?.value ?? n}%`);
  const values: number[] = [];
  for (const m of s.matchAll(ARABIC_FIGURE)) {
    const raw = m[0].replace(/[\s,]/g, '');
    const unit = raw.at(-1);
    const base = Number(raw.replace(/[万亿]$/, ''));
    if (!Number.isFinite(base)) continue;
    values.push(unit === '万' ? base * 1e4 : unit === '亿' ? base * 1e8 : base);
  }
  for (const m of s.replace(/\d+/g, ' ').matchAll(CHINESE_FIGURE)) {
    if (!new RegExp(`^${NUMERAL}$`).test(m[0])) continue;
    const v = parseNumeral(m[0]);
    if (v) values.push(v.value);
  }
  return values.map((v) => Math.round(v * 1e6) / 1e6);
}

/** The same figure in the texts' other form: 20万元 is written 200000 in one place and 20 (万) in another. */
function variants(v: number): number[] {
  return [v, v * 1e4, v / 1e4].map((x) => Math.round(x * 1e6) / 1e6);
}

export interface ClauseLookup {
  /** The clauses a reference names: one, or several where a text numbers two provisions alike. */
  clauses(ref: string): Clause[];
  document(id: string): PolicyDocument | undefined;
}

/** Resolves `<document id>#<label>` against the knowledge base (label as cited, or the path joined). */
export function clauseLookup(documents: PolicyDocument[]): ClauseLookup {
  const byRef = new Map<string, Clause[]>();
  const docs = new Map(documents.map((d) => [d.meta.id, d]));
  const put = (ref: string, c: Clause) => {
    const list = byRef.get(ref) ?? [];
    if (!list.includes(c)) list.push(c);
    byRef.set(ref, list);
  };
  for (const d of documents) {
    for (const c of d.clauses) {
      put(`${d.meta.id}#${c.label.replace(/\s+/g, "")}`, c);
      put(`${d.meta.id}#${c.path.join('')}`, c);
    }
  }
  return { clauses: (ref) => byRef.get(ref.replace(/\s+/g, '')) ?? [], document: (id) => docs.get(id) };
}

/** The text a clause states for grounding: its own text with its sub-clauses' (a heading's figures are below it). */
export function clauseScope(doc: PolicyDocument, clause: Clause): string {
  const prefix = clause.path.join('/');
  return doc.clauses
    .filter((c) => c.id === clause.id || (c.path.length > clause.path.length && c.path.slice(0, clause.path.length).join('/') === prefix))
    .map((c) => `${c.heading ?? ''}${c.text}`)
    .join('\n');
}

export interface GroundingProblem {
  program: string;
  facet: string;
  problem: string;
}

/** "20万元×2=40万元", "3000×4%=120": the operands and the stated result. */
function parseArithmetic(line: string): { operands: number[]; ops: string[]; result: number } | null {
  const [left, right] = line.split('=');
  if (!left || !right) return null;
  const ops = [...left.matchAll(/[×x*+\-÷/]/g)].map((m) => m[0]);
  const operands = left.split(/[×x*+\-÷/]/).map((t) => {
    const f = figuresIn(t);
    return f.length === 1 ? f[0]! : NaN;
  });
  const result = figuresIn(right);
  if (operands.some(Number.isNaN) || result.length !== 1 || ops.length !== operands.length - 1) return null;
  return { operands, ops, result: result[0]! };
}

function evaluate(operands: number[], ops: string[], percentOf: (i: number) => boolean): number {
  let acc = percentOf(0) ? operands[0]! / 100 : operands[0]!;
  for (let i = 0; i < ops.length; i++) {
    const b = percentOf(i + 1) ? operands[i + 1]! / 100 : operands[i + 1]!;
    const op = ops[i]!;
    acc = op === '+' ? acc + b : op === '-' ? acc - b : op === '÷' || op === '/' ? acc / b : acc * b;
  }
  return Math.round(acc * 100) / 100;
}

export function checkFacet(program: Program, facet: string, entry: FacetEntry, kb: ClauseLookup): GroundingProblem[] {
  const problems: GroundingProblem[] = [];
  const say = (problem: string) => problems.push({ program: program.id, facet, problem });
  const cited: number[] = [];
  for (const ref of entry.cite) {
    const clauses = kb.clauses(ref);
    if (clauses.length === 0) say(`cites ${ref}, which is no clause of the knowledge base`);
    for (const clause of clauses) {
      const doc = kb.document(clause.docId)!;
      // A clause's own figures (its sub-clauses' too) and its end date (a facet may name its period).
      cited.push(...figuresIn(clauseScope(doc, clause)), ...figuresIn(clause.endText ?? ''), ...figuresIn(clause.end ?? ''));
    }
  }
  const allowed = new Set(cited.flatMap(variants));
  for (const line of entry.arithmetic) {
    const a = parseArithmetic(line);
    if (!a) {
      say(`arithmetic "${line}" is not of the form "a × b = c"`);
      continue;
    }
    const parts = line.split('=')[0]!.split(/[×x*+\-÷/]/);
    const value = evaluate(a.operands, a.ops, (i) => /[%％]/.test(parts[i] ?? ''));
    if (Math.abs(value - a.result) > 0.005 && Math.abs(value - a.result / 1e4) > 0.005 && Math.abs(value / 1e4 - a.result) > 0.005) {
      say(`arithmetic "${line}" does not hold (${value})`);
    }
    for (const [i, o] of a.operands.entries()) {
      // A count the arithmetic applies the rule to (2人, 3年) is an input, not a claim of the texts.
      const isCount = /^\s*\d{1,2}\s*(人|名|年|个月|次|户)\s*$/.test(parts[i] ?? '');
      if (!isCount && !allowed.has(o)) say(`arithmetic operand ${o} in "${line}" is not in the cited clauses`);
    }
    allowed.add(a.result);
    for (const v of variants(a.result)) allowed.add(v);
  }
  for (const v of figuresIn(entry.answer)) {
    if (!allowed.has(v)) say(`figure ${v} is not in the cited clauses (${entry.cite.join(', ')})`);
  }
  return problems;
}

/** Every facet of every programme checked against the knowledge base; an empty list means grounded. */
export function checkCatalogue(programs: Program[], documents: PolicyDocument[]): GroundingProblem[] {
  const kb = clauseLookup(documents);
  const problems: GroundingProblem[] = [];
  for (const p of programs) {
    for (const [facet, entry] of Object.entries(p.facets)) {
      if (entry) problems.push(...checkFacet(p, facet, entry, kb));
    }
    for (const ref of Object.values(p.facets).flatMap((e) => e?.cite ?? [])) {
      const c = kb.clauses(ref)[0];
      const doc = c && kb.document(c.docId);
      // Region variants are separate facts: a Pingdingshan entry never rests on a Henan clause.
      if (doc && doc.meta.region !== p.region) {
        problems.push({ program: p.id, facet: '-', problem: `region ${p.region} cites ${ref} of ${doc.meta.region}` });
      }
    }
  }
  return problems;
}
