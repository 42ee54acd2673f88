import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/nlu/normalize.js';
import { addTerms, expandQuery, isPolicyTerm, patternTerms, segment } from '../../src/nlu/segment.js';

const words = (text: string) => segment(normalize(text));
const expanded = (text: string) => new Map(expandQuery(words(text)).map((w) => [w.token, w.weight]));

describe('segment', () => {
  it('when a message names policy terms, then each stays one token', () => {
    expect(words('申请一次性求职创业补贴要什么材料')).toContain('一次性求职创业补贴');
    expect(words('创业担保贷款能贷多少')).toContain('创业担保贷款');
    expect(words('稳岗扩岗专项贷款怎么申请')).toContain('稳岗扩岗专项贷款');
    expect(words('俺家是脱贫人口')).toContain('脱贫人口');
    expect(words('公益性岗位一个月多少钱')).toContain('公益性岗位');
  });

  it('when a message has particles, pronouns and punctuation, then they are dropped', () => {
    const w = words('我想问一下，俺家的补贴啥时候发呀？');
    for (const stop of ['我', '俺', '的', '呀', '，', '？']) expect(w).not.toContain(stop);
    expect(w).toContain('补贴');
  });

  it('when ASCII letters appear, then tokens are lower-cased', () => {
    expect(words('QX查询')).toContain('qx');
  });

  it('when the knowledge base adds a term at start-up, then it is segmented whole', () => {
    expect(words('豫农工通知')).not.toContain('豫农工');
    addTerms(['豫农工']);
    expect(words('豫农工通知')).toContain('豫农工');
    expect(isPolicyTerm('豫农工')).toBe(true);
  });
});

describe('expandQuery', () => {
  it('when a colloquial word is used, then the policy terms are added with a lower weight', () => {
    const e = expanded('实习补贴发给谁');
    expect(e.get('实习补贴')).toBe(1);
    expect(e.get('见习补贴')).toBe(0.8);
  });

  it.each([
    ['创业贷款能贷多少', '创业担保贷款'],
    ['找工作的补贴', '求职创业补贴'],
    ['俺家是贫困户', '脱贫户'],
    ['老板不给钱', '欠薪'],
    ['包工头跑了', '施工总承包'],
    ['路费能报吗', '交通补贴'],
    ['出去打工', '务工'],
    ['孩子上学', '随迁子女'],
    ['房租能补吗', '场地租金'],
    ['档案在哪', '档案转递'],
  ])('when the query is "%s", then it is expanded with %s', (text, term) => {
    expect(expanded(text).has(term)).toBe(true);
  });

  it('when a long policy term is used, then the shorter terms inside it are added at half weight', () => {
    expect(expanded('一次性求职创业补贴').get('求职创业补贴')).toBe(0.5);
  });

  it('when a token is both original and a synonym target, then it keeps weight 1', () => {
    const e = expandQuery(['欠薪', '欠钱']);
    expect(e.filter((w) => w.token === '欠薪')).toEqual([{ token: '欠薪', weight: 1 }]);
  });
});

describe('policy terms inside longer ones', () => {
  it('when a text says 乡村公益性岗位 or 职业技能培训, then it is indexed under 公益性岗位 and 技能培训 too', async () => {
    const { analyze } = await import('../../src/knowledge/clause-index.js');
    const terms = analyze('乡村公益性岗位补贴期限一般不超过3年，参加职业技能培训');
    expect(terms).toContain('乡村公益性岗位');
    expect(terms).toContain('公益性岗位');
    expect(terms).toContain('技能培训');
  });
});

describe('phrase patterns (synonyms.yaml patterns)', () => {
  it('when a shop is opened with words in between (开个奶茶店, 开了家小饭馆), then the question is about 创业', () => {
    for (const q of ['我是大学毕业生 想自己开个奶茶店 能有啥补贴', '开了家小饭馆', '想开一间理发店', '回村开个厂']) {
      expect(patternTerms(q)).toContain('创业');
    }
  });

  it('when 开 is about something else (开会, 开证明, 开工资), then no pattern applies', () => {
    for (const q of ['明天开会吗', '开个证明要啥材料', '厂里不给开工资']) expect(patternTerms(q)).toEqual([]);
  });
});
