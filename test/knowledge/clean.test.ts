import { describe, expect, it } from 'vitest';
import { cleanLines, continuesOnNextLine, digitSequence, type RawLine } from '../../src/knowledge/clean.js';

function raw(...texts: string[]): RawLine[] {
  return texts.map((text, i) => ({ no: i + 1, text }));
}

function clean(...texts: string[]): string[] {
  return cleanLines(raw(...texts)).map((l) => l.text);
}

describe('cleaning extracted policy text', () => {
  it('when a sentence is cut by a page break, then its two halves are joined', () => {
    expect(
      clean(
        '认真落实《省人力资源和社会保障厅 省发展和改革委员会 省财政',
        '',
        '厅 省农业农村厅 省乡村振兴局关于进一步支持农民工就业创业的通知》，促进农民工就业创业。',
      ),
    ).toEqual(['认真落实《省人力资源和社会保障厅 省发展和改革委员会 省财政厅 省农业农村厅 省乡村振兴局关于进一步支持农民工就业创业的通知》，促进农民工就业创业。']);
  });

  it('when a line ends a sentence or is a heading, then the next line stays separate', () => {
    expect(clean('一、稳定和扩大农民工就业岗位', '', '（一）强化稳岗扶持政策。全面实施。')).toEqual([
      '一、稳定和扩大农民工就业岗位',
      '（一）强化稳岗扶持政策。全面实施。',
    ]);
    expect(clean('三、申报材料', '申请表、身份证复印件、一卡通账号复印件。')).toEqual(['三、申报材料', '申请表、身份证复印件、一卡通账号复印件。']);
    expect(clean('河南省人民政府办公厅', '2023年4月27日')).toEqual(['河南省人民政府办公厅', '2023年4月27日']);
  });

  it('when a phone list is cleaned, then each county stays on its own line with its number', () => {
    expect(clean('叶 县：6110266', '', '湛河区：2266138', '郟 县：5151768')).toEqual(['叶县：6110266', '湛河区：2266138', '郏县：5151768']);
    expect(clean('王爱学 0371—69690326', '省财政厅社会保障处')).toEqual(['王爱学 0371—69690326', '省财政厅社会保障处']);
  });

  it('when numbers are spaced from Chinese, then the spaces go but the number stays whole', () => {
    expect(clean('给予每人 500 元、每家企业最高 10 万元的一次性奖补，政策实施期限延续至 2023 年 12 月 31 日。')).toEqual([
      '给予每人500元、每家企业最高10万元的一次性奖补，政策实施期限延续至2023年12月31日。',
    ]);
  });

  it('when a table row is cleaned, then its cells stay on one line, tab-separated', () => {
    expect(clean('单位\t募集岗位数', '叶 县\t1042\t\t', '<p>二、工作开展 (50分)</p>\t<p>1. 按要求开设</p> <p>2. 每年举办</p>')).toEqual([
      '单位\t募集岗位数',
      '叶县\t1042',
      '二、工作开展(50分)\t1. 按要求开设 2. 每年举办',
    ]);
  });

  it('when a table row keeps a single cell, then it is still marked as a row (a leading tab)', () => {
    expect(clean('<p>14. 健全应急处置机制，完善工作预案。</p>\t')).toEqual(['\t14. 健全应急处置机制，完善工作预案。']);
  });

  it('when markup, page numbers and dot leaders are present, then they are removed', () => {
    expect(
      clean(
        '### **三、目标任务**',
        '- 12 -',
        '— 3 —',
        '7',
        '是 <input type="checkbox"/> 否 <input type="checkbox"/>',
        '截至8月31日毕业去向落实率$\\times 9$分，9分。',
        '1. 河南省人民政府办公厅关于印发某某措施的通知..... 1',
      ),
    ).toEqual(['三、目标任务', '是 □ 否 □', '截至8月31日毕业去向落实率×9分，9分。', '1. 河南省人民政府办公厅关于印发某某措施的通知']);
  });

  it('when an attachment list runs over several lines, then it becomes one line', () => {
    expect(clean('附件：1. 重点企业分布及员工规模建议', '', '2. 用工保障“三个清单”', '', '2023年3月6日')).toEqual([
      '附件：1. 重点企业分布及员工规模建议 2. 用工保障“三个清单”',
      '2023年3月6日',
    ]);
  });

  it('when clause markers use half-width parentheses, then they are normalised', () => {
    expect(clean('(十) 推进县域返乡创业载体建设。结合以县城为重要载体。')).toEqual(['（十）推进县域返乡创业载体建设。结合以县城为重要载体。']);
  });

  it('when a citation continues on the next line, then the lines are joined', () => {
    expect(continuesOnNextLine('1. 落实《关于进一步加强企业用工保障工作的通知》', '(豫就业组〔2023〕1号),根据各地重点企业名单')).toBe(true);
    expect(continuesOnNextLine('关于印发《河南省县域农民工', '市民化质量提升行动实施方案》的通知')).toBe(true);
    expect(continuesOnNextLine('副组长：厅领导及厅二级巡视员', '厅党组成员、副厅长杨昆锋为牵头领导。')).toBe(false);
  });

  it('when digit runs are compared, then whitespace and line breaks do not matter', () => {
    expect(digitSequence('最高 20\n万元，第 3 条')).toEqual(['20', '3']);
    expect(digitSequence('6110\n266')).toEqual(['6110266']);
  });
});
