/**
 * "我能领什么补贴" end to end: a real DialogueEngine over a real SQLite session store, the real
 * understanding layer and the real calculator. Today is fixed (2025-06-10).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultEvaluator } from '../../src/eligibility/evaluate.js';
import type { ConversationState } from '../../src/dialogue/state.js';
import { harness, SIDE_ANSWER, type Harness } from './helpers.js';

const prompt = (field: string): string => defaultEvaluator().questions.get(field)!.prompt;
const WHO_PROMPT = '请问您是哪类人员？';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => {
  await h.close();
});

async function state(user = 'u1'): Promise<ConversationState | null> {
  return h.store.get<ConversationState>(`session:web:${user}`);
}

describe('starting the form', () => {
  it('asks who the person is as a numbered choice, and a bare "1" picks the first option', async () => {
    const first = h.text(await h.say('我能领什么补贴'));
    expect(first).toContain(WHO_PROMPT);
    expect(first).toMatch(/1\. 高校毕业生\n2\. 农民工或脱贫户务工\n3\. 想创业贷款\n4\. 企业招人/);
    const second = await h.say('1');
    expect(second.intent).toBe('form:eligibility');
    expect(h.text(second)).toBe(prompt('graduation_date'));
  });

  it('an option number out of range is refused and the choice asked again', async () => {
    await h.say('我能领什么补贴');
    const r = h.text(await h.say('7'));
    expect(r).toContain('请回复1到4之间的数字');
    expect(r).toContain(WHO_PROMPT);
  });

  it('does not ask who the person is when the first message says it', async () => {
    const r = h.text(await h.say('我是脱贫户在外打工，能领啥补贴'));
    expect(r).not.toContain(WHO_PROMPT);
    // 脱贫户 is already known: the next thing the calculator needs is the wage
    expect(r).toContain(prompt('annual_wage'));
    expect(r).not.toContain(prompt('household_type'));
  });
});

describe('several facts in one message', () => {
  it('fills graduation date, employment and region from one message and answers with amounts and sources', async () => {
    await h.say('我能领什么补贴');
    await h.say('1');
    const r = await h.say('我是23年7月毕业的，现在没工作，在平顶山');
    const t = h.text(r);
    expect(t).toContain('【可以申请】');
    expect(t).toContain('一次性求职创业补贴：300 元');
    expect(t).toContain('平人社办函〔2023〕31号');
    expect(t).toContain('就业见习（见习人员资格）：符合条件');
    expect(t).toContain('毕业时间：2023年7月');
    expect(t).toContain('目前是否就业：否');
    // the region was said: no default note
    expect(t).toContain('平顶山市，2025年6月10日');
    expect(t).not.toContain('您没有说在哪里');
    const cites = r.replies.flatMap((x) => x.citations);
    expect(cites.map((c) => c.docNo)).toEqual(expect.arrayContaining(['平人社办函〔2023〕31号', '平人社办〔2023〕73号']));
    for (const c of cites) expect(t).toContain(c.docNo ?? c.title);
    expect((await state())?.form).toBeNull();
  });

  it('worker: months, yearly wage and a work place in another province give 一奖一补 with the arithmetic', async () => {
    await h.say('我是脱贫户在外打工');
    const t = h.text(await h.say('在外面干了8个月，年收入3万，在广东打工'));
    expect(t).toContain('一奖一补·务工奖补：1200 元');
    expect(t).toContain('30000 × 4% = 1200 元');
    expect(t).toContain('一奖一补·交通补贴：600 元');
    expect(t).toContain('1200 + 600 = 1800 元');
    expect(t).toContain('务工地点：省外');
    // 广东 is where they work, not where they live: Pingdingshan by default, and the reply says so
    expect(t).toContain('您没有说在哪里，按平顶山市的政策测算');
    expect(t).toContain('平巩固脱贫成果办〔2023〕7号');
  });

  it('one answer at a time works too, and a monthly wage is not turned into a yearly one', async () => {
    await h.say('我是脱贫户在外打工');
    expect(h.text(await h.say('一个月挣3000'))).toContain('一年一共挣了多少');
    expect(h.text(await h.say('一年挣了两万五'))).toBe(prompt('months_worked_away'));
    expect(h.text(await h.say('10个月'))).toBe(prompt('work_location'));
    const t = h.text(await h.say('3'));
    expect(t).toContain('25000 × 4% = 1000 元');
  });

  it('an employer message with hires answers with the expired programme flagged', async () => {
    const first = h.text(await h.say('我们公司招了3个应届生，能拿多少补贴'));
    expect(first).toContain(prompt('enterprise_size'));
    await h.say('小型');
    await h.say('2年');
    const t = h.text(await h.say('交了'));
    expect(t).toContain('社会保险补贴（吸纳就业）：符合条件');
    expect(t).toContain('【已到期】');
    expect(t).toContain('一次性吸纳就业补贴：已于2023年12月31日到期');
    expect(t).toContain('豫政办〔2023〕17号');
    expect(t.indexOf('【可以申请】')).toBeLessThan(t.indexOf('【已到期】'));
  });
});

describe('corrections, leaving, starting over', () => {
  it('"不对，是去年毕业" overwrites the graduation date and the form goes on', async () => {
    await h.say('我能领什么补贴');
    await h.say('1');
    expect(h.text(await h.say('23年7月毕业'))).toBe(prompt('employed'));
    const fix = h.text(await h.say('不对，是去年毕业'));
    expect(fix).toContain('已把毕业时间改为2024年');
    // the correction is not taken as an answer to the employment question
    expect(fix).toContain(prompt('employed'));
    const t = h.text(await h.say('没有'));
    expect(t).toContain('毕业时间：2024年');
    expect(t).toContain('【不符合】');
    expect(t).toMatch(/一次性求职创业补贴：.*2024届/);
  });

  it('"算了" leaves the form; the next message is routed as usual', async () => {
    await h.say('我能领什么补贴');
    await h.say('2');
    const r = h.text(await h.say('算了'));
    expect(r).toContain('已退出补贴测算');
    expect((await state())?.form).toBeNull();
    const after = await h.say('1');
    expect(after.intent).not.toBe('form:eligibility');
  });

  it('"重新开始" and "返回" clear the answers and ask who the person is again', async () => {
    await h.say('我能领什么补贴');
    await h.say('1');
    await h.say('23年7月毕业');
    const r = h.text(await h.say('重新开始'));
    expect(r).toContain('重新开始');
    expect(r).toContain(WHO_PROMPT);
    expect((await state())?.form?.slots).toEqual({});
    await h.say('2');
    expect(h.text(await h.say('返回'))).toContain(WHO_PROMPT);
  });

  it('"不知道" skips a question; when nothing can be decided the reply says what is missing and points to 12333', async () => {
    await h.say('我能领什么补贴');
    await h.say('2');
    await h.say('监测对象');
    await h.say('不知道');
    await h.say('不知道');
    const t = h.text(await h.say('不知道'));
    expect(t).toContain('【还不能确定】');
    expect(t).toContain('年务工收入');
    expect(t).toContain('12333');
    expect(t).not.toContain('【可以申请】');
  });
});

describe('limits', () => {
  it('asks at most six questions, then answers with what is known and names what would change it', async () => {
    const asked: string[] = [];
    let r = h.text(await h.say('我想贷款创业，能贷多少'));
    const answers = ['个人', '20万', '退役军人', '35岁', '没有', '没有', '没有', '没有'];
    for (const a of answers) {
      if (r.includes('【可以申请】') || r.includes('【不符合】')) break;
      asked.push(r);
      r = h.text(await h.say(a));
    }
    expect(asked.length).toBeLessThanOrEqual(6);
    expect(r).toContain('个人创业担保贷款（财政贴息）：200000 元（20万元）');
    expect(r).toContain('以下情况会影响结果');
    expect(r).toContain('平人社〔2023〕23号');
  });
});

describe('a question in the middle of the form', () => {
  it('is answered, then the same question is asked again and the form stays', async () => {
    await h.say('我能领什么补贴');
    await h.say('2');
    const r = h.text(await h.say('一次性求职创业补贴怎么申请？'));
    expect(r).toContain(SIDE_ANSWER);
    expect(r).toContain(prompt('household_type'));
    expect((await state())?.form?.name).toBe('eligibility');
    expect(h.text(await h.say('脱贫户'))).toBe(prompt('annual_wage'));
  });
});
