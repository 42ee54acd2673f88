import { describe, expect, it } from 'vitest';
import {
  detectReply,
  extractEntities,
  findIdNumbers,
  findLandlines,
  findPhones,
  findPlaces,
  findTickets,
  idCheckChar,
  validateIdNumber,
} from '../../src/nlu/entities.js';
import { normalize } from '../../src/nlu/normalize.js';

const TODAY = '2025-03-15';
const entities = (text: string) => extractEntities(normalize(text), { today: TODAY });

describe('phone numbers', () => {
  it.each([
    ['13903750303', '13903750303'],
    ['电话 139-0375-0303', '13903750303'],
    ['139 0375 0303', '13903750303'],
    ['手机号15937500202', '15937500202'],
    ['+86 13803750404', '13803750404'],
    ['１３９０３７５０３０３', '13903750303'],
  ])('when the text is "%s", then the mobile number %s is found and valid', (text, digits) => {
    const [phone] = findPhones(normalize(text));
    expect(phone).toMatchObject({ value: digits, valid: true, problem: null });
  });

  it('when a number has only 10 digits, then it is reported invalid as too short', () => {
    expect(findPhones('电话1380375040')).toEqual([
      expect.objectContaining({ value: '1380375040', valid: false, problem: 'too_short', length: 10 }),
    ]);
  });

  it('when a number has 12 digits, then it is reported invalid as too long', () => {
    expect(findPhones('138037504041')[0]).toMatchObject({ valid: false, problem: 'too_long', length: 12 });
  });

  it('when an 11-digit number does not start with 13–19, then it has a bad prefix', () => {
    expect(findPhones('12903750303')[0]).toMatchObject({ valid: false, problem: 'bad_prefix' });
  });

  it('when a long number is money, then it is not a phone candidate', () => {
    expect(findPhones('贷款1500000元')).toEqual([]);
  });
});

describe('landlines', () => {
  it('when a number has an area code, then it is a landline with that code', () => {
    expect(findLandlines('0375-2626262')[0]).toMatchObject({ value: '0375-2626262', areaCode: '0375' });
    expect(findLandlines('打03752626262问问')[0]).toMatchObject({ areaCode: '0375', number: '2626262' });
  });

  it('when a 7-digit number follows 电话, then it is a local landline without area code', () => {
    expect(findLandlines('档案查询电话4996895')[0]).toMatchObject({ value: '4996895', areaCode: null });
  });
});

describe('ID numbers', () => {
  it('when the 18-digit number has the right GB 11643 check character, then it is valid', () => {
    expect(idCheckChar('11010519491231002')).toBe('X');
    expect(validateIdNumber('11010519491231002X')).toMatchObject({ valid: true, birthDate: '1949-12-31' });
    expect(findIdNumbers('身份证号11010519491231002x')[0]).toMatchObject({ value: '11010519491231002X', valid: true });
  });

  it('when the check character is wrong, then it is reported as a checksum problem', () => {
    expect(findIdNumbers('身份证410422199001011234')[0]).toMatchObject({ valid: false, problem: 'checksum' });
  });

  it('when the birth date is impossible or the length is wrong, then that is reported', () => {
    expect(validateIdNumber(`41042219901332123${idCheckChar('41042219901332123')}`).problem).toBe('birthdate');
    expect(findIdNumbers('41042219900101123')[0]).toMatchObject({ valid: false, problem: 'length' });
  });

  it('when an ID number is in the message, then it is not read as a phone or money', () => {
    const e = entities('身份证11010519491231002X 电话13903750303');
    expect(e.idNumbers).toHaveLength(1);
    expect(e.phones.map((p) => p.value)).toEqual(['13903750303']);
    expect(e.amounts).toEqual([]);
  });
});

describe('places', () => {
  it.each([
    ['鲁山', '鲁山县', 'county', '平顶山市'],
    ['在舞钢干活', '舞钢市', 'county', '平顶山市'],
    ['湛河区恒通物流园', '湛河区', 'county', '平顶山市'],
    ['叶县见习', '叶县', 'county', '平顶山市'],
    ['城乡一体化示范区', '城乡一体化示范区', 'county', '平顶山市'],
    ['平顶山', '平顶山市', 'city', '平顶山市'],
    ['我在济宁', '济宁市', 'city', '济宁市'],
    ['曲阜', '曲阜市', 'county', '济宁市'],
    ['郑州', '郑州市', 'city', '河南省'],
    ['河南', '河南省', 'province', '河南省'],
  ])('when the text is "%s", then the place is %s (%s, region %s)', (text, name, level, region) => {
    expect(findPlaces(normalize(text))[0]).toMatchObject({ name, level, region });
  });

  it('when the place is outside our regions, then it is flagged as other', () => {
    const e = entities('俺在广东打工');
    expect(e.places[0]).toMatchObject({ name: '广东省', scope: 'other', region: null });
    expect(e.otherRegion).toBe(true);
    expect(e.region).toBeNull();
  });

  it('when a county and its province are both named, then the region is the most specific one', () => {
    expect(entities('河南平顶山宝丰县').region).toBe('平顶山市');
  });

  it('when a document number contains 豫, then no place is found', () => {
    expect(findPlaces('豫政办〔2023〕17号')).toEqual([]);
  });
});

