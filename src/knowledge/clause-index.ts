/**
 * The searchable form of the knowledge base: every clause indexed with BM25 over jieba words and
 * character bigrams, its document's title and aliases, and its own and its parent's headings.
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
}

/** A clause whose own text (marker and heading aside) is shorter than this borrows its children's. */
const HEADING_ONLY_CHARS = 40;
const PASSAGE_MAX_CHARS = 1200;

export interface QueryTerm {
  term: string;
  weight: number;
}

export interface Hit extends IndexedClause {
  score: number;
  matched: string[];
}

const CJK_RUN = /[\u4e00-\u9fff]+/g;

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

export class ClauseIndex {
  readonly entries: IndexedClause[] = [];
  private readonly bm25 = new Bm25Index();

  constructor(readonly documents: PolicyDocument[]) {
    for (const doc of documents) {
      const byPath = new Map(doc.clauses.map((c) => [c.path.join('/'), c]));
      const titleTerms = analyze([doc.meta.title, ...doc.meta.aliases].join(' '));
      for (const clause of doc.clauses) {
        const parent = clause.path.length > 1 ? byPath.get(clause.path.slice(0, -1).join('/')) : undefined;
        const parentHeading = parent?.heading ?? null;
        const entry: IndexedClause = { doc: doc.meta, clause, parentHeading, passage: passageOf(clause, doc) };
        const id = this.bm25.add([
          { terms: analyze(entry.passage), weight: 1 },
          { terms: analyze(clause.heading ?? ''), weight: 1.5 },
          { terms: analyze(parentHeading ?? ''), weight: 0.5 },
          { terms: titleTerms, weight: 0.3 },
        ]);
        this.entries[id] = entry;
      }
    }
  }

  idf(term: string): number {
    return this.bm25.idf(term);
  }

  search(query: QueryTerm[], opts: { region: Region | null; limit?: number }): Hit[] {
    const scored = this.bm25.score(query);
    const hits: Hit[] = [];
    for (const [id, { score, matched }] of scored) {
      const entry = this.entries[id];
      if (!entry) continue;
      hits.push({ ...entry, score: score * regionFactor(entry.doc.region, opts.region), matched: [...matched] });
    }
    hits.sort((a, b) => b.score - a.score);
    return hits.slice(0, opts.limit ?? 10);
  }
}

function passageOf(clause: Clause, doc: PolicyDocument): string {
  const own = clause.text.replace(clause.path.at(-1) ?? '', '').replace(clause.heading ?? '', '');
  if (clause.path.length === 0 || own.replace(/[\s。：:]/g, '').length >= HEADING_ONLY_CHARS) return clause.text;
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
