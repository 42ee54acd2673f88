/**
 * The complaint intake driven turn by turn through the real DialogueEngine (real understanding, real
 * SQLite sessions and tickets): what the worker reads, what the bureau gets, and that nothing is filed
 * twice or lost.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/core/types.js';
import type { ActiveForm } from '../../src/dialogue/state.js';
import type { TurnContext } from '../../src/dialogue/turn.js';
import { understand } from '../../src/nlu/understand.js';
import { addWorkingDays } from '../../src/tickets/deadlines.js';
import type { Ticket } from '../../src/tickets/types.js';
import { createHarness, finishLikeTheDevHarness, TODAY, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const WX = { channel: 'wechat' as Channel, userId: 'o_wx_worker' };

async function ticketsOf(who: { channel: Channel; userId: string }): Promise<Ticket[]> {
  return h.stores.tickets.findForOwner(who.channel, who.userId, 50);
}

/** Sends the turns; returns every reply in order. */
async function talk(turns: string[], who = WX): Promise<string[]> {
  const out: string[] = [];
  for (const t of turns) out.push(await h.say(t, who));
  return out;
}

async function untilSummary(turns: string[], who = WX): Promise<string> {
  const replies = await talk(turns, who);
  let last = replies[replies.length - 1] ?? '';
  for (let i = 0; i < 8 && !last.includes('请您核对'); i++) last = await h.say('没有了', who);
  expect(last).toContain('请您核对');
  return last;
}

interface DevCase {
  id: string;
  channel: Channel;
  turns: string[];
  expect_ticket: { employer_contains: string | null; amount: number | null; workers: number | null; phone: string | null };
  lookup_ticket?: string;
}