describe('household categories and personas', () => {
  it.each([
    ['俺家是脱贫户', '脱贫户'],
    ['建档立卡户', '脱贫户'],
    ['我们家是贫困户', '脱贫户'],
    ['监测户', '监测对象'],
    ['边缘户能享受吗', '监测对象'],
    ['吃低保的', '低保户'],
    ['风险消除户', '风险消除户'],
  ])('when the text is "%s", then the household is %s', (text, category) => {
    expect(entities(text).household).toBe(category);
  });

  it('when a category is denied, then the other one is kept', () => {
    const e = entities('俺家是监测户不是脱贫户');
    expect(e.household).toBe('监测对象');
    expect(e.householdMentions.find((h) => h.category === '脱贫户')?.negated).toBe(true);
  });

  it('when words hint at who writes, then personas are suggested', () => {
    expect(entities('我去年大学毕业还没工作').personas[0]).toBe('graduate');
    expect(entities('在工地打工 包工头不给钱').personas[0]).toBe('migrant');
    expect(entities('我们企业招了三个人').personas[0]).toBe('employer');
    expect(entities('俺家是脱贫户').personas[0]).toBe('poverty');
  });
});

describe('replies', () => {
  it.each([
    ['是的', 'affirm'],
    ['对', 'affirm'],
    ['对对对', 'affirm'],
    ['嗯嗯', 'affirm'],
    ['好的呀', 'affirm'],
    ['确认', 'affirm'],
    ['没错', 'affirm'],
    ['可以', 'affirm'],
    ['中', 'affirm'],
    ['OK', 'affirm'],
    ['不是', 'deny'],
    ['不对', 'deny'],
    ['没有', 'deny'],
    ['没有了', 'deny'],
    ['否', 'deny'],
    ['错了', 'deny'],
    ['不中', 'deny'],
    ['算了', 'cancel'],
    ['取消', 'cancel'],
    ['不办了', 'cancel'],
    ['退出', 'cancel'],
    ['返回', 'back'],
    ['重新开始', 'restart'],
    ['不知道', 'skip'],
  ])('when the reply is "%s", then it is %s', (text, kind) => {
    expect(detectReply(normalize(text))).toMatchObject({ kind, exact: true });
  });

  it('when the reply opens a longer message, then the rest is kept', () => {
    expect(detectReply(normalize('对，确认'))).toMatchObject({ kind: 'affirm', exact: false, rest: '确认' });
    expect(detectReply('不对 是8个人')).toMatchObject({ kind: 'deny', rest: '是8个人' });
    expect(detectReply('对的，电话是139')).toMatchObject({ kind: 'affirm', rest: '电话是139' });
  });

  it('when a question only starts like a reply, then it is not a reply', () => {
    expect(detectReply('可以贷多少')).toBeNull();
    expect(detectReply('是不是要先登记')).toBeNull();
    expect(detectReply('对于毕业生有啥政策')).toBeNull();
  });
});

describe('ticket numbers', () => {
  it.each([
    ['QX20261116-0032'],
    ['qx20261116-0032'],
    ['编号 QX 20261116 0032'],
    ['QX202611160032'],
    ['ＱＸ２０２６１１１６－００３２'],
  ])('when the text is "%s", then the ticket is QX20261116-0032', (text) => {
    expect(findTickets(normalize(text)).map((t) => t.value)).toEqual(['QX20261116-0032']);
  });

  it('when a ticket number is present, then its digits are not a date, money or phone', () => {
    const e = entities('查询QX20261116-0032');
    expect(e.dates).toEqual([]);
    expect(e.amounts).toEqual([]);
    expect(e.phones).toEqual([]);
  });
});

describe('extractEntities on whole messages', () => {
  it('when a worker reports an employer, an amount and a place, then all are found', () => {
    const e = entities('工资被拖 舞钢 宏达机械厂 欠我8600');
    expect(e.amounts.map((a) => a.value)).toEqual([8600]);
    expect(e.region).toBe('平顶山市');
    expect(e.places[0]?.name).toBe('舞钢市');
  });

  it('when the pay is per month and the time is half a year, then the rate is not a duration', () => {
    const e = entities('俺在鲁山那个养殖场干了半年 一分钱没给 说好一个月三千五');
    expect(e.amounts).toEqual([expect.objectContaining({ value: 3500, per: 'month' })]);
    expect(e.durations.filter((d) => !d.rate).map((d) => d.months)).toEqual([6]);
  });

  it('when a crew leader reports per person since last October, then the count, rate and span are found', () => {
    const first = entities('我们班组8个人都被欠工资了');
    expect(first.people?.count).toBe(8);
    const second = entities('每人欠四千五 从去年十月到现在');
    expect(second.amounts[0]).toMatchObject({ value: 4500, per: 'person' });
    expect(second.durations[0]).toMatchObject({ months: 5, from: '2024-10' });
  });
});
