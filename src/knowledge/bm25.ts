/**
 * Okapi BM25 over weighted fields. Small and dependency-free so that we control the Chinese analysis
 * (jieba words plus character bigrams) and can score a message in well under a millisecond.
 */
export interface FieldText {
  terms: string[];
  weight: number;
}

interface Posting {
  doc: number;
  /** Field-weighted term frequency. */
  tf: number;
}

export class Bm25Index {
  private readonly postings = new Map<string, Posting[]>();
  private readonly lengths: number[] = [];
  private avgLength = 1;

  constructor(
    private readonly k1 = 1.2,
    private readonly b = 0.6,
  ) {}

  get size(): number {
    return this.lengths.length;
  }

  /** Adds a document made of weighted fields; returns its number. */
  add(fields: FieldText[]): number {
    const id = this.lengths.length;
    const tf = new Map<string, number>();
    let length = 0;
    for (const f of fields) {
      for (const t of f.terms) {
        tf.set(t, (tf.get(t) ?? 0) + f.weight);
        length += f.weight;
      }
    }
    for (const [term, freq] of tf) {
      let list = this.postings.get(term);
      if (!list) this.postings.set(term, (list = []));
      list.push({ doc: id, tf: freq });
    }
    this.lengths.push(length);
    this.avgLength = this.lengths.reduce((a, n) => a + n, 0) / this.lengths.length || 1;
    return id;
  }

  idf(term: string): number {
    const df = this.postings.get(term)?.length ?? 0;
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** Scores every document containing a query term; query terms carry their own weights. */
  score(query: Array<{ term: string; weight: number }>): Map<number, { score: number; matched: Set<string> }> {
    const out = new Map<number, { score: number; matched: Set<string> }>();
    for (const { term, weight } of query) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term);
      for (const p of list) {
        const len = this.lengths[p.doc] ?? this.avgLength;
        const s = (idf * p.tf * (this.k1 + 1)) / (p.tf + this.k1 * (1 - this.b + (this.b * len) / this.avgLength));
        let acc = out.get(p.doc);
        if (!acc) out.set(p.doc, (acc = { score: 0, matched: new Set() }));
        acc.score += s * weight;
        acc.matched.add(term);
      }
    }
    return out;
  }
}
