/**
 * "查询 <number>" and "我的投诉怎么样了" through the real engine: a worker sees only their own
 * tickets, and a status enquiry never opens a complaint.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/core/types.js';
import { ticketMentions } from '../../src/complaints/status.js';
import { wageComplaint } from '../tickets/ticket-input.js';
import { createHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const OWNER = { channel: 'sms' as Channel, userId: '13800138000' };
const STRANGER = { channel: 'sms' as Channel, userId: '13900139000' };

async function fileFor(who: { channel: Channel; userId: string }, employer = '宏达机械厂'): Promise<string> {
  const { ticket } = await h.stores.tickets.file(
    wageComplaint({ channel: who.channel, userId: who.userId, employer, acceptDueAt: '2026-11-27T15:59:59.000Z' }),
    `test:${who.userId}:${employer}`,
  );
  return ticket.id;
}

async function allTickets(): Promise<number> {
  return (await h.stores.tickets.list({ limit: 500 })).total;
}

describe('when the worker who filed asks by number', () => {
  it('then they get the status and the acceptance date, and the view is recorded', async () => {
    h = createHarness();
    const id = await fileFor(OWNER);
    const reply = await h.say(`查询 ${id}`, OWNER);
    expect(reply).toContain(id);
    expect(reply).toContain('已登记，正在等待受理');
    expect(reply).toContain('11月27日前会决定是否受理');
    const events = await h.stores.tickets.events(id);
    expect(events.some((e) => e.type === 'viewed' && e.actor === 'worker')).toBe(true);
  });

  it('then a number typed loosely (lower case, spaces, no hyphen) is found', async () => {
    h = createHarness();
    const id = await fileFor(OWNER);
    const loose = `qx ${id.slice(2, 8)} ${id.slice(9).toLowerCase()}`;
    expect(await h.say(`查询 ${loose} 进度`, OWNER)).toContain('已登记，正在等待受理');
  });

  it('then staff acceptance and the latest staff reply are shown', async () => {
    h = createHarness();
    const id = await fileFor(OWNER);
    await h.stores.tickets.transition(id, 'accepted', { actor: 'zhang', investigationDueAt: '2027-02-20T15:59:59.000Z' });
    await h.stores.tickets.reply(id, 'zhang', '已联系厂方，约定本月底前结清。');
    const reply = await h.say(`查询${id}`, OWNER);
    expect(reply).toContain('已受理，正在调查处理');
    expect(reply).toContain('预计2月20日前处理完');
    expect(reply).toContain('工作人员最近回复：已联系厂方，约定本月底前结清。');
  });
});

describe('when someone else asks about that number', () => {
  it('then it is "not found for you", nothing of the ticket is shown, and the ways to check are given', async () => {
    h = createHarness();
    const id = await fileFor(OWNER);
    const reply = await h.say(`查询 ${id}`, STRANGER);
    expect(reply).toContain(`没有查到用您这个短信登记的编号为${id}的投诉`);
    expect(reply).not.toContain('宏达机械厂');
    expect(reply).not.toContain('等待受理');
    expect(reply).toContain('12333');
    expect(reply).toContain('首问负责制');
    expect(reply).toContain('人社局劳动保障监察窗口');
    expect((await h.stores.tickets.events(id)).some((e) => e.type === 'viewed')).toBe(false);
  });

  it('then the same user id on another channel is someone else too', async () => {
    h = createHarness();
    const id = await fileFor(OWNER);
    expect(await h.say(`查询 ${id}`, { channel: 'wechat', userId: OWNER.userId })).toContain('没有查到');
  });

  it('then an unknown number gets the very same answer as a number that exists', async () => {
    h = createHarness();
    const id = await fileFor(OWNER);
    const unknown = 'QX261101-ABCD';
    const a = (await h.say(`查询 ${id}`, STRANGER)).replace(id, '#');
    const b = (await h.say(`查询 ${unknown}`, STRANGER)).replace(unknown, '#');
    expect(a).toBe(b);
  });
});

describe('when the worker asks without a number', () => {
  it('then "我的投诉怎么样了" shows their latest complaint', async () => {
    h = createHarness();
    const id = await fileFor(OWNER);
    const reply = await h.say('我的投诉怎么样了', OWNER);
    expect(reply).toContain(id);
    expect(reply).toContain('等待受理');
  });

  it('then several complaints are listed, newest first', async () => {
    h = createHarness();
    await fileFor(OWNER, '宏达机械厂');
    await fileFor(OWNER, '鑫达包装');
    const reply = await h.say('我的投诉怎么样了', OWNER);
    expect(reply).toContain('您最近登记的投诉');
    expect(reply.match(/QX\d{6}-[0-9A-Z]{4}/g)).toHaveLength(2);
  });

  it('then a sender with no complaint is told so and how to check, and nothing is opened', async () => {
    h = createHarness();
    await fileFor(OWNER);
    const before = await allTickets();
    const reply = await h.say('我的投诉怎么样了', STRANGER);
    expect(reply).toContain('没有查到用您这个短信登记过的投诉');
    expect((await h.state(STRANGER.channel, STRANGER.userId))?.form ?? null).toBeNull();
    expect(await allTickets()).toBe(before);
  });

  it('then on the web chat the channel is named once ("这个对话窗口", not "这个这个对话窗口")', async () => {
    h = createHarness();
    const reply = await h.say('我的投诉怎么样了', { channel: 'web', userId: 'web-nobody' });
    expect(reply).toContain('没有查到用您这个对话窗口登记过的投诉');
    expect(reply).not.toContain('这个这个');
  });
});

describe('when a status enquiry mentions wages (d006)', () => {
  it('then no form opens and no ticket is filed, even with a number in another format', async () => {
    h = createHarness();
    const who = { channel: 'wechat' as Channel, userId: 'o_wx_d006' };
    const reply = await h.say('我上周投诉过欠薪 编号QX20261116-0032 现在处理到哪一步了', who);
    expect(reply).toContain('QX20261116-0032');
    expect(reply).toContain('没有查到');
    await h.say('手机尾号0606', who);
    expect((await h.state(who.channel, who.userId))?.form ?? null).toBeNull();
    expect(await allTickets()).toBe(0);
  });
});

describe('when ticket numbers are read from a message', () => {
  it('then issued ids are normalised and other QX numbers are kept as typed', () => {
    expect(ticketMentions('查询 qx261116-ab2c')).toEqual([{ id: 'QX261116-AB2C', text: 'QX261116-AB2C' }]);
    expect(ticketMentions('QX 261116 AB2C 和 QX261117-XY3Z')).toHaveLength(2);
    const nlu = [{ value: 'QX20261116-0032', start: 2, end: 17 }];
    expect(ticketMentions('编号QX20261116-0032', nlu)).toEqual([{ id: null, text: 'QX20261116-0032' }]);
  });
});
