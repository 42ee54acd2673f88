/**
 * Issue 15, "Complaint intake that gets every case right in few messages": each case of the issue as
 * workers wrote it, plus two paraphrases of ours (other words, another persona), played through the
 * real engine and finished as the dev harness finishes (eval/dev/README.md): "对，确认" to a read-back,
 * "不说" to a name question, "没有" to an evidence question, "不知道" to anything else.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { renderSms, segmentCount, smsLength } from '../../src/channels/sms/length.js';
import type { Channel } from '../../src/core/types.js';
import type { Ticket } from '../../src/tickets/types.js';
import { createHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const SIGN = { signName: '平顶山人社', template: '${content}' };
const segments = (text: string): number => segmentCount(smsLength(renderSms(SIGN, text)));

interface Played {
  replies: string[];
  /** Messages the harness added after the scripted turns. */
  added: number;
  tickets: Ticket[];
}

async function play(turns: string[], who: { channel: Channel; userId: string }, lastReply = ''): Promise<Played> {
  const replies: string[] = [];
  let last = lastReply;
  for (const t of turns) replies.push((last = await h.say(t, who)));
  let added = 0;
  const filed = async () => (await h.stores.tickets.findForOwner(who.channel, who.userId)).length > 0;
  for (; added < 8 && !(await filed()); added++) {
    let answer: string;
    if (/确认|对吗|对不对|是否正确|有没有(错|问题)|核对/.test(last)) answer = '对，确认';
    else if (/怎么称呼|姓名|名字|贵姓|您姓/.test(last)) answer = '不说';
    else if (/欠条|合同|考勤|证据|工资条|聊天记录|转账记录/.test(last)) answer = '没有';
    else if (/[?？]|请(问|告诉|发|回复|提供|说)|麻烦/.test(last)) answer = '不知道';
    else break;
    replies.push((last = await h.say(answer, who)));
  }
  return { replies, added, tickets: await h.stores.tickets.findForOwner(who.channel, who.userId) };
}

const SMS = (n: number) => ({ channel: 'sms' as Channel, userId: `1370000${String(n).padStart(4, '0')}` });
const WX = (n: number) => ({ channel: 'wechat' as Channel, userId: `o_wx_i15_${n}` });

describe('when a worker gives a rough total and then the exact one', () => {
  it.each<[string, string[], number]>([
    ['the issue: 大概两万出头 准数是20350', ['舞钢宏达机械厂欠我工资 大概两万出头 准数是20350'], 20350],
    ['paraphrase, SMS: 具体是 in the same message', ['叶县天宇服装厂拖我工资 一万八左右 具体是18650块'], 18650],
    ['paraphrase, construction: 说错了 in a later message', ['包工头姓王 在宝丰县盖楼 欠我两万', '说错了 是两万一千五'], 21500],
    ['a corrected monthly wage: the rate is corrected, the total worked out', ['叶县天宇服装厂欠我工资 一个月三千 不对 是三千五 欠了4个月'], 14000],
  ])('then %s files the exact figure, not marked approximate', async (_label, turns, amount) => {
    h = createHarness();
    const who = SMS(1);
    const { tickets, added } = await play(turns, who);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]!.amountOwed).toBe(amount);
    expect(tickets[0]!.description).not.toContain('约数');
    expect(added).toBeLessThanOrEqual(2);
  });
});

describe('when several workers each give their own amount', () => {
  it.each<[string, string[], number, number, string[]]>([
    ['the issue: 我五千 我兄弟四千五', ['鲁山县丰源牧业欠钱 我五千 我兄弟四千五 电话15237500909'], 9500, 2, ['我5000元', '我兄弟4500元']],
    ['paraphrase, a couple on SMS', ['俺和俺媳妇在郏县金地饭店干活 老板不给钱 俺六千 俺媳妇三千八'], 9800, 2, ['我6000元', '俺媳妇3800元']],
    ['paraphrase, three workmates', ['湛河区恒达家具厂欠工资 老李4000 老张3500 我5000 电话13903750303'], 12500, 3, ['老李4000元', '老张3500元', '我5000元']],
  ])('then %s is summed and listed per person', async (_label, turns, total, workers, each) => {
    h = createHarness();
    const who = SMS(2);
    const { tickets, replies } = await play(turns, who);
    expect(tickets).toHaveLength(1);
    const t = tickets[0]!;
    expect(t.amountOwed).toBe(total);
    expect(t.workers).toBe(workers);
    for (const e of each) expect(t.description).toContain(e);
    expect(replies.join('\n')).toContain(`共${total}元`);
  });
});

