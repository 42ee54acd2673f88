import { describe, expect, it } from 'vitest';
import {
  findAmounts,
  parseAmount,
  parseDate,
  parseDuration,
  parseInteger,
  parseNumber,
  parsePeopleCount,
} from '../../src/nlu/numbers.js';

const TODAY = '2025-03-15';

describe('parseNumber', () => {
  it.each([
    ['0', 0],
    ['零', 0],
    ['三', 3],
    ['十', 10],
    ['十二', 12],
    ['二十', 20],
    ['三十五', 35],
    ['一百五', 150],
    ['三百', 300],
    ['三千五', 3500],
    ['三千五百', 3500],
    ['四千五', 4500],
    ['3千5', 3500],
    ['两万三', 23000],
    ['两万三千五', 23500],
    ['一万二', 12000],
    ['一万零五百', 10500],
    ['一万零五', 10005],
    ['十万', 100000],
    ['十二万', 120000],
    ['一百五十万', 1500000],
    ['150万', 1500000],
    ['1.5万', 15000],
    ['2.3w', 23000],
    ['2,000', 2000],
    ['1,300,000', 1300000],
    ['二〇二三', 2023],
    ['一亿五', 150000000],
  ])('when given %s, then it reads %d', (text, value) => {
    expect(parseNumber(text)).toBe(value);
  });

  it('when the string starts with a bare unit or is not a numeral, then it is null', () => {
    expect(parseNumber('千万')).toBeNull();
    expect(parseNumber('万一')).toBeNull();
    expect(parseNumber('多少')).toBeNull();
    expect(parseNumber('')).toBeNull();
  });
});

describe('parseAmount', () => {
  it.each([
    ['两万三', 23000],
    ['1.5万', 15000],
    ['23000元', 23000],
    ['3千5', 3500],
    ['三百元', 300],
    ['四千五', 4500],
    ['8600', 8600],
    ['2.3w', 23000],
    ['十万', 100000],
    ['150万', 1500000],
    ['0元', 0],
    ['0', 0],
    ['两万三千五', 23500],
    ['三千五百元', 3500],
    ['一万二', 12000],
    ['十二万', 120000],
    ['2,000', 2000],
    ['2,000元', 2000],
    ['欠我8600', 8600],
    ['欠了1.5万 干了5个月', 15000],
    ['50块钱', 50],
    ['¥300', 300],
  ])('when the text is %s, then the amount is %d yuan', (text, value) => {
    expect(parseAmount(text)?.value).toBe(value);
  });

  it('when the amount says 多 or 大概, then it is flagged approximate', () => {
    expect(parseAmount('一万多')).toMatchObject({ value: 10000, approx: true });
    expect(parseAmount('欠我一万多块')).toMatchObject({ value: 10000, approx: true });
    expect(parseAmount('大概两千')).toMatchObject({ value: 2000, approx: true });
    expect(parseAmount('十多万')).toMatchObject({ value: 100000, approx: true });
    expect(parseAmount('五六千块')).toMatchObject({ value: 5000, approx: true });
    expect(parseAmount('23000元')?.approx).toBe(false);
  });

  it('when a number counts people, months or years, or is a phone or hotline, then it is not money', () => {
    expect(parseAmount('8个人')).toBeNull();
    expect(parseAmount('干了三个月')).toBeNull();
    expect(parseAmount('2023年6月')).toBeNull();
    expect(parseAmount('2023.6')).toBeNull();
    expect(parseAmount('电话13903750303')).toBeNull();
    expect(parseAmount('给12333打电话')).toBeNull();
    expect(parseAmount('一分钱没给')).toBeNull();
    expect(parseAmount('千万别告诉他')).toBeNull();
    expect(parseAmount('第三次')).toBeNull();
  });

  it('when the amount is per person, per month or per year, then the rate is marked', () => {
    expect(parseAmount('每人欠四千五')).toMatchObject({ value: 4500, per: 'person' });
    expect(parseAmount('说好一个月三千五')).toMatchObject({ value: 3500, per: 'month' });
    expect(parseAmount('3500一个月')).toMatchObject({ value: 3500, per: 'month' });
    expect(parseAmount('一天三百块')).toMatchObject({ value: 300, per: 'day' });
    expect(parseAmount('一年挣了三万')).toMatchObject({ value: 30000, per: 'year' });
    expect(parseAmount('一共欠两万')).toMatchObject({ value: 20000, per: null, total: true });
  });

  it('when there are several amounts, then findAmounts returns them in order', () => {
    expect(findAmounts('工资三千五 路费200块').map((a) => a.value)).toEqual([3500, 200]);
  });
});

