/**
 * Reading complaint facts from workers' own words: the message goes through the real understanding
 * layer (normalise + entities), then extractFacts. Each row: the form's current question (or none),
 * the message, and the facts it must yield (only the fields named are checked).
 */
import { describe, expect, it } from 'vitest';
import { inferConstruction, type Facts } from '../../src/complaints/extract.js';
import type { SlotKey } from '../../src/complaints/form-config.js';
import { readFacts } from '../../src/complaints/slots.js';
import { understand } from '../../src/nlu/understand.js';

const TODAY = '2026-11-20';

interface Expect {
  employer?: string | null;
  foreman?: string | null;
  employerKind?: string | null;
  site?: string | null;
  county?: string | null;
  cityOnly?: boolean;
  outside?: boolean;
  isConstruction?: boolean | null;
  generalContractor?: string | null;
  /** "value/per", "+p" for per person too, "~" for approximate. */
  amounts?: string[];
  months?: number | null;
  periodIncludes?: string;
  workers?: number | null;
  phones?: string[];
  workerName?: string | null;
  evidence?: string[] | null;
  escalation?: string[];
  declined?: boolean;
}

function read(text: string, asking: string | null = null, construction = false): Facts {
  const u = understand(text, { today: TODAY });
  return readFacts(u.normalized, u.entities, { asked: asking as SlotKey | null, construction });
}

function check(f: Facts, e: Expect): void {
  const pick = <T>(v: T | undefined): T | null => (v === undefined ? null : v);
  if ('employer' in e) expect(pick(f.employer)).toBe(e.employer);
  if ('foreman' in e) expect(pick(f.foreman)).toBe(e.foreman);
  if ('employerKind' in e) expect(pick(f.employerKind)).toBe(e.employerKind);
  if ('site' in e) expect(pick(f.site)).toBe(e.site);
  if ('county' in e) expect(f.county?.name ?? null).toBe(e.county);
  if ('cityOnly' in e) expect(f.county?.cityOnly).toBe(e.cityOnly);
  if ('outside' in e) expect(f.county?.outside).toBe(e.outside);
  if ('isConstruction' in e) expect(pick(f.isConstruction)).toBe(e.isConstruction);
  if ('generalContractor' in e) expect(pick(f.generalContractor)).toBe(e.generalContractor);
  if ('amounts' in e) {
    expect(f.amounts.map((a) => `${a.value}/${a.per}${a.perPersonToo ? '+p' : ''}${a.approx ? '~' : ''}`)).toEqual(e.amounts);
  }
  if ('months' in e) expect(f.period?.months ?? null).toBe(e.months);
  if (e.periodIncludes) expect(f.period?.text).toContain(e.periodIncludes);
  if ('workers' in e) expect(f.workers?.count ?? null).toBe(e.workers);
  if ('phones' in e) expect(f.phones.map((p) => (p.valid ? p.value : `${p.value}!${p.problem}`))).toEqual(e.phones);
  if ('workerName' in e) expect(pick(f.workerName)).toBe(e.workerName);
  if ('evidence' in e) expect(pick(f.evidence)).toEqual(e.evidence);
  if ('escalation' in e) expect(f.escalation.map((x) => x.split('：')[0])).toEqual(e.escalation);
  if ('declined' in e) expect(Boolean(f.declined)).toBe(e.declined);
}

