/**
 * The searchable form of the knowledge base. Sentences are the unit of search (a policy clause can
 * hold a whole letter or a phone table, and a question targets one fact in it); each sentence is
 * indexed with BM25 over jieba words and character bigrams together with its clause's heading, its
 * parent's heading and its document's title. Sentence scores are then gathered per clause, which is
 * the unit a reply quotes and cites.
 */
import type { Region } from '../core/types.js';
import { segment } from '../nlu/segment.js';
import { Bm25Index } from './bm25.js';
import type { Clause, DocumentMeta, PolicyDocument } from './types.js';

export interface IndexedClause {
  doc: DocumentMeta;
  clause: Clause;
  /** Heading of the enclosing clause, for context ("三、支持各类人才返乡创业"). */
  parentHeading: string | null;
  /**
   * What is searched and quoted: the clause's own text, plus its sub-clauses' when the clause itself
   * is little more than a heading ("二、奖补标准" → its （一）（二）).
   */
  passage: string;
  sentences: string[];
  /** True when the passage borrows its sub-clauses' text (the clause is a bare heading). */
  aggregated: boolean;
}

export interface QueryTerm {
  term: string;
  weight: number;
}

export interface Hit extends IndexedClause {
  score: number;
  matched: string[];
  /** Score of each sentence of the passage (same order as `sentences`). */
  sentenceScores: number[];
  /** Share of the question's words (idf-weighted, bigrams aside) that this clause contains. */
  coverage: number;
}

/** A clause whose own text (marker and heading aside) is shorter than this borrows its children's. */
const HEADING_ONLY_CHARS = 40;
const PASSAGE_MAX_CHARS = 1200;
/** A clause's score: its best sentence, plus a share of the next best ones (facts spread over sentences). */
const OTHER_SENTENCES_SHARE = 0.3;
/** Share of the sentence view in the fused score (the rest is the whole-clause view). */
const SENTENCE_SHARE = 0.5;
/** Weight of the document-level coverage of the question in a clause's score (0: none). */
const DOC_COVERAGE_FLOOR = 0.5;
/** A bare heading with its sub-clauses' text competes with those sub-clauses; prefer the precise one. */
const AGGREGATED_FACTOR = 0.85;

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

/** Words plus bigrams (bigrams prefixed so they never collide with a two-character word). */
export function analyze(text: string): string[] {
  return [...segment(text), ...bigrams(text).map((b) => `#${b}`)];
}

interface Unit {
  entry: number;
  sentence: number;
}

export class ClauseIndex {
  readonly entries: IndexedClause[] = [];
  private readonly units: Unit[] = [];
  private readonly bm25 = new Bm25Index();
  /** The same clauses indexed whole: fused with the sentence scores, it favours clauses on the subject. */
  private readonly clauseBm25 = new Bm25Index();

  constructor(readonly documents: PolicyDocument[]) {
    for (const doc of documents) {
      const byPath = new Map(doc.clauses.map((c) => [c.path.join('/'), c]));
      const titleTerms = analyze([doc.meta.title, ...doc.meta.aliases].join(' '));
      for (const clause of doc.clauses) {
        const parent = clause.path.length > 1 ? byPath.get(clause.path.slice(0, -1).join('/')) : undefined;
        const parentHeading = parent?.heading ?? null;
        const passage = passageOf(clause, doc);
        const entry: IndexedClause = {
          doc: doc.meta,
          clause,
          parentHeading,
          passage,
          sentences: splitSentences(passage),
          aggregated: passage !== clause.text,
        };
        const entryId = this.entries.push(entry) - 1;
        this.clauseBm25.add([
          { terms: analyze(passage), weight: 1 },
          { terms: analyze(clause.heading ?? ''), weight: 1.5 },
          { terms: analyze(parentHeading ?? ''), weight: 0.5 },
          { terms: titleTerms, weight: 0.3 },
        ]);
        const context = [
          { terms: analyze(clause.heading ?? ''), weight: 0.6 },
          { terms: analyze(parentHeading ?? ''), weight: 0.3 },
          { terms: titleTerms, weight: 0.15 },
        ];
        entry.sentences.forEach((s, i) => {
          const unitId = this.bm25.add([{ terms: analyze(s), weight: 1 }, ...context]);
          this.units[unitId] = { entry: entryId, sentence: i };
        });
      }
    }
  }

