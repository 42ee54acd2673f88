/**
 * The searchable form of the knowledge base. Sentences are the unit of search (a policy clause can
 * hold a whole letter or a phone table, and a question targets one fact in it); each sentence is
 * indexed with BM25 over jieba words and character bigrams together with its clause's heading, its
 * parent's heading and its document's title. Sentence scores are gathered per clause — the unit a
 * reply quotes and cites — and fused with a whole-clause BM25, weighted by how much of the question
 * the clause's document speaks to, the region asked about and the kind of question.
 */
import type { Region } from '../core/types.js';
import { segment, subtermsOf } from '../nlu/segment.js';
import { Bm25Index } from './bm25.js';
import type { Clause, DocumentMeta, PolicyDocument } from './types.js';

export interface IndexedClause {
  doc: DocumentMeta;
  clause: Clause;
  /** Heading of the enclosing clause, for context ("三、支持各类人才返乡创业"). */
  parentHeading: string | null;
  /**
   * What is searched and quoted: the clause's own text, plus its sub-clauses' when the clause itself
   * is little more than a heading ("二、奖补标准" → its （一）（二）) or a lead-in to a list.
   */
  passage: string;
  sentences: string[];
  /** True when the passage borrows its sub-clauses' text. */
  aggregated: boolean;
  /** Every term of the passage, its headings and its document's title. */
  terms: Set<string>;
}

export interface QueryTerm {
  term: string;
  weight: number;
}

export interface Hit extends IndexedClause {
  score: number;
  /** Question terms this clause contains. */
  matched: string[];
  /** Score of each sentence of the passage (same order as `sentences`). */
  sentenceScores: Float64Array;
}

/** Fixed features of a text (what kind of fact it states) as a bit mask; the index remembers each text's. */
export interface TextFeatures {
  mask(text: string): number;
}

/** Score multipliers given a clause's or a sentence's feature mask. */
export interface SearchBoost {
  features: TextFeatures;
  clause: (mask: number) => number;
  sentence: (mask: number) => number;
}

/** A clause whose own text (marker and heading aside) is shorter than this borrows its children's. */
const HEADING_ONLY_CHARS = 40;
const PASSAGE_MAX_CHARS = 1200;
/** A clause's sentence score: its best sentence, plus a share of the next best ones. */
const OTHER_SENTENCES_SHARE = 0.3;
/** Share of the sentence view in the fused score (the rest is the whole-clause view). */
const SENTENCE_SHARE = 0.5;
/** Floor of the document-coverage factor: a document that covers none of the question still counts this much. */
const DOC_COVERAGE_FLOOR = 0.5;
/** A bare heading with its sub-clauses' text competes with those sub-clauses; prefer the precise one. */
const AGGREGATED_FACTOR = 0.85;
/**
 * The text before a document's first clause (issuing header, "现将…印发给你们", the title again)
 * matches every word of the title and states no rule: it answers only when nothing else does.
 */
const PREAMBLE_FACTOR = 0.6;

/** How many clauses, best by text score, get the finer factors (question type, document coverage). */
const SECOND_STAGE = 80;
/** Query terms rarer than this (idf) are not scored. */
const MIN_IDF = 1.5;

const CJK_RUN = /[\u4e00-\u9fff]+/g;
const SENTENCE_END = /(?<=[。；！？])|\n+/;