const FIRST_MESSAGES: Array<[string, Expect]> = [
  ['在叶县一个纸箱厂', { employer: null, employerKind: '纸箱厂', county: '叶县' }],
  ['在鲁山县 丰收家庭农场', { employer: '丰收家庭农场', county: '鲁山县' }],
  ['在湛河区恒通物流园项目 干钢结构的', { site: '恒通物流园项目', county: '湛河区', isConstruction: true, employer: null }],
  ['舞钢 宏达机械厂 欠我8600', { employer: '宏达机械厂', county: '舞钢市', amounts: ['8600/total'] }],
  ['工资被拖 舞钢 宏达机械厂 欠我8600', { employer: '宏达机械厂', county: '舞钢市', amounts: ['8600/total'] }],
  ['养殖场叫丰源牧业', { employer: '丰源牧业', employerKind: '养殖场' }],
  ['俺在鲁山那个养殖场干了半年 一分钱没给 说好一个月三千五', { employerKind: '养殖场', county: '鲁山县', amounts: ['3500/month'], months: 6 }],
  ['每人欠四千五 从去年十月到现在', { amounts: ['4500/person'], months: 13, periodIncludes: '2025-10' }],
  ['我们班组8个人都被欠工资了', { workers: 8 }],
  ['包工头姓王 在宝丰盖楼 欠我们十几个人工钱 都说要去堵门了', { foreman: '包工头王某', county: '宝丰县', isConstruction: true, workers: 10, escalation: ['矛盾激化'] }],
  ['王老板欠我两万三', { foreman: '老板王某', amounts: ['23000/total'] }],
  ['包工头老李跑了 欠了3个月的', { foreman: '包工头李某', months: 3, isConstruction: true }],
  ['包工头跑了', { employerKind: '包工头', isConstruction: true }],
  ['在新华区幸福家园二期干活 总包是中建七局 包工头叫王建军', { site: '幸福家园二期', generalContractor: '中建七局', foreman: '包工头王建军', county: '新华区', isConstruction: true }],
  ['高新区的恒大工地 总包是中建五局 分包老板叫李红伟 欠我们班组12个人工资 一共二十三万', { site: '恒大工地', generalContractor: '中建五局', foreman: '老板李红伟', workers: 12, amounts: ['230000/total'], county: '高新区' }],
  ['我在汝州一家饭店打工 老板拖了俩月工资没发 一个月2800', { employerKind: '饭店', county: '汝州市', amounts: ['2800/month'], months: 2 }],
  ['郏县那个砖厂 老板欠俺们五个人 每人每月三千 欠了4个月', { employerKind: '砖厂', county: '郏县', workers: 5, amounts: ['3000/month+p'], months: 4 }],
  ['我在卫东区一家超市上班 超市叫好又多 欠我两个月工资 五千六', { employer: '好又多', county: '卫东区', amounts: ['5600/total'], months: 2 }],
  ['汝州温泉那边一个砖厂 欠俺们仨 每人八千多', { employerKind: '砖厂', county: '汝州市', workers: 3, amounts: ['8000/person~'] }],
  ['石龙区鑫源煤矿拖欠工资半年了 欠了4万多', { employer: '鑫源煤矿', county: '石龙区', months: 6, amounts: ['40000/total~'] }],
  ['公司叫平顶山鑫达建筑劳务有限公司 欠我们工程款20多万', { employer: '平顶山鑫达建筑劳务有限公司', county: '平顶山市', cityOnly: true, isConstruction: true, amounts: ['200000/total~'] }],
  ['工资每月三千二 从今年3月到现在一分没给', { amounts: ['3200/month'], months: 8 }],
  ['一天二百五 干了四十天', { amounts: ['250/day'] }],
  ['一万多', { amounts: ['10000/total~'] }],
  ['欠我一万二千五百块', { amounts: ['12500/total'] }],
  ['厂里三个月没发工资了 我们十几个人', { employerKind: '厂', months: 3, workers: 10 }],
  ['我在郑州一个工地 老板跑了', { county: '郑州市', outside: true, employerKind: '工地', isConstruction: true }],
  ['在平顶山干的活', { county: '平顶山市', cityOnly: true }],
  ['我叫张建国 在卫东区干装修', { workerName: '张建国', county: '卫东区', isConstruction: true }],
  ['我是带班的 电话 139-0375-0303', { phones: ['13903750303'], workerName: null }],
  ['我是鲁山的 老板欠钱不给', { workerName: null, county: '鲁山县' }],
  ['老板欠了我们三十多万 要跳楼了', { amounts: ['300000/total~'], escalation: ['人身安全风险'] }],
  ['活干完了 钱不给 大家准备集体上访', { escalation: ['矛盾激化', '群体性讨薪'] }],
  ['我不想闹事 就想要回工资', { escalation: [] }],
  ['有欠条 也有微信聊天记录 没签合同', { evidence: ['欠条', '聊天记录'] }],
  ['电话1380375040', { phones: ['1380375040!too_short'] }],
  ['少打了一位 13803750404', { phones: ['13803750404'], workers: null }],
  ['不对，是2万', { amounts: ['20000/total'] }],
  ['电话错了 13803750404', { phones: ['13803750404'] }],
  ['对，确认', { amounts: [], phones: [], employer: null, workerName: null, evidence: null }],
  ['我要投诉 包工头王二欠钱不给', { foreman: '包工头王二' }],
  ['老板刘建军跑了', { foreman: '老板刘建军' }],
  ['老板娘不给钱', { foreman: null }],
  ['不知道工地叫啥 是个小区盖楼的', { site: null, employer: null }],
];

describe('when a worker describes the case in their own words', () => {
  it.each(FIRST_MESSAGES)('then "%s" reads as expected', (text, e) => {
    check(read(text), e);
  });
});

