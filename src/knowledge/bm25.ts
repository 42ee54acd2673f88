/**
 * Okapi BM25 over weighted fields. Small and dependency-free so that we control the Chinese analysis
 * (jieba words plus character bigrams) and can score a message in well under a millisecond: scores
 * accumulate in the caller's typed array, postings are flat arrays, idf is computed once per term.
 * Once the index is complete, each posting's length-normalised term-frequency part is worked out once
 * (it no longer changes), so scoring a query term is one multiply-add per document containing it.
 */
export interface FieldText {
  terms: string[];
  weight: number;
}

interface Postings {
  docs: number[];
  /** Field-weighted term frequency, parallel to docs. */
  tfs: number[];
}

/** A term's postings ready for scoring: documents and BM25's tf·(k1+1)/(tf+k1·(1−b+b·len/avg)) for each. */
interface Compiled {
  docs: Int32Array;
  impacts: Float64Array;
}

/**
 * A finished index's postings in flat arrays, by term number (the caller's dictionary): term t's
 * postings are [offsets[t], offsets[t + 1]). No object per term, and no float per posting: a
 * posting is its document and the code of its field-weighted term frequency (a few dozen distinct
 * values, listed once in tfValues). Its impact, tf·(k1+1)/(tf + norms[doc]), is worked out when a
 * query reaches it, with the same operands in the same order as Bm25Index.prepare, so scores are
 * bit-identical to the builder's.
 */
export interface PackedPostings {
  /** Number of documents. */
  size: number;
  k1: number;
  offsets: Uint32Array;
  docs: Int32Array;
  tfCodes: Uint8Array | Uint16Array;
  tfValues: Float64Array;
  /** k1·(1 − b + b·len/avg) of each document. */
  norms: Float64Array;
}

/** BM25's idf, the same expression for the builder and the packed form (scores stay bit-identical). */
function idfOf(size: number, df: number): number {
  return Math.log(1 + (size - df + 0.5) / (df + 0.5));
}