describe('when the worker answers loosely, again and again', () => {
  it.each<[string, string[], Channel]>([
    ['the issue: 没太明白 again and again', ['老板不给钱', '就那个厂子', '不知道', '反正就是不给'], 'wechat'],
    ['paraphrase, SMS: only grumbles', ['包工头跑了', '哎', '说了也没用', '唉 就是没钱'], 'sms'],
    ['paraphrase, questions back', ['工钱一直拖着', '你们能管吗', '不晓得', '随便吧'], 'wechat'],
  ])('then %s still ends in one ticket, marked incomplete, and no sentence is said twice in a row', async (_label, turns, channel) => {
    h = createHarness();
    const who = channel === 'sms' ? SMS(3) : WX(3);
    const { tickets, replies } = await play(turns, who);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]!.description).toMatch(/信息不全|待电话补全/);
    for (let i = 1; i < replies.length; i++) expect(replies[i], replies.join('\n---\n')).not.toBe(replies[i - 1]);
    expect(replies.join('\n')).not.toContain('没太明白您的意思');
  });

  it('then two answers it cannot read for an optional question skip it', async () => {
    h = createHarness();
    const who = WX(4);
    let reply = await h.say('舞钢宏达机械厂 每人欠8600 电话13803750404', who);
    expect(reply).toContain('一共几个人被欠');
    reply = await h.say('嗯嗯', who);
    expect(reply).toContain('一共几个人？');
    reply = await h.say('随便', who);
    expect(reply).not.toContain('几个人');
    expect(reply).toContain('一共欠您多少钱');
  });

  it('then a county it cannot read is asked narrower, then with numbered choices, and a number picks one', async () => {
    h = createHarness();
    const who = SMS(5);
    await h.say('宏达机械厂欠我8600', who);
    const narrower = await h.say('不知道', who);
    expect(narrower).toContain('没认出这个地方');
    const choices = await h.say('就那边', who);
    expect(choices).toMatch(/回数字：1新华 2卫东/);
    expect(segments(choices)).toBe(1);
    const next = await h.say('5', who);
    expect(next).toContain('舞钢市');
  });
});

describe('when the first message carries everything required', () => {
  it.each<[string, string, { channel: Channel; userId: string }]>([
    ['the issue: place, employer, amount, months, head count, phone in one SMS', '叶县鑫达纸箱厂 老板姓刘 欠我们3个人工资 一个月3500 欠了4个月 电话13803750404', SMS(6)],
    ['paraphrase, WeChat, a foreman on a site', '我在新华区幸福家园工地 包工头叫王建军 欠我两万三 干了五个月 我电话15937500202', WX(6)],
    ['paraphrase, SMS from the worker’s own phone, no number given', '汝州市金鑫砖厂欠俺半年工资 一共一万八', SMS(7)],
  ])('then %s: the read-back at once, one combined optional question, filed within two more messages', async (_label, text, who) => {
    h = createHarness();
    const first = await h.say(text, who);
    expect(first).not.toContain('大约问');
    expect(first).toMatch(/核对/);
    expect(first).toMatch(/还可以补充：.*（没有就回“没有”）/);
    if (who.channel === 'sms') expect(segments(first)).toBeLessThanOrEqual(2);
    const { tickets, added } = await play([], who, first);
    expect(tickets).toHaveLength(1);
    expect(added).toBeLessThanOrEqual(2);
  });

  it('then answering the combined question instead of confirming still files within two messages', async () => {
    h = createHarness();
    const who = SMS(8);
    await h.say('舞钢宏达机械厂欠我8600 电话13803750404', who);
    const second = await h.say('姓李 有欠条', who);
    expect(second).toMatch(/确认/);
    expect(second).not.toContain('还可以补充');
    await h.say('对', who);
    const [t] = await h.stores.tickets.findForOwner(who.channel, who.userId);
    expect(t).toMatchObject({ workerName: '李某', evidence: ['欠条'], amountOwed: 8600 });
  });
});

