import { describe, expect, it } from 'vitest';
import { Bm25Index } from '../../src/knowledge/bm25.js';

function scores(index: Bm25Index, terms: string[]): number[] {
  const s = new Float64Array(index.size);
  const touched = new Int32Array(index.size);
  const n = index.accumulate(terms, terms.map(() => 1), s, touched);
  return [...touched.subarray(0, n)].sort((a, b) => a - b).map((d) => s[d]!);
}

describe('Bm25Index', () => {
  it('ranks the document that repeats a rare term above one that mentions it once', () => {
    const index = new Bm25Index();
    index.add([{ terms: ['见习', '补贴', '见习'], weight: 1 }]);
    index.add([{ terms: ['见习', '单位', '条件', '材料'], weight: 1 }]);
    index.add([{ terms: ['创业', '贷款'], weight: 1 }]);
    const [a, b] = scores(index, ['见习']);
    expect(a).toBeGreaterThan(b!);
  });

  it('scores documents added after a query (the compiled postings are rebuilt)', () => {
    const index = new Bm25Index();
    index.add([{ terms: ['创业', '贷款'], weight: 1 }]);
    expect(scores(index, ['担保'])).toEqual([]);
    index.add([{ terms: ['创业', '担保', '贷款'], weight: 1 }]);
    const after = scores(index, ['担保']);
    expect(after).toHaveLength(1);
    expect(after[0]).toBeGreaterThan(0);
  });

  it('weights a field: a heading worth 1.5 counts more than body text', () => {
    const index = new Bm25Index();
    index.add([{ terms: ['补贴'], weight: 1.5 }, { terms: ['标准', '发放'], weight: 1 }]);
    index.add([{ terms: ['补贴', '标准', '发放'], weight: 1 }]);
    index.add([{ terms: ['其他'], weight: 1 }]);
    const [heading, body] = scores(index, ['补贴']);
    expect(heading).toBeGreaterThan(body!);
  });
});
