/**
 * A complaint always interrupts an open form (issue 14): "老板欠了我工资" in the middle of the subsidy
 * calculator starts the complaint intake at once; when the complaint is filed (or dropped) the
 * calculator is offered again, and "继续" takes it up where it stopped. The state that holds the form set
 * aside is stored like the rest of the conversation, on both backends, through the real HTTP API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, joined, type TestApp } from '../helpers/app.js';
import { testRedisUrl } from '../helpers/redis.js';

describe.each([
  ['embedded store', false],
  ['Redis', true],
] as const)('on %s', (_name, redis) => {
  let t: TestApp;
  let n = 0;
  beforeAll(async () => {
    t = await createTestApp(redis ? { REDIS_URL: testRedisUrl() } : {});
  });
  afterAll(async () => {
    await t.close();
  });

  const converse = async (turns: string[]) => {
    const user = `interrupt-${redis ? 'r' : 's'}-${Date.now()}-${++n}`;
    const out: string[] = [];
    for (const x of turns) out.push(joined(await t.chat(user, x)));
    return out;
  };

  it.each([
    ['帮我算算创业担保贷款能贷多少', '老板欠了我三个月工资 8000块 一直不给', '叶县鑫达纸箱厂', '13912345678 姓李'],
    ['我能领什么补贴 帮我测算一下', '包工头拖了俺两个月工钱 5000 不给', '宝丰县一个砖厂 叫鑫旺建材', '13703750123'],
  ])('%s → %s: the complaint first, the calculator after', async (start, complaint, employer, phone) => {
    const [first, second, , readBack, filed, resumed] = await converse([start, complaint, employer, phone, '对', '继续']);
    expect(first).toMatch(/算算|测算/);
    // The complaint is taken up at once, not swallowed by the calculator's question.
    expect(second).toMatch(/投诉/);
    expect(second).not.toMatch(/您想申请哪种|（我们继续刚才的问题）/);
    expect(readBack).toMatch(/核对/);
    expect(filed).toMatch(/投诉编号是：QX/);
    expect(filed).toMatch(/刚才的补贴测算还没做完，回“继续”接着来/);
    expect(resumed).toMatch(/接着刚才的补贴测算/);
    expect(resumed).toMatch(/？/);
  });

  it('a complaint dropped with 取消 also offers the calculator again; without 继续 nothing is forced', async () => {
    const [, , dropped, other] = await converse(['帮我算算创业担保贷款能贷多少', '老板欠了我工钱不给', '取消', '见习补贴发给谁']);
    expect(dropped).toMatch(/刚才的补贴测算还没做完/);
    expect(other).not.toMatch(/您想申请哪种创业担保贷款/);
  });

  it('a question on the law inside the calculator is answered, and the calculator goes on', async () => {
    const [, second] = await converse(['帮我算算创业担保贷款能贷多少', '法律上总包拖欠农民工工资谁负责']);
    expect(second).not.toMatch(/我帮您登记欠薪投诉/);
  });
});

describe('a question about unpaid wages that tells no case of one’s own is answered, and the intake offered in one line', () => {
  let t: TestApp;
  let n = 0;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });
  const ask = async (text: string) => joined(await t.chat(`offer-${++n}`, text));

  it.each(['年底了 有没有专门查拖欠农民工工资的行动', '快过年了 政府会不会集中查欠薪的老板'])('%s', async (q) => {
    const reply = await ask(q);
    expect(reply).not.toMatch(/我帮您登记欠薪投诉/);
    expect(reply.split('\n').at(-1)).toMatch(/需要我帮您登记投诉吗？回“投诉”/);
  });
  it.each(['济宁那边根治欠薪 包保人员多久去一次工地', '济宁根治欠薪网格化 包保的人一个月去工地几次'])('%s: a frequency answers how often', async (q) => {
    const reply = await ask(q);
    expect(reply).not.toMatch(/我帮您登记欠薪投诉/);
    expect(reply).toMatch(/每月至少1次/);
  });
  it.each(['老板不给钱怎么办', '包工头跑了 工钱找谁要'])('%s: the person’s own case still starts the intake', async (q) => {
    expect(await ask(q)).toMatch(/登记欠薪投诉/);
  });
  it('"投诉" after the offer starts the intake', async () => {
    const user = `offer-${++n}`;
    await t.chat(user, '年底了 有没有专门查拖欠农民工工资的行动');
    expect(joined(await t.chat(user, '投诉'))).toMatch(/登记欠薪投诉/);
  });
});

describe('a question inside the calculator is read as about what started it', () => {
  let t: TestApp;
  let n = 0;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });
  it.each([
    ['帮我算算创业担保贷款能贷多少', '个人', '不知道 最多能贷多少'],
    ['给我测算一下创业贷款', '个人', '不清楚 上限是多少'],
  ])('%s → %s → %s: the limit, and the form goes on without offering itself', async (a, b, c) => {
    const user = `side-${++n}`;
    await t.chat(user, a);
    await t.chat(user, b);
    const reply = joined(await t.chat(user, c));
    expect(reply).toMatch(/20万/);
    expect(reply).not.toMatch(/回“帮我算算”/);
    expect(reply).toMatch(/我们继续刚才的问题/);
  });
});
