import { describe, expect, it } from 'vitest';
import { understand } from '../../src/nlu/understand.js';

const TODAY = '2025-03-15';

describe('understand', () => {
  it('when a traditional-Chinese message with a typo arrives, then it is normalised, segmented and classified', () => {
    const u = understand('見習補帖怎麼申請？', { today: TODAY });
    expect(u.normalized).toBe('见习补贴怎么申请？');
    expect(u.tokens).toContain('申请');
    expect(u.intent).toBe('policy_question');
    expect(u.handler).toBe('policy_question');
    expect(u.ambiguous).toBe(false);
  });

  it('when a complaint arrives in one SMS, then intent and entities come together', () => {
    const u = understand('工资被拖 舞钢 宏达机械厂 欠我8600 电话13803750404', { today: TODAY });
    expect(u.intent).toBe('wage_complaint');
    expect(u.entities.amounts.map((a) => a.value)).toEqual([8600]);
    expect(u.entities.phones[0]).toMatchObject({ value: '13803750404', valid: true });
    expect(u.entities.region).toBe('平顶山市');
  });

  it('when a status enquiry names a ticket, then the rule and the ticket are reported', () => {
    const u = understand('我上周投诉过欠薪 编号QX20261116-0032 现在处理到哪一步了', { today: TODAY });
    expect(u.intent).toBe('ticket_status');
    expect(u.entities.tickets.map((t) => t.value)).toEqual(['QX20261116-0032']);
  });

  it('when the message is a bare topic or a bare yes, then it is ambiguous', () => {
    expect(understand('补贴', { today: TODAY }).ambiguous).toBe(true);
    expect(understand('能领吗', { today: TODAY }).ambiguous).toBe(true);
    expect(understand('?', { today: TODAY })).toMatchObject({ intent: 'unknown', ambiguous: true });
    const yes = understand('对，确认', { today: TODAY });
    expect(yes.entities.reply?.kind).toBe('affirm');
  });

  it('when the same message is understood twice, then the result is the same (pure)', () => {
    const a = understand('俺在鲁山那个养殖场干了半年 一分钱没给 说好一个月三千五', { today: TODAY });
    const b = understand('俺在鲁山那个养殖场干了半年 一分钱没给 说好一个月三千五', { today: TODAY });
    expect(b).toEqual(a);
  });
});
