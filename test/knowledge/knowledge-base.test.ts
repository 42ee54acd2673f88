/**
 * The shipped knowledge base (knowledge/docs) against the seed texts it was built from.
 */
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { readManifest, type Manifest } from '../../scripts/import-seeds.js';
import { cleanLines, digitSequence, isPageNoise } from '../../src/knowledge/clean.js';
import { citationFor, innerTitle, loadKnowledgeBase } from '../../src/knowledge/documents.js';
import type { PolicyDocument } from '../../src/knowledge/types.js';

let docs: PolicyDocument[];
let manifest: Manifest;
const seeds = new Map<string, string[]>();

async function seed(file: string): Promise<string[]> {
  let lines = seeds.get(file);
  if (!lines) {
    lines = (await readFile(`knowledge/seeds/${file}`, 'utf8')).split('\n');
    seeds.set(file, lines);
  }
  return lines;
}

function doc(id: string): PolicyDocument {
  const d = docs.find((x) => x.meta.id === id);
  if (!d) throw new Error(`no document ${id}`);
  return d;
}

function byDocNo(docNo: string): PolicyDocument {
  const found = docs.filter((x) => x.meta.docNo === docNo);
  if (found.length === 0) throw new Error(`no document ${docNo}`);
  return found[0] as PolicyDocument;
}

function clause(d: PolicyDocument, label: string) {
  const c = d.clauses.find((x) => x.label === label);
  if (!c) throw new Error(`${d.meta.id}: no clause ${label}`);
  return c;
}

function bodyOf(d: PolicyDocument): string {
  return d.clauses.map((c) => c.text).join('\n');
}