describe('when the intake talks by SMS', () => {
  it('then the ticket-issued message is one message of at most two segments, number, deadline and progress first', async () => {
    h = createHarness();
    const who = SMS(9);
    const { replies } = await play(['鲁山丰源牧业欠我两万 干了半年'], who);
    const filed = replies.at(-1)!;
    expect(segments(filed)).toBeLessThanOrEqual(2);
    expect(filed).toMatch(/^登记好了，投诉编号QX\d{6}-[0-9A-Z]{4}。11月27日前决定是否受理/);
    expect(filed).toContain('查进度发“查询 QX');
    for (const r of replies) expect(segments(r), r).toBeLessThanOrEqual(2);
  });

  it('then every question, with the introduction when it comes first, fits one segment with the signature', async () => {
    h = createHarness();
    for (const s of h.complaints.config.slots) {
      for (const q of [s.question, ...Object.values(s.variants), ...Object.entries(s.reask).filter(([k]) => k !== 'approx' && k !== 'outside').map(([, v]) => v)]) {
        const text = q.replace(/\{[a-z]+\}/g, '纸箱厂');
        expect(segments(text), text).toBe(1);
      }
    }
    // The introduction comes before the first question, whichever it is.
    const intro = h.complaints.config.intro.replace('{count}', '4');
    for (const s of h.complaints.config.slots.filter((x) => ['employer', 'county', 'employerName', 'amount', 'phone'].includes(x.key))) {
      for (const q of [s.question, ...Object.values(s.variants)]) {
        const text = `${intro}\n${q.replace(/\{[a-z]+\}/g, '恒通物流园项目')}`;
        expect(segments(text), text).toBe(1);
      }
    }
  });
});

describe('when the ticket is filed', () => {
  it.each<[string, string[], string, string]>([
    ['the issue: 叶县鑫达纸箱厂 老板姓刘, 车间 said later', ['叶县鑫达纸箱厂 老板姓刘 欠我两万', '我在车间干活 电话13803750404'], '叶县鑫达纸箱厂，老板刘某', '叶县'],
    ['paraphrase, a company with its county', ['宝丰县恒源食品厂拖我工资 八千', '在包装车间 老板姓张 15937500202'], '宝丰县恒源食品厂，老板张某', '宝丰县'],
    ['paraphrase, county and company apart', ['郏县 兴旺养殖场 欠我一万二 场长姓孙', '我在猪舍干的 13903750303'], '兴旺养殖场', '郏县'],
  ])('then %s keeps the county and the employer as said', async (_label, turns, employer, county) => {
    h = createHarness();
    const who = WX(10);
    const { tickets } = await play(turns, who);
    const t = tickets[0]!;
    expect(t.employer).toContain(employer);
    expect(t.employer).not.toContain('车间');
    expect(t.county).toBe(county);
    expect(t.description).toContain(`地点：${county}`);
  });

  it.each<[string, string[], number, number]>([
    ['the issue: 3500 a month', ['俺在鲁山那个养殖场干了半年 一分钱没给 说好一个月三千五', '养殖场叫丰源牧业', '15237500909'], 21000, 21000],
    ['paraphrase, a group paid monthly', ['我们3个人在叶县鑫达纸箱厂干活 一个月3500 欠了4个月 电话13803750404'], 42000, 14000],
    ['paraphrase, a day rate', ['在卫东区好又多超市卸货 一天二百 干了三十天没给 13703751234'], 6000, 6000],
  ])('then %s keeps the amount per person', async (_label, turns, total, perPerson) => {
    h = createHarness();
    const who = WX(11);
    const { tickets } = await play(turns, who);
    const t = tickets[0]!;
    expect(t.amountOwed).toBe(total);
    expect(t.perPersonAmount).toBe(perPerson);
    expect(t.description).toContain(`每人欠款：${perPerson}元`);
  });

  it.each<[string, string[], string]>([
    ['the issue: a rough total', ['舞钢宏达机械厂欠我一万多 电话13803750404'], '10000元（约数）'],
    ['paraphrase, a range per person', ['郏县砖厂 老板姓赵 俺们二十来个人 每人欠五六千 13703751234'], '100000元（约数）'],
    ['paraphrase, 出头', ['石龙区鑫源煤矿欠我三万出头 13837512345'], '30000元（约数）'],
  ])('then %s is marked approximate, the lower bound filed', async (_label, turns, line) => {
    h = createHarness();
    const who = WX(12);
    const { tickets } = await play(turns, who);
    expect(tickets[0]!.description).toContain(`欠款合计：${line}`);
  });

  it('then the summary is structured for the inspector and the transcript is kept apart', async () => {
    h = createHarness();
    const who = WX(13);
    const { tickets } = await play(['老板不给钱', '在叶县一个纸箱厂', '叫鑫达包装', '欠了1.5万 干了5个月', '就我自己', '15937500202'], who);
    const t = tickets[0]!;
    for (const label of ['投诉人：', '地点：叶县', '欠薪单位：鑫达包装', '欠款合计：15000元', '欠薪时间：', '被欠人数：1人', '证据：', '电话15937500202']) {
      expect(t.description).toContain(label);
    }
    expect(t.description).not.toMatch(/不知道|对，确认|^对$/m);
    expect(t.transcript.filter((m) => m.from === 'user').map((m) => m.text)).toContain('叫鑫达包装');
  });
});