export function splitSentences(text: string): string[] {
  return text
    .split(SENTENCE_END)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Character bigrams of the Chinese runs: they catch words jieba splits differently or typos around them. */
export function bigrams(text: string): string[] {
  const out: string[] = [];
  for (const run of text.match(CJK_RUN) ?? []) {
    for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
  }
  return out;
}

/**
 * Words, the policy terms inside longer ones (a text on 乡村公益性岗位 is about 公益性岗位 too), and
 * bigrams (prefixed so they never collide with a two-character word).
 */
export function analyze(text: string): string[] {
  const words = segment(text);
  return [...words, ...words.flatMap(subtermsOf), ...bigrams(text).map((b) => `#${b}`)];
}

export class ClauseIndex {
  readonly entries: IndexedClause[] = [];
  /** Each sentence ("unit") of the sentence index: its clause and its place in the clause. */
  private readonly unitEntry: number[] = [];
  private readonly unitSentence: number[] = [];
  /** Unit number of each clause's first sentence (its sentences are numbered consecutively). */
  private readonly firstUnit: number[] = [];
  private readonly sentenceBm25 = new Bm25Index();
  /** The same clauses indexed whole: fused with the sentence scores, it favours clauses on the subject. */
  private readonly clauseBm25 = new Bm25Index();
  /** For each term, the documents (by position in `documents`) that contain it: the document-coverage factor. */
  private readonly termDocs = new Map<string, number[]>();
  /** Position in `documents` of each clause's document. */
  private readonly entryDoc: number[] = [];
  /** Feature masks of every sentence (by unit) and passage (by entry), worked out on first use; -1: not yet. */
  private readonly masks = new WeakMap<TextFeatures, { unit: Int32Array; entry: Int32Array }>();

  constructor(readonly documents: PolicyDocument[]) {
    documents.forEach((doc, docNo) => {
      const byPath = new Map(doc.clauses.map((c) => [c.path.join('/'), c]));
      const titleTerms = analyze([doc.meta.title, ...doc.meta.aliases].join(' '));
      const docTerms = new Set(titleTerms);
      for (const clause of doc.clauses) {
        const parent = clause.path.length > 1 ? byPath.get(clause.path.slice(0, -1).join('/')) : undefined;
        const parentHeading = parent?.heading ?? null;
        const passage = passageOf(clause, doc);
        const sentences = splitSentences(passage);
        const headingTerms = analyze(clause.heading ?? '');
        const parentTerms = analyze(parentHeading ?? '');
        const sentenceTerms = sentences.map(analyze);
        const terms = new Set([...sentenceTerms.flat(), ...headingTerms, ...parentTerms, ...titleTerms]);
        for (const t of terms) docTerms.add(t);
        const entry: IndexedClause = { doc: doc.meta, clause, parentHeading, passage, sentences, aggregated: passage !== clause.text, terms };
        const entryId = this.entries.push(entry) - 1;
        this.entryDoc[entryId] = docNo;
        this.clauseBm25.add([
          { terms: sentenceTerms.flat(), weight: 1 },
          { terms: headingTerms, weight: 1.5 },
          { terms: parentTerms, weight: 0.5 },
          { terms: titleTerms, weight: 0.3 },
        ]);
        const context = [
          { terms: headingTerms, weight: 0.6 },
          { terms: parentTerms, weight: 0.3 },
          { terms: titleTerms, weight: 0.15 },
        ];
        this.firstUnit[entryId] = this.sentenceBm25.size;
        sentenceTerms.forEach((st, i) => {
          const unitId = this.sentenceBm25.add([{ terms: st, weight: 1 }, ...context]);
          this.unitEntry[unitId] = entryId;
          this.unitSentence[unitId] = i;
        });
      }
      for (const t of docTerms) {
        const list = this.termDocs.get(t);
        if (list) list.push(docNo);
        else this.termDocs.set(t, [docNo]);
      }
    });
    // At start-up, not on the first person's message.
    this.sentenceBm25.prepare();
    this.clauseBm25.prepare();
  }

  idf(term: string): number {
    return this.sentenceBm25.idf(term);
  }

  /** Whether any document has the term. */
  has(term: string): boolean {
    return this.termDocs.has(term);
  }

  /** The document a hit came from. */
  document(id: string): PolicyDocument {
    const doc = this.documents.find((d) => d.meta.id === id);
    if (!doc) throw new Error(`unknown document ${id}`);
    return doc;
  }

  private masksOf(features: TextFeatures): { unit: Int32Array; entry: Int32Array } {
    let m = this.masks.get(features);
    if (!m) {
      m = { unit: new Int32Array(this.unitEntry.length).fill(-1), entry: new Int32Array(this.entries.length).fill(-1) };
      this.masks.set(features, m);
    }
    return m;
  }

  /** Scratch buffers of search(), sized once the index is built (search is synchronous). */
  private scratch: {
    unitScore: Float64Array;
    unitTouched: Int32Array;
    clauseScore: Float64Array;
    clauseTouched: Int32Array;
    top: Float64Array;
    fused: Float64Array;
    keys: Float64Array;
    seen: Uint8Array;
    candidates: Int32Array;
    docCoverage: Float64Array;
    termWeight: number[];
    terms: string[];
    weights: Float64Array;
  } | null = null;

  private buffers(): NonNullable<ClauseIndex['scratch']> {
    if (!this.scratch) {
      const units = this.unitEntry.length;
      const entries = this.entries.length;
      this.scratch = {
        unitScore: new Float64Array(units),
        unitTouched: new Int32Array(units),
        clauseScore: new Float64Array(entries),
        clauseTouched: new Int32Array(entries),
        top: new Float64Array(entries * 3),
        fused: new Float64Array(entries),
        keys: new Float64Array(entries),
        seen: new Uint8Array(entries),
        docCoverage: new Float64Array(this.documents.length),
        termWeight: [],
        terms: [],
        weights: new Float64Array(64),
        candidates: new Int32Array(entries),
      };
    }
    return this.scratch;
  }

  search(fullQuery: QueryTerm[], opts: { region: Region | null; limit?: number; boost?: SearchBoost }): Hit[] {
    // Terms found nearly everywhere ("#创业") decide nothing and cost the most: leave them out.
    const b = this.buffers();
    // The query as two flat arrays (terms, weights): the loops below then see one shape of data
    // whatever the caller built (objects with integer or fractional weights have different V8 maps,
    // and a new map met in an optimised loop throws its machine code away).
    let n = 0;
    for (const q of fullQuery) {
      const idf = this.idf(q.term);
      if (idf < MIN_IDF) continue;
      if (n === b.weights.length) {
        const grown = new Float64Array(n * 2);
        grown.set(b.weights);
        b.weights = grown;
      }
      b.terms[n] = q.term;
      b.weights[n] = q.weight;
      b.termWeight[n] = q.weight * idf;
      n++;
    }
    b.terms.length = n;
    try {
      return this.searchWith(b.terms, b.weights, opts, b);
    } finally {
      // Leave the scratch buffers all zero for the next query.
      b.unitScore.fill(0);
      b.clauseScore.fill(0);
      b.top.fill(0);
      b.fused.fill(0);
      b.seen.fill(0);
      b.docCoverage.fill(0);
    }
  }

  private searchWith(
    terms: string[],
    weights: Float64Array,
    opts: { region: Region | null; limit?: number; boost?: SearchBoost },
    b: NonNullable<ClauseIndex['scratch']>,
  ): Hit[] {
    // Sentence view: per clause, its three best sentences (the full per-sentence scores are only
    // read back for the clauses that end up quoted).
    const nUnits = this.sentenceBm25.accumulate(terms, weights, b.unitScore, b.unitTouched);
    const boost = opts.boost;
    const masks = boost ? this.masksOf(boost.features) : null;
    let nCandidates = 0;
    for (let k = 0; k < nUnits; k++) {
      const unitId = b.unitTouched[k]!;
      const e = this.unitEntry[unitId]!;
      let v = b.unitScore[unitId]!;
      if (boost && masks) {
        let mask = masks.unit[unitId]!;
        if (mask < 0) mask = masks.unit[unitId] = boost.features.mask(this.entries[e]!.sentences[this.unitSentence[unitId]!]!);
        if (mask !== 0) v *= boost.sentence(mask);
      }
      b.unitScore[unitId] = v;
      if (b.seen[e] === 0) {
        b.seen[e] = 1;
        b.candidates[nCandidates++] = e;
      }
      const o = e * 3;
      if (v > b.top[o]!) (b.top[o + 2] = b.top[o + 1]!), (b.top[o + 1] = b.top[o]!), (b.top[o] = v);
      else if (v > b.top[o + 1]!) (b.top[o + 2] = b.top[o + 1]!), (b.top[o + 1] = v);
      else if (v > b.top[o + 2]!) b.top[o + 2] = v;
    }
    let maxSentence = 1e-9;
    for (let k = 0; k < nCandidates; k++) {
      const o = b.candidates[k]! * 3;
      const base = b.top[o]! + OTHER_SENTENCES_SHARE * (b.top[o + 1]! + b.top[o + 2]!);
      b.top[o] = base; // the slot now holds the clause's sentence score
      if (base > maxSentence) maxSentence = base;
    }
    // Clause view.
    const nClauses = this.clauseBm25.accumulate(terms, weights, b.clauseScore, b.clauseTouched);
    let maxClause = 1e-9;
    for (let k = 0; k < nClauses; k++) {
      const e = b.clauseTouched[k]!;
      if (b.clauseScore[e]! > maxClause) maxClause = b.clauseScore[e]!;
      if (b.seen[e] === 0) {
        b.seen[e] = 1;
        b.candidates[nCandidates++] = e;
      }
    }

    // How much of the question (idf-weighted, as search() worked out) each document speaks to.
    const termWeight = b.termWeight;
    let totalWeight = 0;
    for (let k = 0; k < terms.length; k++) totalWeight += termWeight[k]!;
    totalWeight ||= 1;
    const docCoverage = b.docCoverage;
    for (let k = 0; k < terms.length; k++) {
      const docs = this.termDocs.get(terms[k]!);
      if (docs) for (const d of docs) docCoverage[d] = docCoverage[d]! + termWeight[k]! / totalWeight;
    }

    // Stage one: the fused text score of every candidate, cheaply. Stage two (below): the factors
    // that need a look at the clause (question type, document coverage) for the best ones only.
    for (let k = 0; k < nCandidates; k++) {
      const e = b.candidates[k]!;
      const entry = this.entries[e]!;
      const fused = SENTENCE_SHARE * b.top[e * 3]! + (1 - SENTENCE_SHARE) * (b.clauseScore[e]! / maxClause) * maxSentence;
      b.fused[e] =
        fused *
        regionFactor(entry.doc.region, opts.region) *
        (entry.aggregated ? AGGREGATED_FACTOR : 1) *
        (entry.clause.path.length === 0 ? PREAMBLE_FACTOR : 1);
    }
    // The second stage's cut: the SECOND_STAGE-th best fused score (a native numeric sort, no comparator).
    let cut = -Infinity;
    if (nCandidates > SECOND_STAGE) {
      for (let k = 0; k < nCandidates; k++) b.keys[k] = b.fused[b.candidates[k]!]!;
      cut = b.keys.subarray(0, nCandidates).sort()[nCandidates - SECOND_STAGE]!;
    }
    const ranked: Array<{ id: number; score: number }> = [];
    for (let k = 0; k < nCandidates; k++) {
      const id = b.candidates[k]!;
      if (b.fused[id]! < cut) continue;
      const entry = this.entries[id]!;
      const coverage = docCoverage[this.entryDoc[id]!]!;
      let factor = 1;
      if (boost && masks) {
        let mask = masks.entry[id]!;
        if (mask < 0) mask = masks.entry[id] = boost.features.mask(entry.passage);
        if (mask !== 0) factor = boost.clause(mask);
      }
      ranked.push({ id, score: b.fused[id]! * factor * (DOC_COVERAGE_FLOOR + (1 - DOC_COVERAGE_FLOOR) * coverage) });
    }
    // The `limit` best, in order: a native numeric sort finds the cut, only those above it are sorted.
    const limit = opts.limit ?? 10;
    let floor = -Infinity;
    if (ranked.length > limit) {
      for (let k = 0; k < ranked.length; k++) b.keys[k] = ranked[k]!.score;
      floor = b.keys.subarray(0, ranked.length).sort()[ranked.length - limit]!;
    }
    const best = ranked.filter((r) => r.score >= floor).sort((x, y) => y.score - x.score).slice(0, limit);
    // Hits are built whole, one literal shape (no spread, no later mutation): V8 keeps this code optimised.
    const top: Hit[] = [];
    for (const { id, score } of best) {
      const entry = this.entries[id]!;
      const first = this.firstUnit[id]!;
      const sentenceScores = b.unitScore.slice(first, first + entry.sentences.length);
      const matched: string[] = [];
      for (const term of terms) if (entry.terms.has(term)) matched.push(term);
      top.push({
        doc: entry.doc,
        clause: entry.clause,
        parentHeading: entry.parentHeading,
        passage: entry.passage,
        sentences: entry.sentences,
        aggregated: entry.aggregated,
        terms: entry.terms,
        score,
        matched,
        sentenceScores,
      });
    }
    return top;
  }
}

function passageOf(clause: Clause, doc: PolicyDocument): string {
  const own = clause.text.replace(clause.path.at(-1) ?? '', '').replace(clause.heading ?? '', '');
  // A bare heading, or a lead-in to a list ("…并提供以下材料："), is answered by its sub-clauses.
  const leadIn = /[：:]\s*$/.test(clause.text);
  if (clause.path.length === 0 || (!leadIn && own.replace(/[\s。：:]/g, '').length >= HEADING_ONLY_CHARS)) return clause.text;
  const prefix = clause.path.join('/') + '/';
  const children = doc.clauses.filter((c) => c.path.join('/').startsWith(prefix));
  let passage = clause.text;
  for (const child of children) {
    if (passage.length + child.text.length > PASSAGE_MAX_CHARS) break;
    passage += `\n${child.text}`;
  }
  return passage;
}

/** True when one clause contains the other (quoting both would repeat it). */
export function nested(a: Clause, b: Clause): boolean {
  if (a.docId !== b.docId) return false;
  const pa = a.path.join('/');
  const pb = b.path.join('/');
  return pa === pb || pa.startsWith(`${pb}/`) || pb.startsWith(`${pa}/`);
}

/**
 * Jining's rules must not answer a Pingdingshan question and vice versa. Without a region the
 * Pingdingshan/Henan rule is the default (the bureau deploying this is Pingdingshan's).
 */
function regionFactor(docRegion: Region, asked: Region | null): number {
  if (asked === '济宁市') return docRegion === '济宁市' ? 1.6 : docRegion === '全国' ? 0.9 : 0.45;
  if (docRegion === '济宁市') return 0.35;
  if (asked === '平顶山市' && docRegion === '平顶山市') return 1.15;
  return 1;
}