/** Answers to the question the form just asked: [slot asked, message, expected]. */
const BARE_ANSWERS: Array<[string, string, Expect]> = [
  ['employerName', '叫鑫达包装', { employer: '鑫达包装' }],
  ['employer', '宏发物流', { employer: '宏发物流' }],
  ['employer', '就是那个宏发', { employer: '宏发' }],
  ['employer', '不知道', { employer: null, declined: true }],
  ['employerName', '每人欠四千五 从去年十月到现在', { employer: null, amounts: ['4500/person'] }],
  ['employerName', '姓王', { foreman: '老板王某', workerName: null }],
  ['employerName', '不知道叫啥 在叶县县城一个饭店', { employer: null, employerKind: '饭店', county: '叶县' }],
  ['workers', '就我自己', { workers: 1 }],
  ['workers', '没有了', { workers: 1 }],
  ['workers', '3个', { workers: 3 }],
  ['workers', '8', { workers: 8, amounts: [] }],
  ['workers', '俺们五个', { workers: 5 }],
  ['workers', '就俺一个', { workers: 1 }],
  ['workers', '有', { workers: null }],
  ['phone', '15937500202', { phones: ['15937500202'] }],
  ['phone', '13812345678 李师傅', { phones: ['13812345678'], workerName: '李师傅' }],
  ['phone', '138 1234 5678', { phones: ['13812345678'] }],
  ['phone', '0375-2681234', { phones: ['0375-2681234'] }],
  ['phone', '138123456789', { phones: ['138123456789!too_long'] }],
  ['phone', '12345678901', { phones: ['12345678901!bad_prefix'] }],
  ['name', '老王', { workerName: '老王' }],
  ['name', '张建国', { workerName: '张建国' }],
  ['name', '我姓周', { workerName: '周某' }],
  ['name', '不说', { workerName: null, declined: true }],
  ['evidence', '没有了', { evidence: [] }],
  ['evidence', '啥都没有', { evidence: [] }],
  ['evidence', '有个记工本', { evidence: ['考勤记录'] }],
  ['evidence', '有工友作证 还有考勤表', { evidence: ['考勤记录', '工友证人'] }],
  ['evidence', '欠条有 合同没签', { evidence: ['欠条'] }],
  ['evidence', '聊天记录都删了', { evidence: null }],
  ['generalContractor', '平煤神马建工集团', { generalContractor: '平煤神马建工集团', employer: null }],
  ['generalContractor', '不知道', { generalContractor: null, declined: true }],
  ['isConstruction', '是的', { isConstruction: true }],
  ['isConstruction', '不是', { isConstruction: false }],
  ['county', '在新城区', { county: '城乡一体化示范区' }],
  ['period', '去年腊月到现在', { periodIncludes: '去年腊月到现在', months: null }],
  ['employerName', '还有七八个老乡也没拿到', { employer: null, workers: 7 }],
  ['employerName', '没人跟我一起', { employer: null, workers: 1 }],
  ['workers', '七八个吧', { workers: 7 }],
  ['workers', '没有合同 就有个记工本', { workers: null, evidence: ['考勤记录'] }],
  ['phone', '姓刘', { phones: [], workerName: '刘某' }],
];

describe('when the form has asked one thing and the answer is bare', () => {
  it.each(BARE_ANSWERS)('then asking %s, "%s" fills it', (asking, text, e) => {
    check(read(text, asking), e);
  });

  it('then a bare surname names the 包工头 on a construction job', () => {
    check(read('姓王', 'employerName', true), { foreman: '包工头王某' });
  });

  it('then a phone number sent while the period is asked is a phone, not a period', () => {
    const f = read('13803752222', 'period');
    expect(f.period).toBeUndefined();
    expect(f.phones.map((p) => p.value)).toEqual(['13803752222']);
  });

  it('then "不知道叫啥" says the name is unknown, so it is not asked again', () => {
    expect(read('不知道叫啥 在叶县县城一个饭店', 'employer').nameUnknown).toBe(true);
    expect(read('叫鑫达包装', 'employerName').nameUnknown).toBeUndefined();
  });

  it('then a question is not taken for a name', () => {
    check(read('总包单位是啥意思', 'employer'), { employer: null });
    expect(read('总包单位是啥意思', 'employer').question).toBe(true);
  });
});

describe('when only the kind of workplace is known', () => {
  it('then construction is inferred from 项目/工地 and 建筑 companies, and ruled out for 厂/养殖场', () => {
    expect(inferConstruction({ site: '恒通物流园项目' })).toBe(true);
    expect(inferConstruction({ employer: '鑫达建筑劳务有限公司' })).toBe(true);
    expect(inferConstruction({ employerKind: '包工头' })).toBe(true);
    expect(inferConstruction({ employer: '宏达机械厂' })).toBe(false);
    expect(inferConstruction({ employer: '丰源牧业', employerKind: '养殖场' })).toBe(false);
    expect(inferConstruction({ employer: '鑫达包装', employerKind: '纸箱厂' })).toBe(false);
    expect(inferConstruction({ employer: '宏发' })).toBeUndefined();
    expect(inferConstruction({ employerKind: '砖厂' })).toBe(false);
  });
});
