import { describe, expect, it } from 'vitest';
import { detectMarker, headingOf, labelOf, parseClauses } from '../../src/knowledge/clauses.js';

const body = [
  '关于进一步支持农民工就业创业的通知',
  '各县（市、区）：',
  '一、稳定和扩大农民工就业岗位',
  '（一）强化稳岗扶持政策。全面实施企业吸纳就业社会保险补贴“直补快办”。',
  '1. 企业吸纳就业。对招用的给予补贴，每人1.5万元以内。',
  '2023年起执行。',
  '（1）高校毕业生。毕业5年内。',
  '(二) 健全稳岗服务机制。加强用工指导。',
  '二、促进农民工外出就业',
  '单位\t1. 不是条款',
  '附件',
  '联系电话表',
  '叶县：6110266',
].join('\n');

describe('parsing clauses', () => {
  const clauses = parseClauses('doc', body);
  const byLabel = (label: string) => clauses.find((c) => c.label === label);

  it('when a document has a preamble, then it is the clause "正文" with an empty path', () => {
    expect(clauses[0]).toMatchObject({ id: 'doc#', label: '正文', path: [], heading: null });
    expect(clauses[0]?.text).toContain('各县（市、区）：');
  });

  it('when markers nest, then paths and labels follow the hierarchy', () => {
    expect(clauses.map((c) => c.label)).toEqual(['正文', '一、', '一、（一）', '一、（一）1.', '一、（一）1.（1）', '一、（二）', '二、', '附件']);
    expect(byLabel('一、（一）1.（1）')?.path).toEqual(['一、', '（一）', '1.', '（1）']);
    expect(byLabel('一、（一）1.（1）')?.id).toBe('doc#一、/（一）/1./（1）');
  });

  it('when a marker line has a title before its first 。, then that is the heading', () => {
    expect(byLabel('一、')?.heading).toBe('稳定和扩大农民工就业岗位');
    expect(byLabel('一、（一）')?.heading).toBe('强化稳岗扶持政策');
    expect(byLabel('一、（二）')?.heading).toBe('健全稳岗服务机制');
  });

  it('when "2023年" or "1.5万元" or a table cell starts with a number, then no clause starts there', () => {
    expect(byLabel('一、（一）1.')?.text).toBe('1. 企业吸纳就业。对招用的给予补贴，每人1.5万元以内。\n2023年起执行。');
    expect(byLabel('二、')?.text).toBe('二、促进农民工外出就业\n单位\t1. 不是条款');
    expect(detectMarker('1.5万元以上')).toBeNull();
    expect(detectMarker('2023年起')).toBeNull();
    expect(detectMarker('一是加强组织领导')).toBeNull();
  });

  it("when a clause has children, then its text is only its own lines", () => {
    expect(byLabel('一、')?.text).toBe('一、稳定和扩大农民工就业岗位');
  });

  it('when an attachment starts, then it is a top-level clause titled by its first line', () => {
    expect(byLabel('附件')).toMatchObject({ path: ['附件'], heading: '联系电话表' });
    expect(byLabel('附件')?.text).toContain('叶县：6110266');
  });

  it('when articles sit in chapters, then an article is cited on its own and items nest under it', () => {
    const c = parseClauses('rules', ['第一章 总则', '第一条 为规范管理，制定本规程。', '第二章 贷款', '第十一条 担保方式', '1. 担保机构可为各类人员提供担保。', '第一节 咨询', '第十二条 申请人到经办机构咨询。'].join('\n'));
    expect(c.map((x) => x.label)).toEqual(['第一章', '第一条', '第二章', '第十一条', '第十一条1.', '第二章 第一节', '第十二条']);
    expect(c.find((x) => x.label === '第十一条')).toMatchObject({ path: ['第十一条'], heading: '担保方式' });
    expect(c.find((x) => x.label === '第一章')?.heading).toBe('总则');
  });

  it('when a document uses markdown headers (## 一、), then they are read as markers', () => {
    const c = parseClauses('md', ['# 某某实施方案', '## 一、指导思想', '以习近平新时代中国特色社会主义思想为指导。', '#### **（一）稳定就业**', '1、稳定扩大企业吸纳就业岗位。推行。'].join('\n'));
    expect(c.map((x) => x.label)).toEqual(['正文', '一、', '一、（一）', '一、（一）1.']);
    expect(c[2]?.heading).toBe('稳定就业');
  });

  it('when the same marker repeats under one parent, then ids stay unique', () => {
    const c = parseClauses('dup', ['一、流程', '（四）考察评估。专家评估。', '（四）公示认定。公示5个工作日。'].join('\n'));
    expect(c.map((x) => x.id)).toEqual(['dup#一、', 'dup#一、/（四）', 'dup#一、/（四）~2']);
    expect(new Set(c.map((x) => x.label))).toEqual(new Set(['一、', '一、（四）']));
  });

  it('when a clause or one of its parents has its own end date, then it carries it; else the document end', () => {
    const c = parseClauses('v', ['一、甲。乙。', '（一）丙。丁。', '二、戊。己。'].join('\n'), {
      validity: { start: null, end: '2025-12-31', endText: '执行期限截止2025年12月31日。' },
      clauseValidity: [{ clause: '一、', end: '2023-12-31', endText: '政策实施期限延续至2023年12月31日。' }],
    });
    expect(c.map((x) => [x.label, x.end])).toEqual([
      ['一、', '2023-12-31'],
      ['一、（一）', '2023-12-31'],
      ['二、', '2025-12-31'],
    ]);
    expect(c[0]?.endText).toBe('政策实施期限延续至2023年12月31日。');
  });

  it('when headings are derived, then one-sentence clauses and sentence openings have none', () => {
    expect(headingOf('收集相关资料。')).toBeNull();
    expect(headingOf('对市级示范园区每年审核1次。考核不合格的，限期整改。')).toBeNull();
    expect(headingOf('创业担保贷款对象')).toBe('创业担保贷款对象');
    expect(labelOf(['附件2', '一、', '（三）'])).toBe('附件2 一、（三）');
    expect(labelOf([])).toBe('正文');
  });
});