export class Bm25Index {
  private readonly postings = new Map<string, Postings>();
  private readonly lengths: number[] = [];
  private totalLength = 0;
  private idfCache = new Map<string, number>();
  /** Compiled postings: built by prepare(), or by the first query after the last add(). */
  private compiled: Map<string, Compiled> | null = null;

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
      let p = this.postings.get(term);
      if (!p) this.postings.set(term, (p = { docs: [], tfs: [] }));
      p.docs.push(id);
      p.tfs.push(freq);
    }
    this.lengths.push(length);
    this.totalLength += length;
    this.idfCache.clear();
    this.compiled = null;
    return id;
  }

  idf(term: string): number {
    let v = this.idfCache.get(term);
    if (v === undefined) {
      v = idfOf(this.size, this.postings.get(term)?.docs.length ?? 0);
      this.idfCache.set(term, v);
    }
    return v;
  }

  /**
   * Adds the score of the query (terms with their weights, in parallel) of every document containing a
   * query term into `scores` (indexed by
   * document number, all zero on entry), and lists each touched document once in `touched`.
   * Returns how many were touched. Allocates nothing: the caller owns and clears the buffers.
   */
  accumulate(terms: readonly string[], weights: ArrayLike<number>, scores: Float64Array, touched: Int32Array): number {
    const compiled = this.prepare();
    let count = 0;
    for (let t = 0; t < terms.length; t++) {
      const term = terms[t]!;
      const p = compiled.get(term);
      if (!p) continue;
      const w = this.idf(term) * weights[t]!;
      const { docs, impacts } = p;
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i]!;
        if (scores[doc] === 0) touched[count++] = doc;
        scores[doc] = scores[doc]! + w * impacts[i]!;
      }
    }
    return count;
  }

  /** Works out the scoring form of the postings; call once the index is complete (at start-up). */
  prepare(): Map<string, Compiled> {
    if (this.compiled) return this.compiled;
    const avg = this.totalLength / (this.size || 1) || 1;
    const compiled = new Map<string, Compiled>();
    for (const [term, p] of this.postings) {
      const impacts = new Float64Array(p.docs.length);
      for (let i = 0; i < p.docs.length; i++) {
        const tf = p.tfs[i]!;
        const len = this.lengths[p.docs[i]!]!;
        impacts[i] = (tf * (this.k1 + 1)) / (tf + this.k1 * (1 - this.b + (this.b * len) / avg));
      }
      compiled.set(term, { docs: Int32Array.from(p.docs), impacts });
    }
    return (this.compiled = compiled);
  }

  /**
   * The postings packed by term number (every term of the index must be in `dictionary`); the
   * builder is emptied: its per-term arrays are garbage once packed.
   */
  pack(dictionary: ReadonlyMap<string, number>): PackedPostings {
    const nTerms = dictionary.size;
    const avg = this.totalLength / (this.size || 1) || 1;
    const norms = new Float64Array(this.size);
    for (let d = 0; d < this.size; d++) norms[d] = this.k1 * (1 - this.b + (this.b * this.lengths[d]!) / avg);
    const offsets = new Uint32Array(nTerms + 1);
    for (const [term, p] of this.postings) {
      const id = dictionary.get(term);
      if (id === undefined) throw new Error(`term not in the dictionary: ${term}`);
      offsets[id + 1] = p.docs.length;
    }
    for (let t = 0; t < nTerms; t++) offsets[t + 1] = offsets[t + 1]! + offsets[t]!;
    const total = offsets[nTerms]!;
    const docs = new Int32Array(total);
    const codes = new Uint32Array(total);
    const codeOf = new Map<number, number>();
    const tfValues: number[] = [];
    for (const [term, p] of this.postings) {
      const at = offsets[dictionary.get(term)!]!;
      docs.set(p.docs, at);
      for (let i = 0; i < p.tfs.length; i++) {
        const tf = p.tfs[i]!;
        let code = codeOf.get(tf);
        if (code === undefined) codeOf.set(tf, (code = tfValues.push(tf) - 1));
        codes[at + i] = code;
      }
    }
    if (tfValues.length > 65536) throw new Error(`too many distinct term frequencies to pack: ${tfValues.length}`);
    const tfCodes = tfValues.length <= 256 ? Uint8Array.from(codes) : Uint16Array.from(codes);
    const size = this.size;
    this.postings.clear();
    this.lengths.length = 0;
    this.totalLength = 0;
    this.idfCache.clear();
    this.compiled = null;
    return { size, k1: this.k1, offsets, docs, tfCodes, tfValues: Float64Array.from(tfValues), norms };
  }
}

/** Packed postings, read-only, scored by term number (-1: a term no document has). */
export class PackedBm25 {
  /** idf of each term number. */
  private readonly idfs: Float64Array;
  private readonly unknownIdf: number;
  /** tf·(k1+1) of each tf code. */
  private readonly numerators: Float64Array;

  constructor(readonly postings: PackedPostings) {
    const { size, offsets, k1, tfValues } = postings;
    this.numerators = new Float64Array(tfValues.length);
    for (let c = 0; c < tfValues.length; c++) this.numerators[c] = tfValues[c]! * (k1 + 1);
    this.idfs = new Float64Array(offsets.length - 1);
    for (let t = 0; t < this.idfs.length; t++) this.idfs[t] = idfOf(size, offsets[t + 1]! - offsets[t]!);
    this.unknownIdf = idfOf(size, 0);
  }

  get size(): number {
    return this.postings.size;
  }

  idf(termId: number): number {
    return termId < 0 ? this.unknownIdf : this.idfs[termId]!;
  }

  /** Bm25Index.accumulate by term numbers (`count` of them): same arithmetic in the same order. */
  accumulate(termIds: Int32Array, count: number, weights: ArrayLike<number>, scores: Float64Array, touched: Int32Array): number {
    const { offsets, docs, tfCodes, tfValues, norms } = this.postings;
    const numerators = this.numerators;
    let n = 0;
    for (let t = 0; t < count; t++) {
      const id = termIds[t]!;
      if (id < 0) continue;
      const end = offsets[id + 1]!;
      let i = offsets[id]!;
      if (i === end) continue;
      const w = this.idfs[id]! * weights[t]!;
      for (; i < end; i++) {
        const doc = docs[i]!;
        const c = tfCodes[i]!;
        if (scores[doc] === 0) touched[n++] = doc;
        scores[doc] = scores[doc]! + w * (numerators[c]! / (tfValues[c]! + norms[doc]!));
      }
    }
    return n;
  }
}
