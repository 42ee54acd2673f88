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
import { Bm25Index, PackedBm25, type PackedPostings } from './bm25.js';
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
  terms: TermSet;
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

/**
 * The terms of one clause (its passage, headings and document title): sorted term numbers in an array
 * the whole index shares, not a Set per clause. Reads like a read-only set of strings.
 */
export class TermSet implements Iterable<string> {
  constructor(
    private readonly table: TermTable,
    private readonly from: number,
    private readonly to: number,
  ) {}

  get size(): number {
    return this.to - this.from;
  }

  has(term: string): boolean {
    const id = this.table.dictionary.get(term);
    return id !== undefined && this.hasId(id);
  }

  /** By term number (binary search in the clause's sorted numbers). */
  hasId(id: number): boolean {
    const ids = this.table.entryTerms.ids;
    let lo = this.from;
    let hi = this.to - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = ids[mid]!;
      if (v === id) return true;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  *[Symbol.iterator](): Iterator<string> {
    const { ids } = this.table.entryTerms;
    for (let i = this.from; i < this.to; i++) yield this.table.terms[ids[i]!]!;
  }
}

/** Compressed sparse rows: row r's values are values[offsets[r] .. offsets[r + 1]). */
export interface Rows {
  offsets: Uint32Array;
  values: Int32Array;
}

/**
 * Everything an index holds beyond the documents themselves, in a few flat arrays: what the snapshot
 * saves (src/knowledge/index-snapshot.ts) and loads back without analysing a single text.
 */
export interface PackedClauseIndex {
  /** Term number → term; every term of every document. */
  terms: string[];
  /** Sentence index postings (documents are sentence numbers). */
  sentence: PackedPostings;
  /** Whole-clause index postings (documents are clause numbers). */
  clause: PackedPostings;
  /** For each term number, the documents (positions in `documents`) that have it. */
  termDocs: Rows;
  /** For each clause, its sorted term numbers. */
  entryTerms: Rows;
}

interface TermTable {
  dictionary: Map<string, number>;
  terms: string[];
  entryTerms: { offsets: Uint32Array; ids: Int32Array };
}

/** A clause placed in the index: what is searched and quoted, before any analysis. */
interface Placed {
  docNo: number;
  clause: Clause;
  parentHeading: string | null;
  passage: string;
  sentences: string[];
}

function place(documents: PolicyDocument[]): Placed[] {
  const out: Placed[] = [];
  documents.forEach((doc, docNo) => {
    const byPath = new Map(doc.clauses.map((c) => [c.path.join('/'), c]));
    for (const clause of doc.clauses) {
      const parent = clause.path.length > 1 ? byPath.get(clause.path.slice(0, -1).join('/')) : undefined;
      const passage = passageOf(clause, doc);
      out.push({ docNo, clause, parentHeading: parent?.heading ?? null, passage, sentences: splitSentences(passage) });
    }
  });
  return out;
}

/** Analyses every text (jieba) and builds the postings: the costly part, done by `npm run index`. */
function buildPacked(documents: PolicyDocument[], placed: Placed[]): PackedClauseIndex {
  const dictionary = new Map<string, number>();
  const terms: string[] = [];
  const idOf = (t: string): number => {
    let id = dictionary.get(t);
    if (id === undefined) {
      id = terms.push(t) - 1;
      dictionary.set(t, id);
    }
    return id;
  };
  const sentenceBm25 = new Bm25Index();
  const clauseBm25 = new Bm25Index();
  const termDocLists: number[][] = [];
  const entryIds: number[] = [];
  const entryOffsets = new Uint32Array(placed.length + 1);
  let p = 0;
  documents.forEach((doc, docNo) => {
    const titleTerms = analyze([doc.meta.title, ...doc.meta.aliases].join(' '));
    const docTerms = new Set(titleTerms);
    for (; p < placed.length && placed[p]!.docNo === docNo; p++) {
      const { clause, parentHeading, sentences } = placed[p]!;
      const headingTerms = analyze(clause.heading ?? '');
      const parentTerms = analyze(parentHeading ?? '');
      const sentenceTerms = sentences.map(analyze);
      const clauseTerms = new Set([...sentenceTerms.flat(), ...headingTerms, ...parentTerms, ...titleTerms]);
      for (const t of clauseTerms) docTerms.add(t);
      const ids = Int32Array.from(clauseTerms, idOf).sort();
      for (const id of ids) entryIds.push(id);
      entryOffsets[p + 1] = entryIds.length;
      clauseBm25.add([
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
      for (const st of sentenceTerms) sentenceBm25.add([{ terms: st, weight: 1 }, ...context]);
    }
    for (const t of docTerms) (termDocLists[idOf(t)] ??= []).push(docNo);
  });
  const termOffsets = new Uint32Array(terms.length + 1);
  for (let t = 0; t < terms.length; t++) termOffsets[t + 1] = termOffsets[t]! + (termDocLists[t]?.length ?? 0);
  const termDocValues = new Int32Array(termOffsets[terms.length]!);
  for (let t = 0; t < terms.length; t++) if (termDocLists[t]) termDocValues.set(termDocLists[t]!, termOffsets[t]!);
  return {
    terms,
    sentence: sentenceBm25.pack(dictionary),
    clause: clauseBm25.pack(dictionary),
    termDocs: { offsets: termOffsets, values: termDocValues },
    entryTerms: { offsets: entryOffsets, values: Int32Array.from(entryIds) },
  };
}

export class ClauseIndex {
  readonly entries: IndexedClause[] = [];
  /** Term → term number, for every term of every document. */
  private readonly dictionary: Map<string, number>;
  private readonly packed: PackedClauseIndex;
  /** Each sentence ("unit") of the sentence index: its clause and its place in the clause. */
  private readonly unitEntry: Int32Array;
  private readonly unitSentence: Int32Array;
  /** Unit number of each clause's first sentence (its sentences are numbered consecutively). */
  private readonly firstUnit: Int32Array;
  private readonly sentenceBm25: PackedBm25;
  /** The same clauses indexed whole: fused with the sentence scores, it favours clauses on the subject. */
  private readonly clauseBm25: PackedBm25;
  /** For each term number, the documents (by position in `documents`) that contain it: the document-coverage factor. */
  private readonly termDocs: Rows;
  /** Position in `documents` of each clause's document. */
  private readonly entryDoc: Int32Array;
  /** Feature masks of every sentence (by unit) and passage (by entry), worked out on first use; -1: not yet. */
  private readonly masks = new WeakMap<TextFeatures, { unit: Int32Array; entry: Int32Array }>();

  /**
   * Builds the index (analysing every text), or takes a packed one built earlier from the same
   * documents (a snapshot): then nothing is analysed.
   */
  constructor(
    readonly documents: PolicyDocument[],
    packed?: PackedClauseIndex,
  ) {
    const placed = place(documents);
    packed ??= buildPacked(documents, placed);
    let units = 0;
    for (const p of placed) units += p.sentences.length;
    if (packed.clause.size !== placed.length || packed.sentence.size !== units || packed.entryTerms.offsets.length !== placed.length + 1) {
      throw new Error('the packed index does not match the documents');
    }
    this.packed = packed;
    this.dictionary = new Map(packed.terms.map((t, i) => [t, i]));
    const table: TermTable = { dictionary: this.dictionary, terms: packed.terms, entryTerms: { offsets: packed.entryTerms.offsets, ids: packed.entryTerms.values } };
    this.sentenceBm25 = new PackedBm25(packed.sentence);
    this.clauseBm25 = new PackedBm25(packed.clause);
    this.termDocs = packed.termDocs;
    this.unitEntry = new Int32Array(units);
    this.unitSentence = new Int32Array(units);
    this.firstUnit = new Int32Array(placed.length);
    this.entryDoc = new Int32Array(placed.length);
    let unit = 0;
    placed.forEach((p, entryId) => {
      const { offsets } = packed.entryTerms;
      this.entries.push({
        doc: documents[p.docNo]!.meta,
        clause: p.clause,
        parentHeading: p.parentHeading,
        passage: p.passage,
        sentences: p.sentences,
        aggregated: p.passage !== p.clause.text,
        terms: new TermSet(table, offsets[entryId]!, offsets[entryId + 1]!),
      });
      this.entryDoc[entryId] = p.docNo;
      this.firstUnit[entryId] = unit;
      for (let i = 0; i < p.sentences.length; i++, unit++) {
        this.unitEntry[unit] = entryId;
        this.unitSentence[unit] = i;
      }
    });
  }

  /** The packed form, for a snapshot. */
  toPacked(): PackedClauseIndex {
    return this.packed;
  }

  idf(term: string): number {
    return this.sentenceBm25.idf(this.dictionary.get(term) ?? -1);
  }

  /** Whether any document has the term. */
  has(term: string): boolean {
    return this.dictionary.has(term);
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
    /** Term number of each query term (-1: no document has it), parallel to terms. */
    ids: Int32Array;
    weights: Float64Array;
    /** How many units, clauses and candidates the current query touched (-1: not known yet). */
    touched: { units: number; clauses: number; candidates: number };
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
        ids: new Int32Array(64),
        candidates: new Int32Array(entries),
        touched: { units: -1, clauses: -1, candidates: -1 },
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
      const id = this.dictionary.get(q.term) ?? -1;
      const idf = this.sentenceBm25.idf(id);
      if (idf < MIN_IDF) continue;
      if (n === b.weights.length) {
        const grown = new Float64Array(n * 2);
        grown.set(b.weights);
        b.weights = grown;
        const grownIds = new Int32Array(n * 2);
        grownIds.set(b.ids);
        b.ids = grownIds;
      }
      b.ids[n] = id;
      b.terms[n] = q.term;
      b.weights[n] = q.weight;
      b.termWeight[n] = q.weight * idf;
      n++;
    }
    b.terms.length = n;
    const touched = b.touched;
    touched.units = touched.clauses = touched.candidates = -1;
    try {
      return this.searchWith(b.terms, b.weights, opts, b);
    } finally {
      // Leave the scratch buffers all zero for the next query: only the entries it touched (a large
      // library has a hundred thousand sentences), or all of them if it stopped before counting.
      if (touched.units < 0 || touched.clauses < 0 || touched.candidates < 0) {
        b.unitScore.fill(0);
        b.clauseScore.fill(0);
        b.top.fill(0);
        b.fused.fill(0);
        b.seen.fill(0);
      } else {
        for (let k = 0; k < touched.units; k++) b.unitScore[b.unitTouched[k]!] = 0;
        for (let k = 0; k < touched.clauses; k++) b.clauseScore[b.clauseTouched[k]!] = 0;
        for (let k = 0; k < touched.candidates; k++) {
          const e = b.candidates[k]!;
          b.top[e * 3] = b.top[e * 3 + 1] = b.top[e * 3 + 2] = 0;
          b.fused[e] = 0;
          b.seen[e] = 0;
        }
      }
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
    const ids = b.ids;
    const nUnits = this.sentenceBm25.accumulate(ids, terms.length, weights, b.unitScore, b.unitTouched);
    b.touched.units = nUnits;
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
    const nClauses = this.clauseBm25.accumulate(ids, terms.length, weights, b.clauseScore, b.clauseTouched);
    b.touched.clauses = nClauses;
    let maxClause = 1e-9;
    for (let k = 0; k < nClauses; k++) {
      const e = b.clauseTouched[k]!;
      if (b.clauseScore[e]! > maxClause) maxClause = b.clauseScore[e]!;
      if (b.seen[e] === 0) {
        b.seen[e] = 1;
        b.candidates[nCandidates++] = e;
      }
    }
    b.touched.candidates = nCandidates;

    // How much of the question (idf-weighted, as search() worked out) each document speaks to.
    const termWeight = b.termWeight;
    let totalWeight = 0;
    for (let k = 0; k < terms.length; k++) totalWeight += termWeight[k]!;
    totalWeight ||= 1;
    const docCoverage = b.docCoverage;
    const { offsets: docOffsets, values: docsOfTerm } = this.termDocs;
    for (let k = 0; k < terms.length; k++) {
      const id = ids[k]!;
      if (id < 0) continue;
      for (let i = docOffsets[id]!, end = docOffsets[id + 1]!; i < end; i++) {
        const d = docsOfTerm[i]!;
        docCoverage[d] = docCoverage[d]! + termWeight[k]! / totalWeight;
      }
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
    // The second stage's cut: the SECOND_STAGE-th best fused score (a selection, not a sort: the
    // same value a sort puts at that place, in linear time for the thousands of candidates of a large library).
    let cut = -Infinity;
    if (nCandidates > SECOND_STAGE) {
      for (let k = 0; k < nCandidates; k++) b.keys[k] = b.fused[b.candidates[k]!]!;
      cut = kthSmallest(b.keys, nCandidates, nCandidates - SECOND_STAGE);
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
      for (let k = 0; k < terms.length; k++) if (ids[k]! >= 0 && entry.terms.hasId(ids[k]!)) matched.push(terms[k]!);
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

/**
 * The value at position k of keys[0, n) were they sorted ascending (Hoare's selection with a median-of-
 * three pivot); reorders keys[0, n).
 */
export function kthSmallest(keys: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three as the pivot.
    let a = keys[lo]!;
    let m = keys[mid]!;
    let z = keys[hi]!;
    if (m < a) [a, m] = [m, a];
    if (z < m) {
      [m, z] = [z, m];
      if (m < a) [a, m] = [m, a];
    }
    const pivot = m;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (keys[i]! < pivot) i++;
      while (keys[j]! > pivot) j--;
      if (i <= j) {
        const t = keys[i]!;
        keys[i] = keys[j]!;
        keys[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return keys[k]!;
  }
  return keys[k]!;
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
