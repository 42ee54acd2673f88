import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../src/knowledge/documents.js';
import type { PolicyDocument } from '../../src/knowledge/types.js';
import { loadCatalogue, parseProgramFile, type Program } from '../../src/programs/catalogue.js';
import { checkCatalogue, figuresIn } from '../../src/programs/grounding.js';

let documents: PolicyDocument[];
beforeAll(async () => {
  documents = await loadKnowledgeBase(join('knowledge', 'docs'));
});

const program = (facet: Record<string, unknown>, region = '平顶山市'): Program[] =>
  parseProgramFile(
    JSON.stringify({ programs: [{ id: 'p', name: '就业见习', kind: 'service', region, facets: { amount: facet } }] }),
    'test.yaml',
  );

describe('figures', () => {
  it('reads numerals and units alike: 1.5万 = 15000, 三个月 = 3, 百分之七十 = 70', () => {
    expect(figuresIn('1.5万元')).toEqual([15000]);
    expect(figuresIn('15000元')).toEqual([15000]);
    expect(figuresIn('见习三个月')).toEqual([3]);
    expect(figuresIn('百分之七十')).toEqual([70]);
    expect(figuresIn('3—12个月')).toEqual([3, 12]);
  });
  it('takes no figure from words (一般, 统一, 一次性)', () => {
    expect(figuresIn('一般给予一次性补贴，统一发放')).toEqual([]);
  });
});

describe('the grounding check', () => {
  it('passes the shipped catalogue', () => {
    const programs = loadCatalogue(join('knowledge', 'programs'));
    expect(programs.length).toBeGreaterThan(0);
    expect(checkCatalogue(programs, documents)).toEqual([]);
  });

  it('passes a facet whose figures its clause states', () => {
    const p = program({ answer: '见习补贴按当地最低工资标准的70%发放。', cite: 'pds-2023-73-internships#一、（三）' });
    expect(checkCatalogue(p, documents)).toEqual([]);
  });

  it('catches a wrong figure', () => {
    const p = program({ answer: '见习补贴按当地最低工资标准的80%发放。', cite: 'pds-2023-73-internships#一、（三）' });
    expect(checkCatalogue(p, documents).map((x) => x.problem)).toEqual([expect.stringContaining('figure 80')]);
  });

  it('catches a wrong figure written in Chinese numerals', () => {
    const p = program({ answer: '见习期限一般为三到十八个月。', cite: 'pds-2023-73-internships#一、（一）' });
    expect(checkCatalogue(p, documents).map((x) => x.problem)).toEqual([expect.stringContaining('figure 18')]);
  });

  it('catches a figure taken from another clause than the one cited', () => {
    // 70% is in 一、（三）, not in 一、（一）.
    const p = program({ answer: '见习补贴是最低工资标准的70%。', cite: 'pds-2023-73-internships#一、（一）' });
    expect(checkCatalogue(p, documents)).toHaveLength(1);
  });

  it('catches a clause that does not exist', () => {
    const p = program({ answer: '见习期限一般为3—12个月。', cite: 'pds-2023-73-internships#九、（九）' });
    const problems = checkCatalogue(p, documents).map((x) => x.problem);
    expect(problems).toContainEqual(expect.stringContaining('no clause'));
    // …and with nothing cited, no figure of the answer is grounded.
    expect(problems).toContainEqual(expect.stringContaining('figure 12'));
  });

  it('accepts a worked-out figure whose arithmetic holds and whose inputs are cited', () => {
    const p = program({
      answer: '两人合伙最多可贷40万元。',
      cite: 'pds-2023-23-startup-loans#第八条',
      arithmetic: ['20万元 × 2人 = 40万元'],
    });
    const problems = checkCatalogue(p, documents);
    expect(problems.filter((x) => !x.problem.startsWith('region'))).toEqual([]);
  });

  it('catches arithmetic that does not hold', () => {
    const p = program({ answer: '两人合伙最多可贷50万元。', cite: 'pds-2023-23-startup-loans#第八条', arithmetic: ['20万元 × 2人 = 50万元'] });
    expect(checkCatalogue(p, documents).map((x) => x.problem)).toContainEqual(expect.stringContaining('does not hold'));
  });

  it('keeps region variants apart: a Jining entry cannot rest on a Pingdingshan clause', () => {
    const p = program({ answer: '见习期限一般为3—12个月。', cite: 'pds-2023-73-internships#一、（一）' }, '济宁市');
    expect(checkCatalogue(p, documents).map((x) => x.problem)).toEqual([expect.stringContaining('region 济宁市')]);
  });
});

describe('the catalogue loader', () => {
  it('refuses an "otherwise" that names no programme', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'epa-cat-'));
    writeFileSync(
      join(dir, 'a.yaml'),
      'programs:\n  - id: waiver\n    name: 免除反担保\n    kind: right\n    region: 平顶山市\n    otherwise: no-such-programme\n    facets:\n      who: { answer: 贷10万元及以下的可以免。, cite: "pds-2023-23-startup-loans#第十二条" }\n',
    );
    expect(() => loadCatalogue(dir)).toThrow(/otherwise names unknown programme no-such-programme/);
  });
});