describe('parseDuration', () => {
  it.each([
    ['三个月', 3],
    ['半年', 6],
    ['两年半', 30],
    ['一年', 12],
    ['5个月', 5],
    ['一年半', 18],
    ['一年三个月', 15],
    ['俩月', 2],
    ['一个半月', 1.5],
    ['十二个月', 12],
    ['毕业4年了', 48],
  ])('when the text is %s, then it lasts %d months', (text, months) => {
    expect(parseDuration(text)?.months).toBe(months);
  });

  it('when the duration says 多 or 大半年, then it is approximate', () => {
    expect(parseDuration('三个多月')).toMatchObject({ months: 3, approx: true });
    expect(parseDuration('一年多')).toMatchObject({ months: 12, approx: true });
    expect(parseDuration('大半年')?.approx).toBe(true);
  });

  it('when given in days or weeks, then months are days / 30 and days are kept', () => {
    expect(parseDuration('干了二十天')).toMatchObject({ days: 20 });
    expect(parseDuration('两个星期')).toMatchObject({ days: 14 });
  });

  it('when a span is written with dates, then months are counted to today', () => {
    expect(parseDuration('从去年十月到现在', { today: TODAY })).toMatchObject({ months: 5, from: '2024-10' });
    expect(parseDuration('2024年6月至今', { today: TODAY })?.months).toBe(9);
    expect(parseDuration('去年3月到今年1月', { today: TODAY })?.months).toBe(10);
  });

  it('when the text names a year or a month of the year, then it is not a duration', () => {
    expect(parseDuration('2023年')).toBeNull();
    expect(parseDuration('5月份开始干的')).toBeNull();
    expect(parseDuration('今年')).toBeNull();
  });
});

describe('parseDate', () => {
  it.each([
    ['去年7月', '2024-07', 'month'],
    ['23年6月', '2023-06', 'month'],
    ['2023.6', '2023-06', 'month'],
    ['2023年6月30日', '2023-06-30', 'day'],
    ['2023-06-30', '2023-06-30', 'day'],
    ['二〇二三年六月', '2023-06', 'month'],
    ['今年', '2025', 'year'],
    ['去年', '2024', 'year'],
    ['上个月', '2025-02', 'month'],
    ['三个月前', '2024-12', 'month'],
    ['昨天', '2025-03-14', 'day'],
    ['去年十月十五号', '2024-10-15', 'day'],
    ['2月', '2025-02', 'month'],
    ['十月份', '2024-10', 'month'],
  ])('when the text is %s (today %s), then the date is %s', (text, iso, precision) => {
    expect(parseDate(text, TODAY)).toMatchObject({ iso, precision });
  });

  it('when the date is relative, then it is marked so', () => {
    expect(parseDate('去年7月', TODAY)?.relative).toBe(true);
    expect(parseDate('2023年6月', TODAY)?.relative).toBe(false);
  });

  it('when the month-day is impossible, then there is no date', () => {
    expect(parseDate('2023年2月30日', TODAY)).toBeNull();
    expect(parseDate('没有日期', TODAY)).toBeNull();
  });

  it('when today is a Date, then it is read in China time', () => {
    // 2025-03-14T17:00Z is already the 15th in Beijing.
    expect(parseDate('昨天', new Date('2025-03-14T17:00:00Z'))?.iso).toBe('2025-03-14');
  });
});

describe('parseInteger and parsePeopleCount', () => {
  it.each([
    ['8个人', 8],
    ['八个人', 8],
    ['我们班组8个人', 8],
    ['十二名工人', 12],
    ['5', 5],
  ])('when the text is %s, then the integer is %d', (text, n) => {
    expect(parseInteger(text)).toBe(n);
  });

  it('when a count is only a duration, then parseInteger skips it', () => {
    expect(parseInteger('三个月')).toBeNull();
  });

  it('when people say how many they are, then the head count is read', () => {
    expect(parsePeopleCount('我们班组8个人都被欠工资了')?.count).toBe(8);
    expect(parsePeopleCount('就我自己')?.count).toBe(1);
    expect(parsePeopleCount('就我一个')?.count).toBe(1);
    expect(parsePeopleCount('我们俩')?.count).toBe(2);
    expect(parsePeopleCount('十几个人')).toMatchObject({ count: 10, approx: true });
  });

  it('when two neighbouring digits give a range (七八个, 两三个月), then it is the lower bound, approximate — not 78', () => {
    expect(parsePeopleCount('还有七八个老乡也没拿到')).toMatchObject({ count: 7, approx: true });
    expect(parsePeopleCount('三五个人')).toMatchObject({ count: 3, approx: true });
    expect(parsePeopleCount('二三十个人')).toMatchObject({ count: 20, approx: true });
    expect(parsePeopleCount('三四十号人')).toMatchObject({ count: 30, approx: true });
    expect(parseDuration('欠了七八个月工资')).toMatchObject({ months: 7, approx: true });
    expect(parseDuration('干了两三个月')).toMatchObject({ months: 2, approx: true });
    expect(parseDuration('一两天')).toMatchObject({ days: 1, approx: true });
    expect(parseDuration('干了七八年了')).toMatchObject({ months: 84, approx: true });
    // Digit by digit is still right where it is meant: a year.
    expect(parseNumber('二〇二三')).toBe(2023);
  });

  it('when 一个人 / 每人 is a rate, or 一个 counts a factory, then it is no head count', () => {
    expect(parsePeopleCount('每人欠四千五')).toBeNull();
    expect(parsePeopleCount('一个人欠五千')).toBeNull();
    expect(parsePeopleCount('在叶县一个纸箱厂')).toBeNull();
    expect(parsePeopleCount('俺一个月挣三千')).toBeNull();
  });
});