const norm = (s: string) =>
  s
    .replace(/\s+/g, '')
    .replace(/[《》〈〉“”"]/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')');

beforeAll(async () => {
  docs = await loadKnowledgeBase();
  manifest = await readManifest();
});

describe('the knowledge base', () => {
  it('when loaded, then it holds the 33 documents of the manifest, sorted, with unique ids', () => {
    expect(docs).toHaveLength(33);
    expect(docs.map((d) => d.meta.id)).toEqual(manifest.documents.map((d) => d.id).sort());
    expect(docs.flatMap((d) => d.clauses.map((c) => c.id)).length).toBe(new Set(docs.flatMap((d) => d.clauses.map((c) => c.id))).size);
  });

  it('when the table of contents of file 002 is read, then each of its 30 items is a document of the base', async () => {
    const lines = (await seed(manifest.toc.file)).slice(manifest.toc.lines[0] - 1, manifest.toc.lines[1]);
    const items = lines
      .map((l) => /^(\d{1,2})\.\s*(.+?)[.…\s]*\d*\s*$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ n: Number(m[1]), text: norm((m[2] ?? '').replace(/\.{2,}.*$/, '')) }));
    expect(items.map((i) => i.n)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    for (const item of items) {
      const entries = manifest.documents.filter((d) => d.toc?.includes(item.n));
      expect(entries.length, `TOC item ${item.n}`).toBeGreaterThan(0);
      for (const e of entries) {
        const d = doc(e.id);
        const names = [d.meta.title, innerTitle(d.meta.title) ?? '', ...d.meta.aliases].map(norm).filter(Boolean);
        const byName = names.some((n) => item.text.includes(n) || n.includes(item.text));
        const byIssuers = d.meta.issuers.length > 0 && d.meta.issuers.every((i) => item.text.includes(norm(i)));
        expect(byName || byIssuers, `TOC item ${item.n} ↔ ${d.meta.id}`).toBe(true);
      }
    }
  });

  it('when the seed files are cut into documents, then every line of 002 outside its contents belongs to exactly one document', async () => {
    for (const file of new Set(manifest.documents.map((d) => d.file))) {
      const lines = await seed(file);
      const owner = new Array<string | null>(lines.length + 1).fill(null);
      const ranges = [
        ...manifest.documents.filter((d) => d.file === file).map((d) => ({ id: d.id, lines: d.lines })),
        ...manifest.documents.filter((d) => d.alsoAt?.file === file).map((d) => ({ id: `${d.id} (copy)`, lines: d.alsoAt!.lines })),
        ...manifest.ignored.filter((i) => i.file === file).map((i) => ({ id: 'ignored', lines: i.lines })),
      ];
      for (const r of ranges) {
        for (let n = r.lines[0]; n <= r.lines[1]; n++) {
          expect(owner[n], `${file}:${n} claimed by ${owner[n]} and ${r.id}`).toBeNull();
          owner[n] = r.id;
        }
      }
      const orphans = lines.map((l, i) => ({ n: i + 1, l })).filter(({ n, l }) => l.trim() !== '' && owner[n] === null);
      expect(orphans, `${file}: lines in no document`).toEqual([]);
    }
  });

  it('when a document is cleaned, then no number of its source is lost (page numbers aside)', async () => {
    for (const e of manifest.documents) {
      const src = (await seed(e.file)).slice(e.lines[0] - 1, e.lines[1]).filter((l) => l.includes('\t') || !isPageNoise(l));
      const inserted = new Set((e.inserts ?? []).map((i) => cleanLines([{ no: 0, text: i.text }])[0]?.text));
      const out = bodyOf(doc(e.id))
        .split('\n')
        .filter((l) => !inserted.has(l))
        .join('\n');
      expect(digitSequence(out), e.id).toEqual(digitSequence(src.join('\n')));
    }
  });

  it('when a document appears twice in the seeds, then the copy holds the same figures as the one imported', async () => {
    for (const e of manifest.documents.filter((d) => d.alsoAt)) {
      const copy = (await seed(e.alsoAt!.file)).slice(e.alsoAt!.lines[0] - 1, e.alsoAt!.lines[1]).join('\n');
      expect(digitSequence(bodyOf(doc(e.id)))).toEqual(digitSequence(copy));
    }
  });

  it('when the cleaned text is read, then no markup, HTML or page furniture is left', () => {
    for (const d of docs) {
      const text = bodyOf(d);
      expect(text, d.meta.id).not.toMatch(/<\/?(p|ol|li|input|br)\b|\*\*|\$\\|^#|\.{4,}/m);
      expect(text, d.meta.id).not.toMatch(/^\s*[-—]\s*\d+\s*[-—]\s*$/m);
    }
  });
});

describe('document metadata', () => {
  const known: Array<[string, string]> = [
    ['豫政办〔2023〕17号', 'henan-2023-17-youth-employment'],
    ['豫就业组〔2023〕1号', 'henan-2023-1-employer-labor-guarantee'],
    ['平人社办〔2023〕73号', 'pds-2023-73-internships'],
    ['平人社办函〔2023〕31号', 'pds-2023-31-youth-policy-outreach'],
    ['平巩固脱贫成果办〔2023〕7号', 'pds-2023-7-yijiang-yibu'],
    ['平人社〔2023〕23号', 'pds-2023-23-startup-loans'],
    ['豫人社规〔2021〕4号', 'henan-2021-4-employment-assistance'],
    ['平人社办〔2023〕78号', 'pds-2023-78-migrant-workers'],
    ['豫人社办函〔2023〕40号', 'henan-2023-40-job-stabilization-loans'],
    ['豫人社办〔2023〕46号', 'henan-2023-46-star-communities'],
    ['平人社办〔2023〕96号', 'pds-2023-96-star-communities'],
    ['豫人社办函〔2023〕30号', 'henan-2023-30-sanbao-sanlian-mechanism'],
    ['平农工办〔2023〕1号', 'pds-2023-1-migrant-work-priorities'],
    ['豫人社函〔2023〕71号', 'henan-2023-71-migrant-citizenization'],
    ['平人社就业〔2023〕11号', 'pds-2023-11-graduate-twelve-measures'],
    ['豫人社办〔2023〕78号', 'henan-2023-78-rtn-award-funds'],
  ];

  it.each(known)('when the 文号 %s is looked up, then it is the document %s and stands in its own text', (docNo, id) => {
    expect(doc(id).meta.docNo).toBe(docNo);
    expect(doc(id).clauses[0]?.text.replace(/\s+/g, '')).toContain(docNo);
  });

  it('when a document states no 文号, then docNo is null', () => {
    expect(doc('national-migrant-workers-opinions').meta.docNo).toBeNull();
    expect(doc('jining-rural-labor-action').meta.docNo).toBeNull();
    expect(doc('henan-2023-ten-ones').meta.docNo).toBeNull();
  });

  it('when a notice issues two separate 办法, then each is a document and both carry the notice 文号', () => {
    const two = docs.filter((d) => d.meta.docNo === '平政办〔2017〕59号').map((d) => d.meta.title);
    expect(two).toEqual(['平顶山市市级农民工返乡创业示范园区评审认定奖励办法（试行）', '平顶山市市级农民工返乡创业示范项目评审认定奖励办法（试行）']);
  });

  it('when dates of issue are read, then they are those printed on the documents', () => {
    expect(byDocNo('豫政办〔2023〕17号').meta.date).toBe('2023-04-27');
    expect(byDocNo('平人社〔2023〕23号').meta.date).toBe('2023-04-26');
    expect(byDocNo('平人社办〔2023〕78号').meta.date).toBe('2023-06-28');
    expect(byDocNo('豫人社规〔2021〕4号').meta.date).toBe('2021-08-04');
    expect(byDocNo('平人社办函〔2023〕31号').meta.date).toBe('2023-08-07');
    expect(byDocNo('豫人社办〔2023〕19号').meta.date).toBeNull(); // printed "2023年2月 日"
    expect(byDocNo('豫人社办〔2023〕5号').meta.validity.start).toBe('2023-01-01'); // 自2023年1月1日起施行
  });

  it('when regions are read, then national, provincial, city and Jining documents are told apart', () => {
    expect(doc('national-migrant-workers-opinions').meta.region).toBe('全国');
    expect(doc('jining-rural-labor-action').meta.region).toBe('济宁市');
    expect(byDocNo('豫人社规〔2021〕4号').meta.region).toBe('河南省');
    expect(byDocNo('平巩固脱贫成果办〔2023〕7号').meta.region).toBe('平顶山市');
  });

  it('when a short name is used, then it is an alias of the right document', () => {
    const aliasOf = (a: string) => docs.filter((d) => d.meta.aliases.includes(a)).map((d) => d.meta.docNo);
    expect(aliasOf('一奖一补')).toEqual(['平巩固脱贫成果办〔2023〕7号']);
    expect(aliasOf('平顶山市创业担保贷款精细化操作规程')).toEqual(['平人社〔2023〕23号']);
    expect(aliasOf('致2023届高校毕业生的一封信')).toEqual(['平人社办函〔2023〕31号']);
    expect(aliasOf('十二条政策措施')).toEqual(['平人社就业〔2023〕11号']);
  });

  it('when every stated end date is checked, then it is recorded where it applies', () => {
    const youth = byDocNo('豫政办〔2023〕17号');
    expect(youth.meta.validity.end).toBeNull();
    expect(clause(youth, '一、')).toMatchObject({ end: '2023-12-31' });
    expect(clause(youth, '一、').endText).toContain('政策实施期限延续至2023年12月31日');
    expect(clause(youth, '二、').end).toBeNull();

    const assistance = byDocNo('豫人社规〔2021〕4号');
    expect(assistance.meta.validity).toMatchObject({ start: '2021-08-04', end: '2025-12-31' });
    expect(assistance.meta.validity.endText).toContain('执行期限截止2025年12月31日');
    expect(clause(assistance, '第三十九条').end).toBe('2021-12-31'); // 以工代训补贴
    expect(clause(assistance, '第四十条').end).toBe('2021-12-31'); // 一次性吸纳就业补助
    expect(clause(assistance, '第三十一条').end).toBe('2025-12-31'); // 雨露计划
    expect(clause(assistance, '第四十六条').end).toBe('2025-12-31');

    const internships = byDocNo('平人社办〔2023〕73号');
    expect(clause(internships, '一、（三）').end).toBe('2023-12-31');
    expect(clause(internships, '一、（三）').endText).toContain('剩余期限见习补贴政策延续至2023年底');
    expect(clause(internships, '一、（二）').end).toBeNull();
  });

  it('when an end text is recorded, then it is quoted verbatim from the document', () => {
    for (const d of docs) {
      const flat = bodyOf(d).replace(/\s+/g, '');
      for (const t of [d.meta.validity.endText, ...d.meta.clauseValidity.map((c) => c.endText)]) {
        if (t) expect(flat, d.meta.id).toContain(t.replace(/\s+/g, ''));
      }
    }
  });
});

describe('clauses of real documents', () => {
  it('when the 创业担保贷款精细化操作规程 is parsed, then 第十一条 is the article on 担保方式', () => {
    const rules = byDocNo('平人社〔2023〕23号');
    expect(clause(rules, '第十一条')).toMatchObject({ path: ['第十一条'], heading: '担保方式' });
    expect(clause(rules, '第十一条1.').text).toContain('担保机构可为符合政策规定条件的各类人员创业');
    expect(clause(rules, '第七条1.（1）').text).toContain('毕业5年内');
    expect(clause(rules, '第十二条2.').text).toContain('申请10万元及以下个人创业担保贷款的，可免除反担保要求');
  });

  it('when 豫政办〔2023〕17号 is parsed, then "七、" is the 档案转递 measure', () => {
    const c = clause(byDocNo('豫政办〔2023〕17号'), '七、');
    expect(c.heading).toBe('开展毕业生档案转递接收服务专项行动');
    expect(c.text).toContain('不再发放《全国普通高等学校本专科毕业生就业报到证》');
  });

  it('when a 方案 has sections and subsections, then "（二）" under "三、" is cited as 三、（二）', () => {
    expect(clause(byDocNo('豫人社办〔2023〕46号'), '三、（二）')).toMatchObject({ path: ['三、', '（二）'], heading: '促进供需对接' });
    expect(clause(doc('jining-rural-labor-action'), '四、（二）9.').text).toContain('最高给予20万元个人创业担保贷款');
  });

  it('when phone tables are read, then each county and its number stay together on one line', () => {
    const lines = bodyOf(byDocNo('平人社办〔2023〕73号')).split('\n');
    expect(lines).toContain('叶县：6110266');
    expect(lines).toContain('湛河区：2266138');
    expect(lines).toContain('市本级：2978818');
    expect(clause(byDocNo('平人社办〔2023〕73号'), '四、').text).toContain('郏县：5151768');
    const letter = bodyOf(byDocNo('平人社办函〔2023〕31号'));
    expect(letter).toContain('平顶山市人才交流中心档案查询电话：0375-4996895');
    expect(letter).toContain('联系方式:0375-2978818');
  });

  it('when the 一奖一补 standards are read, then the amounts are intact in their clauses', () => {
    const d = byDocNo('平巩固脱贫成果办〔2023〕7号');
    expect(clause(d, '二、（一）').text).toContain('奖补金额最高限额每人每年不超过1500元');
    expect(clause(d, '二、（二）').text).toContain('省外务工的奖补对象每年补助600元');
  });

  it('when an attachment is known by its own name, then citations name it', () => {
    const d = byDocNo('平人社办函〔2023〕31号');
    expect(citationFor(d, clause(d, '附件'))).toEqual({ title: '致2023届高校毕业生的一封信', docNo: '平人社办函〔2023〕31号', clause: '附件' });
  });

  it('when a clause is cited, then the title is the name people know and the label is exact', () => {
    const rules = byDocNo('平人社〔2023〕23号');
    expect(citationFor(rules, clause(rules, '第十一条'))).toEqual({ title: '平顶山市创业担保贷款精细化操作规程', docNo: '平人社〔2023〕23号', clause: '第十一条' });
    expect(citationFor(rules, rules.clauses[0])).toEqual({ title: '平顶山市创业担保贷款精细化操作规程', docNo: '平人社〔2023〕23号', clause: null });
    const migrants = byDocNo('平人社办〔2023〕78号');
    expect(citationFor(migrants).title).toBe('关于进一步支持农民工就业创业的通知');
    expect(citationFor(doc('national-migrant-workers-opinions')).title).toBe('关于进一步支持农民工就业创业的实施意见');
  });
});