describe('when the worker answers the read-back', () => {
  it('then "不对" asks what to change, "金额是9000" replaces the amount, and the next "对" files it', async () => {
    h = createHarness();
    const who = WX(20);
    await h.say('舞钢宏达机械厂欠我8600 电话13803750404', who);
    expect(await h.say('不对', who)).toContain('哪一项需要改');
    expect(await h.say('金额是9000', who)).toContain('欠款：共9000元');
    await h.say('对', who);
    const [t] = await h.stores.tickets.findForOwner(who.channel, who.userId);
    expect(t!.amountOwed).toBe(9000);
  });

  it('then answers it cannot read never get the same reply twice in a row', async () => {
    h = createHarness();
    const who = SMS(21);
    const replies = [await h.say('舞钢宏达机械厂欠我8600', who)];
    for (const t of ['不对', '嗯那个', '这个那个', '还是那样', '就这样吧那个']) replies.push(await h.say(t, who));
    for (let i = 1; i < replies.length; i++) expect(replies[i], replies.join('\n---\n')).not.toBe(replies[i - 1]);
    expect(replies.join('\n')).not.toContain('没太明白您的意思');
  });
});

describe('when other workers file, the inspector gets the same structured summary', () => {
  it.each<[string, string[], { channel: Channel; userId: string }, string[]]>([
    ['an SMS worker who says little', ['宝丰县恒源食品厂欠我八千', '不知道'], SMS(30), ['地点：宝丰县', '欠薪单位：宝丰县恒源食品厂', '欠款合计：8000元', '电话13700000030（发短信的号码）', '证据：未说明']],
    ['a construction group with a contractor', ['我们12个人在高新区恒大工地干活 总包是中建五局 分包老板叫李红伟 一共欠二十三万 电话13903750303', '有考勤记录'], WX(31), ['地点：高新区 恒大工地', '总包单位：中建五局', '欠款合计：230000元', '被欠人数：12人', '证据：考勤记录']],
  ])('then %s: one fact a line, none of the conversation glued in', async (_label, turns, who, lines) => {
    h = createHarness();
    const { tickets } = await play(turns, who);
    const t = tickets[0]!;
    for (const l of lines) expect(t.description).toContain(l);
    expect(t.description).not.toMatch(/不知道|对，确认/);
    expect(t.transcript.length).toBeGreaterThan(turns.length);
  });
});