const DEV: DevCase[] = readFileSync(new URL('../../eval/dev/dialogues.dev.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as DevCase);

describe('when the dev complaint scripts are played as the dev harness plays them', () => {
  it.each(DEV.map((c) => [c.id, c]))('then %s ends with the expected ticket (or none)', async (_id, c) => {
    h = createHarness();
    const who = { channel: c.channel, userId: `eval-${c.id}` };
    const log: string[] = [];
    let last = '';
    for (const t of c.turns) {
      last = await h.say(t, who);
      log.push(`> ${t}`, last);
    }
    await finishLikeTheDevHarness(h, last, who, log);
    const tickets = await ticketsOf(who);
    const e = c.expect_ticket;
    if (e.employer_contains === null && e.amount === null && e.phone === null) {
      expect(tickets, log.join('\n')).toHaveLength(0);
      expect((await h.state(who.channel, who.userId))?.form ?? null).toBeNull();
      return;
    }
    expect(tickets, log.join('\n')).toHaveLength(1);
    const t = tickets[0]!;
    expect(`${t.employer ?? ''} ${t.site ?? ''}`).toContain(e.employer_contains);
    expect(t.amountOwed).toBe(e.amount);
    if (e.workers === null) expect([null, 1]).toContain(t.workers);
    else expect(t.workers).toBe(e.workers);
    expect(t.phone).toBe(e.phone);
    expect(log.filter((l) => l === '> 对，确认').length).toBeLessThanOrEqual(2);
  });

  it('then d003 reads the per-person arithmetic back before filing', async () => {
    h = createHarness();
    const summary = await untilSummary(DEV.find((c) => c.id === 'd003')!.turns);
    expect(summary).toContain('每人4500元×8人，共36000元');
    expect(summary).toContain('工程项目：是');
  });

  it('then d009 reads the monthly arithmetic back before filing', async () => {
    h = createHarness();
    const summary = await untilSummary(DEV.find((c) => c.id === 'd009')!.turns, { channel: 'sms', userId: 'eval-d009' });
    expect(summary).toContain('按每月3500元×6个月计算，共21000元');
  });

  it('then d004 flags the ten-digit phone with the reason and asks for it again', async () => {
    h = createHarness();
    const who = { channel: 'sms' as Channel, userId: 'eval-d004' };
    const [, second] = await talk(DEV.find((c) => c.id === 'd004')!.turns.slice(0, 2), who);
    expect(second).toContain('您发的号码是10位，手机号应该是11位，请再发一次');
    expect((await h.state('sms', 'eval-d004'))?.form?.asking).toBe('phone');
  });
});

describe('when a worker says wages are owed', () => {
  it.each(['老板欠我工资', '包工头跑了', '干了三个月一分钱没拿到', '工资拖着不发'])(
    'then "%s" starts the intake at once, saying what will be asked and why',
    async (text) => {
      h = createHarness();
      const reply = await h.say(text, WX);
      expect(reply).toContain('我帮您登记欠薪投诉');
      expect(reply).toMatch(/大约问\d+个问题/);
      expect(reply).toContain('劳动保障监察');
      expect(reply).toMatch(/[？]/);
      expect((await h.state(WX.channel, WX.userId))?.form?.name).toBe('wage_complaint');
    },
  );

  it('then a first message that already says a lot means fewer questions', async () => {
    h = createHarness();
    const rich = await h.say('舞钢 宏达机械厂 欠我8600 电话13803750404', WX);
    h = (await h.close(), createHarness());
    const bare = await h.say('老板欠我工资', WX);
    const n = (s: string): number => Number(/大约问(\d+)个问题/.exec(s)?.[1]);
    expect(n(rich)).toBeLessThan(n(bare));
  });
});

describe('when the worker confirms the read-back', () => {
  const TURNS = ['工资被拖 舞钢 宏达机械厂 欠我8600', '电话13803750404', '就我自己', '两个月', '有欠条'];

  it('then one ticket is filed with the number, the acceptance date, 12333, the county window and the sources', async () => {
    h = createHarness();
    await untilSummary(TURNS);
    const replies = await h.replies('对，确认', WX);
    const [t] = await ticketsOf(WX);
    expect(t).toBeDefined();
    const all = replies.map((r) => r.text).join('\n');
    expect(all).toContain(t!.id);
    expect(all).toMatch(/5个工作日内（11月27日前）决定是否受理/);
    expect(all).toContain('12333');
    expect(all).toContain('舞钢市人社局劳动保障监察举报投诉窗口');
    expect(all).toContain('首问负责制');
    expect(all).toContain('欠薪举报投诉专栏');
    const cited = replies.flatMap((r) => r.citations.map((c) => c.docNo));
    expect(cited).toEqual(expect.arrayContaining(['平人社办〔2023〕78号', '豫人社办函〔2023〕30号']));
    expect(t!).toMatchObject({
      kind: 'wage_arrears',
      status: 'new',
      employer: '宏达机械厂',
      county: '舞钢市',
      amountOwed: 8600,
      workers: 1,
      phone: '13803750404',
      evidence: ['欠条'],
      isConstruction: false,
      monthsOwed: 2,
    });
    expect(t!.acceptDueAt).toBe(addWorkingDays(new Date(`${TODAY}T02:00:00Z`), 5).toISOString());
    expect(t!.transcript[0]).toMatchObject({ from: 'user', text: TURNS[0] });
    expect(t!.transcript.at(-1)).toMatchObject({ from: 'user', text: '对，确认' });
    expect(t!.transcript.some((m) => m.from === 'assistant' && m.text.includes('请您核对'))).toBe(true);
    expect(t!.description).toContain('宏达机械厂 欠我8600');
    expect((await h.state(WX.channel, WX.userId))?.form ?? null).toBeNull();
  });

  it('then a long intake keeps the whole conversation, though the session history keeps only the last turns', async () => {
    h = createHarness();
    await h.say('老板欠我工资', WX);
    for (let i = 0; i < 18; i++) await h.say('嗯', WX);
    await untilSummary(TURNS);
    await h.say('对', WX);
    const [t] = await ticketsOf(WX);
    expect(t!.transcript.length).toBeGreaterThan(40);
    expect(t!.transcript[0]).toMatchObject({ from: 'user', text: '老板欠我工资' });
    expect(t!.transcript[1]!.from).toBe('assistant');
    expect(t!.transcript[1]!.text).toContain('我帮您登记欠薪投诉');
  });

  it('then the same confirmation sent twice (double tap, new message id) still makes one ticket', async () => {
    h = createHarness();
    await untilSummary(TURNS);
    const first = await h.say('对，确认', WX);
    const second = await h.say('对，确认', WX);
    expect(await ticketsOf(WX)).toHaveLength(1);
    const id = /QX\d{6}-[0-9A-Z]{4}/.exec(first)![0];
    expect(second).not.toMatch(new RegExp(`QX\\d{6}-(?!${id.slice(-4)})[0-9A-Z]{4}`));
  });

  it('then a provider retry of the confirmation (same message id) is dropped', async () => {
    h = createHarness();
    await untilSummary(TURNS);
    await h.say('对，确认', { ...WX, messageId: 'sms-up-1' });
    const retry = await h.replies('对，确认', { ...WX, messageId: 'sms-up-1' });
    expect(retry).toEqual([]);
    expect(await ticketsOf(WX)).toHaveLength(1);
  });

  it('then two gateway processes handling the confirmation at the same moment file one ticket', async () => {
    let filings = 0;
    h = createHarness({
      wrapTickets: (real) =>
        new Proxy(real, {
          get(target, prop, receiver) {
            const v = Reflect.get(target, prop, receiver) as unknown;
            if (typeof v !== 'function') return v;
            const f = (v as (...a: unknown[]) => unknown).bind(target);
            return prop === 'file' ? (...a: unknown[]) => (filings++, f(...a)) : f;
          },
        }),
    });
    await untilSummary(TURNS);
    const other = h.secondEngine();
    const msg = (id: string) => ({ ...WX, text: '对，确认', messageId: id, receivedAt: new Date(`${TODAY}T02:00:00Z`) });
    const [a, b] = await Promise.all([h.engine.handle(msg('p1')), other.handle(msg('p2'))]);
    expect(await ticketsOf(WX)).toHaveLength(1);
    const texts = [a, b].flatMap((r) => r.replies.map((x) => x.text));
    const ids = texts.map((x) => /QX\d{6}-[0-9A-Z]{4}/.exec(x)?.[0]).filter(Boolean);
    expect(new Set(ids).size).toBe(1);
    // Both processes read the session before either saved it, so both filed: the key made it one.
    if (filings === 2) expect(texts.some((x) => x.includes('之前已经登记过了'))).toBe(true);
  });

  it('then submitting the same confirmed form twice returns the first ticket and says so', async () => {
    h = createHarness();
    await untilSummary(TURNS);
    const state = (await h.state(WX.channel, WX.userId))!;
    const form: ActiveForm = structuredClone(state.form!);
    const now = new Date(`${TODAY}T02:00:00Z`);
    const ctx = (): TurnContext => ({
      msg: { ...WX, text: '对', receivedAt: now },
      state: structuredClone(state),
      u: understand('对', { today: TODAY }),
      today: TODAY,
      now,
    });
    const one = await h.complaints.form.submit(ctx(), structuredClone(form));
    const two = await h.complaints.form.submit(ctx(), structuredClone(form));
    expect(await ticketsOf(WX)).toHaveLength(1);
    const [t] = await ticketsOf(WX);
    expect(one[0]!.text).toContain(`投诉编号是：${t!.id}`);
    expect(two[0]!.text).toContain(`之前已经登记过了，编号是：${t!.id}`);
  });

  it('then a failed filing loses nothing: the intake still awaits confirmation and the next "对" files it', async () => {
    let failOnce = true;
    h = createHarness({
      wrapTickets: (real) =>
        new Proxy(real, {
          get(target, prop, receiver) {
            if (prop === 'file' && failOnce) {
              return async () => {
                failOnce = false;
                throw new Error('disk full');
              };
            }
            const v = Reflect.get(target, prop, receiver) as unknown;
            return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
          },
        }),
    });
    await untilSummary(TURNS);
    await expect(h.say('对，确认', WX)).rejects.toThrow('disk full');
    expect(await ticketsOf(WX)).toHaveLength(0);
    expect((await h.state(WX.channel, WX.userId))?.form?.awaitingConfirmation).toBe(true);
    expect(await h.say('对', WX)).toMatch(/投诉编号是：QX/);
    expect(await ticketsOf(WX)).toHaveLength(1);
  });
});

describe('when the worker corrects or leaves', () => {
  it('then corrections at the read-back overwrite the amount and the phone', async () => {
    h = createHarness();
    await untilSummary(['舞钢 宏达机械厂 欠我8600', '电话13803750400', '就我自己']);
    const again = await h.say('不对，是2万', WX);
    expect(again).toContain('欠款：共20000元');
    expect(await h.say('电话错了 13803750404', WX)).toContain('联系电话：13803750404');
    await h.say('对', WX);
    const [t] = await ticketsOf(WX);
    expect(t).toMatchObject({ amountOwed: 20000, phone: '13803750404' });
  });

  it('then "算了" in the middle leaves no ticket and no form', async () => {
    h = createHarness();
    await talk(['老板欠我工资', '在叶县一个纸箱厂']);
    expect(await h.say('算了', WX)).toContain('已取消');
    expect((await h.state(WX.channel, WX.userId))?.form ?? null).toBeNull();
    expect(await ticketsOf(WX)).toHaveLength(0);
  });

  it('then "取消" at the read-back leaves no ticket', async () => {
    h = createHarness();
    await untilSummary(['舞钢 宏达机械厂 欠我8600 电话13803750404', '就我自己']);
    expect(await h.say('取消', WX)).toContain('已取消');
    expect(await ticketsOf(WX)).toHaveLength(0);
  });
});

describe('when the worker writes by SMS', () => {
  const SMS = { channel: 'sms' as Channel, userId: '13700001111' };

  it('then the sender number is the contact phone, read back as such, and no phone question is asked', async () => {
    h = createHarness();
    const replies = await talk(['鲁山 丰源牧业 欠我两万 就我一个人'], SMS);
    expect(replies.join('\n')).not.toContain('请发一个能打通的手机号');
    const summary = await untilSummary([], SMS);
    expect(summary).toContain('13700001111（就是您发短信的这个号码');
    await h.say('对', SMS);
    expect((await ticketsOf(SMS))[0]?.phone).toBe('13700001111');
  });

  it('then "重新开始" starts over with the sender number still the default and skipped questions asked again', async () => {
    h = createHarness();
    await talk(['鲁山 丰源牧业 欠我两万', '没有', '不知道'], SMS);
    const before = (await h.state(SMS.channel, SMS.userId))!.form!;
    expect((before.memo as { skipped: string[] }).skipped.length).toBeGreaterThan(0);
    const restarted = await h.say('重新开始', SMS);
    expect(restarted).toContain('我帮您登记欠薪投诉');
    const form = (await h.state(SMS.channel, SMS.userId))!.form!;
    expect(form.slots).toMatchObject({ phone: SMS.userId, phoneFromSender: true });
    expect(form.slots).not.toHaveProperty('employer');
    expect((form.memo as { skipped: string[] }).skipped).toEqual([]);
  });

  it('then another number given in the messages replaces the sender number', async () => {
    h = createHarness();
    await untilSummary(['鲁山 丰源牧业 欠我两万 就我一个人 打我老婆电话15237500909'], SMS);
    await h.say('对', SMS);
    expect((await ticketsOf(SMS))[0]?.phone).toBe('15237500909');
  });
});

describe('when the facts call for care', () => {
  it('then "一万多" is registered as 10000 with the note, and the worker is told', async () => {
    h = createHarness();
    const replies = await talk(['舞钢 宏达机械厂 欠我一万多 电话13803750404']);
    expect(replies[0]).toContain('您说的是“一万多”，先按10000元登记');
    const summary = await untilSummary([]);
    expect(summary).toContain('约10000元');
    await h.say('对', WX);
    const [t] = await ticketsOf(WX);
    expect(t!.amountOwed).toBe(10000);
    expect(t!.description).toContain('一万多');
  });

  it('then a group about to block the gate on a construction site goes ahead in the queue, with the reasons', async () => {
    h = createHarness();
    await untilSummary(['包工头姓王 在宝丰盖楼 欠我们十几个人工钱 都说要去堵门了', '一共二十多万', '13803750404']);
    await h.say('对', WX);
    const [t] = await ticketsOf(WX);
    expect(t!.employer).toBe('包工头王某');
    expect(t!.workers).toBe(10);
    expect(t!.priority).toBeGreaterThanOrEqual(60);
    expect(t!.priorityReasons.join(' ')).toMatch(/矛盾激化.*堵门/);
    expect(t!.priorityReasons.join(' ')).toMatch(/工程建设领域/);
  });

  it('then a worker who speaks of jumping is answered about safety at once', async () => {
    h = createHarness();
    const reply = await h.say('老板欠了我们三十多万 再不给钱我就跳楼', WX);
    expect(reply).toContain('您的安全最要紧');
    expect(reply).toContain('110');
  });

  it('then the per-person amount on a construction site is multiplied and the contractor asked', async () => {
    h = createHarness();
    const replies = await talk(['我们班组8个人都被欠工资了', '在湛河区恒通物流园项目 干钢结构的', '每人欠四千五', '13903750303']);
    let last = replies.at(-1)!;
    const seen: string[] = [last];
    for (let i = 0; i < 8 && !last.includes('请您核对'); i++) seen.push((last = await h.say('不知道', WX)));
    expect(seen.join('\n')).toContain('总包单位');
    await h.say('对', WX);
    const [t] = await ticketsOf(WX);
    expect(t).toMatchObject({ amountOwed: 36000, perPersonAmount: 4500, workers: 8, isConstruction: true, site: '恒通物流园项目' });
  });
});

describe('when the worker answers loosely, as people do', () => {
  it('then "不知道工地叫啥" is no site name, and the name question is not asked again', async () => {
    h = createHarness();
    await talk(['俺在工地干了半年活 包工头一分钱没给', '在宝丰县']);
    const reply = await h.say('不知道工地叫啥 是个小区盖楼的', WX);
    const slots = (await h.state(WX.channel, WX.userId))?.form?.slots as Record<string, unknown>;
    expect(slots.site).toBeUndefined();
    expect(slots.employer).toBeUndefined();
    expect(reply).not.toContain('不知道工地');
    expect(reply).toContain('一共欠您多少钱');
  });

  it('then a sentence about the others owed is a head count, never the employer name', async () => {
    h = createHarness();
    await talk(['俺在工地干了半年活 包工头一分钱没给', '在宝丰县', '不知道', '两万']);
    await h.say('还有七八个老乡也没拿到', WX);
    const slots = (await h.state(WX.channel, WX.userId))?.form?.slots as Record<string, unknown>;
    expect(slots.employer).toBeUndefined();
    expect(slots).toMatchObject({ workers: 7, workersApprox: true });
    const summary = await untilSummary(['13837512345', '不知道', '没有']);
    expect(summary).toContain('被欠人数：7人左右');
    expect(summary).not.toContain('78人');
  });

  it('then "有" to how many others is followed by the narrower question alone', async () => {
    h = createHarness();
    let reply = await h.say('舞钢 宏达机械厂 欠我8600', WX);
    for (let i = 0; i < 4 && !reply.includes('还有别的工友'); i++) reply = await h.say('不知道', WX);
    expect(reply).toContain('还有别的工友');
    const narrower = await h.say('有', WX);
    expect(narrower).toContain('一共几个人被欠');
    expect(narrower).not.toContain('还有别的工友');
    expect(await h.say('七八个吧', WX)).not.toContain('一共几个人被欠');
    expect((await h.state(WX.channel, WX.userId))?.form?.slots).toMatchObject({ workers: 7, workersApprox: true });
  });
});

describe('when a message answers another question than the one asked', () => {
  it('then it is kept, the worker is told so, and the question follows', async () => {
    h = createHarness();
    await talk(['厂里三个月没发工资了', '叶县', '叫天宇服装厂', '一个月四千 三个月', '就俺自己']);
    expect((await h.state(WX.channel, WX.userId))?.form?.asking).toBe('phone');
    const reply = await h.say('有打卡记录', WX);
    expect(reply).toMatch(/^好的，证据记下了。\n请发一个能打通的手机号/);
    expect((await h.state(WX.channel, WX.userId))?.form?.slots).toMatchObject({ evidence: ['考勤记录'] });
  });
});

describe('when the worker gives round figures and no names', () => {
  it('then the read-back keeps the workplace, says the sum is worked from lower bounds, and asks no construction question for a 砖厂', async () => {
    h = createHarness();
    const seen = await talk(['老板跑路了 俺们二十来个人 每人欠五六千', '郏县', '是个砖厂 老板姓赵', '去年腊月到现在', '有 聊天记录和欠条']);
    const summary = await h.say('我手机号13703751234', WX);
    expect(seen.join('\n')).not.toContain('盖楼、修路');
    expect(summary).toContain('欠薪单位：砖厂（名字不清楚），老板赵某');
    expect(summary).toContain('工程项目：不是');
    expect(summary).toMatch(/欠款：每人5000元×20人，共100000元（您说的是大概数/);
    await h.say('对', WX);
    const [t] = await ticketsOf(WX);
    expect(t).toMatchObject({ amountOwed: 100000, workers: 20, isConstruction: false });
    expect(t!.description).toContain('按下限计算');
  });

  it('then exact figures carry no such remark', async () => {
    h = createHarness();
    const summary = await untilSummary(['厂里三个月没发工资了', '叶县', '叫天宇服装厂', '一个月四千 三个月', '就俺自己', '15838291234 王']);
    expect(summary).toContain('欠款：按每月4000元×3个月计算，共12000元\n');
  });
});

describe('when the worker asks something in the middle of the intake', () => {
  it.each(['投诉要花钱不', '这个管用不', '收不收钱'])('then "%s" is answered as a question and the form goes on', async (text) => {
    h = createHarness();
    await h.say('包工头王二欠钱不给', WX);
    const reply = await h.say(text, WX);
    expect(reply).toContain('[handler:policy_question]');
    expect(reply).toContain('（我们继续刚才的问题）在哪个县');
    expect((await h.state(WX.channel, WX.userId))?.form?.slots).toMatchObject({ foreman: '包工头王二' });
  });
});