  idf(term: string): number {
    return this.bm25.idf(term);
  }

  search(
    query: QueryTerm[],
    opts: {
      region: Region | null;
      limit?: number;
      boost?: { clause: (entry: IndexedClause) => number; sentence: (sentence: string) => number };
    },
  ): Hit[] {
    const byEntry = new Map<number, { scores: number[]; matched: Set<string> }>();
    for (const [unitId, { score, matched }] of this.bm25.score(query)) {
      const unit = this.units[unitId];
      if (!unit) continue;
      let acc = byEntry.get(unit.entry);
      if (!acc) {
        const n = this.entries[unit.entry]!.sentences.length;
        byEntry.set(unit.entry, (acc = { scores: new Array<number>(n).fill(0), matched: new Set() }));
      }
      const sentence = this.entries[unit.entry]!.sentences[unit.sentence] ?? '';
      acc.scores[unit.sentence] = score * (opts.boost?.sentence(sentence) ?? 1);
      for (const m of matched) acc.matched.add(m);
    }
    // How much of the question the whole document speaks to: a clause in a document about the
    // subject beats a stray mention of the same words elsewhere.
    const docTerms = new Map<string, Set<string>>();
    for (const [entryId, { matched }] of byEntry) {
      const docId = this.entries[entryId]!.doc.id;
      let set = docTerms.get(docId);
      if (!set) docTerms.set(docId, (set = new Set()));
      for (const m of matched) set.add(m);
    }
    const totalWeight = query.reduce((a, q) => a + q.weight * this.idf(q.term), 0) || 1;
    const weightOf = new Map(query.map((q) => [q.term, q.weight * this.idf(q.term)]));
    const wordWeight = query.filter((q) => !q.term.startsWith('#')).reduce((a, q) => a + q.weight * this.idf(q.term), 0) || 1;
    const docCoverage = new Map<string, number>();
    for (const [docId, set] of docTerms) {
      let w = 0;
      for (const t of set) w += weightOf.get(t) ?? 0;
      docCoverage.set(docId, w / totalWeight);
    }

    const clauseScores = this.clauseBm25.score(query);
    const maxClause = Math.max(1e-9, ...[...clauseScores.values()].map((c) => c.score));
    const sentenceBase = new Map<number, number>();
    for (const [entryId, { scores }] of byEntry) {
      const sorted = [...scores].sort((a, b) => b - a);
      sentenceBase.set(entryId, (sorted[0] ?? 0) + OTHER_SENTENCES_SHARE * ((sorted[1] ?? 0) + (sorted[2] ?? 0)));
    }
    const maxSentence = Math.max(1e-9, ...sentenceBase.values());

    const hits: Hit[] = [];
    for (const [entryId, { scores, matched }] of byEntry) {
      const entry = this.entries[entryId]!;
      // Both views on one scale, expressed in sentence-score units so thresholds keep their meaning.
      const fused =
        SENTENCE_SHARE * (sentenceBase.get(entryId) ?? 0) +
        (1 - SENTENCE_SHARE) * ((clauseScores.get(entryId)?.score ?? 0) / maxClause) * maxSentence;
      const base = fused;
      const coverage = docCoverage.get(entry.doc.id) ?? 0;
      const factor =
        regionFactor(entry.doc.region, opts.region) *
        (opts.boost?.clause(entry) ?? 1) *
        (DOC_COVERAGE_FLOOR + (1 - DOC_COVERAGE_FLOOR) * coverage) *
        (entry.aggregated ? AGGREGATED_FACTOR : 1);
      let covered = 0;
      for (const m of matched) if (!m.startsWith('#')) covered += weightOf.get(m) ?? 0;
      hits.push({ ...entry, score: base * factor, matched: [...matched], sentenceScores: scores, coverage: covered / wordWeight });
    }
    hits.sort((a, b) => b.score - a.score);
    return hits.slice(0, opts.limit ?? 10);
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
