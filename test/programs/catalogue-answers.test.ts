/**
 * Answers from the programme catalogue, through the real chat API, in wordings of our own (none is a
 * line of the dev sets): the verdict or figure first, the source on the next line; siblings named
 * together answered together; the person's own facts applied; the region kept apart; nothing from the
 * catalogue for what the texts do not cover.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statesFigure } from '../../src/eval/reply-shape.js';
import { createTestApp, joined, type TestApp } from '../helpers/app.js';

let t: TestApp;
let n = 0;
const ask = async (text: string) => joined(await t.chat(`cat-${++n}`, text));
const firstLine = (reply: string) => reply.split('\n')[0] ?? '';
/** One conversation, a fresh user: each turn's replies joined. */
const converse = async (turns: readonly string[]) => {
  const user = `cat-conv-${++n}`;
  const out: string[] = [];
  for (const x of turns) out.push(joined(await t.chat(user, x)));
  return out;
};

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('the answer comes first, the source after', () => {
  it.each(['单位接收见习生 政府给多少补贴', '我们公司带见习的 补贴按啥标准给'])('%s', async (q) => {
    const reply = await ask(q);
    expect(firstLine(reply)).toMatch(/70%/);
    expect(reply.split('\n')[1]).toMatch(/出处：.*平人社办〔2023〕73号/);
    expect([...reply].length).toBeLessThan(200);
  });
});

describe('several programmes named together are each answered', () => {
  it.each(['合伙的和个人的创业担保贷款 各自最多贷多少', '个人创业担保贷款跟合伙创业担保贷款 额度分别多少'])('%s', async (q) => {
    const reply = await ask(q);
    expect(reply).toMatch(/20万元/);
    expect(reply).toMatch(/150万元/);
  });
});

describe("the person's own facts decide the verdict", () => {
  it.each(['我今年22岁 一直在家待业 能参加就业见习吗', '俺娃20岁了 没考上学 能去单位见习不'])('%s → 符合', async (q) => {
    expect(firstLine(await ask(q))).toMatch(/^(按您说的情况，)?符合/);
  });
  it.each(['毕业五年了 今年27岁 还能去见习吗', '我29岁 大专毕业都六年了 能参加就业见习不'])('%s → 不符合', async (q) => {
    expect(firstLine(await ask(q))).toMatch(/不符合/);
  });
});

describe('regions never blur', () => {
  it.each(['济宁的创业担保贷款 个人最多能贷多少', '俺在济宁 想贷款创业 个人能贷多少'])('%s cites Jining', async (q) => {
    const replies = await t.chat(`cat-${++n}`, q);
    expect(joined(replies)).toMatch(/济宁/);
    expect(replies.flatMap((r) => r.citations).every((c) => !/平顶山|平人社/.test(`${c.title}${c.docNo ?? ''}`))).toBe(true);
  });
});

describe('the catalogue does not answer what it does not hold', () => {
  it.each(['离婚了孩子抚养费一个月给多少', '养老金一个月能领多少钱', '明天平顶山下雨不', '我爸有残疾证 残疾人生活补贴能领多少', '申请劳动仲裁要交仲裁费吗 多久判下来'])('%s: no figure, pointed to 12333 or an office', async (q) => {
    const reply = await ask(q);
    expect(statesFigure(reply)).toBe(false);
    expect(reply).toMatch(/12333|人社|社保|咨询/);
  });
  it.each(['人社局管毕业生就业的科室电话是多少', '找人社局问大学生就业的事 打哪个电话'])('%s is not given another office’s hotline', async (q) => {
    expect(await ask(q)).not.toMatch(/12351|工会/);
  });
});

describe('follow-ups keep the topic, and their own words move it', () => {

  it.each([
    ['劳务派遣的合同只签一年 合规吗', '那社会保险由谁缴'],
    ['派遣公司跟我签了一年合同 这样行吗', '社保该谁给交'],
  ])('%s → %s: the second answer is the dispatch social-insurance rule', async (a, b) => {
    const [, second] = await converse([a, b]);
    expect(second!.split('\n')[0]).toMatch(/社保|社会保险/);
    expect(second).toMatch(/派遣/);
  });

  it.each([
    ['见习我能参加不', '我前年大专毕业的'],
    ['听说有就业见习 我能去吗', '俺是前年毕业的 大专'],
  ])('%s → %s: the facts told decide the verdict on the topic', async (a, b) => {
    const [, second] = await converse([a, b]);
    expect(second!.split('\n')[0]).toMatch(/不符合|2年/);
  });

  it.each([
    ['个人创业担保贷款最多贷多少', '那济宁呢'],
    ['一个人创业贷款能贷多少钱', '济宁的呢'],
  ])('%s → %s: the same question is answered for Jining', async (a, b) => {
    const [, second] = await converse([a, b]);
    expect(second).toMatch(/济宁/);
  });
});

describe('"原文" sends the clause the last answer was written from', () => {
  it.each(['原文', '把原文发我', '看看条款原文'])('%s', async (ask2) => {
    const user = `cat-orig-${++n}`;
    const answer = await t.chat(user, '单位接收见习生 政府给多少补贴');
    const cited = answer.flatMap((r) => r.citations)[0]!;
    const original = await t.chat(user, ask2);
    const clause = t.assistant.documents.flatMap((d) => d.clauses.map((c) => ({ d, c }))).find(({ d, c }) => d.meta.docNo === cited.docNo && c.label === cited.clause)!;
    expect(clause).toBeDefined();
    expect(joined(original)).toContain(clause.c.text.slice(0, 30));
    expect(original.flatMap((r) => r.citations).some((c) => c.docNo === cited.docNo)).toBe(true);
  });
});

describe('words added while fixing dev lines, carried by wordings of our own', () => {
  it.each(['俺家是脱贫户 在浙江工地上干了一年 挣了两万五 有啥奖励', '我们家是监测户 我在江苏厂子里干活十个月 挣了一万八 能领啥'])(
    '%s: a province where one works is no region of the question',
    async (q) => {
      const reply = await ask(q);
      expect(reply).not.toMatch(/没有(浙江|江苏)|没有.{0,4}省的具体规定/);
      expect(reply.split('\n')[0]).toMatch(/务工奖补|一奖一补/);
    },
  );

  it.each(['工地上农民工的工资按规定该由谁来发'])('%s: who must pay is what the rules say', async (q) => {
    expect(await ask(q)).toMatch(/总承包|总包/);
  });

  it.each(['老板恶意欠薪 要负刑事责任吗'])('%s: a question on the law, not a complaint intake', async (q) => {
    const reply = await ask(q);
    expect(reply).toMatch(/刑事|司法|犯罪/);
    expect(reply).not.toMatch(/欠薪投诉|哪个县/);
  });
});

describe('who a rule covers, asked as "都有谁", "哪些人", "针对谁"', () => {
  it.each(['哪些人会被行政约谈', '欠薪约谈是针对谁的'])('%s names the people it covers', async (q) => {
    const reply = await ask(q);
    expect(reply.split('\n')[0]).toMatch(/负责人/);
    expect(reply).toMatch(/豫农工〔2023〕3号/);
  });
});

describe('inside a topic, a question about what may happen to a boss is no complaint', () => {
  it.each([
    ['欠薪约谈一般约谈谁', '欠钱的老板会不会被约谈'],
    ['行政约谈的对象是哪些人', '那欠薪的老板也会被叫去约谈吗'],
  ])('%s → %s', async (a, b) => {
    const [, second] = await converse([a, b]);
    expect(second).toMatch(/负责人/);
    expect(second).not.toMatch(/登记欠薪投诉|哪个单位或老板欠您/);
  });
  it('a worker telling their own unpaid wages in the same topic still gets the intake', async () => {
    const [, second] = await converse(['欠薪约谈一般约谈谁', '老板欠我三个月工资不给 怎么办']);
    expect(second).toMatch(/投诉|登记/);
  });
});

describe('"那济宁呢" moves the topic to the same benefit there, not to another of its programmes', () => {
  it.each([
    ['想自己开个店 个人创业担保贷款能贷多少', '济宁那边呢 我户口在济宁'],
    ['创业贷款个人最多给贷多少', '要是在济宁办呢'],
  ])('%s → %s: Jining’s personal loan', async (a, b) => {
    const [, second] = await converse([a, b]);
    expect(second).toMatch(/济宁/);
    expect(second).toMatch(/20万/);
    expect(second).not.toMatch(/合伙/);
  });
  it.each([
    ['毕业了打零工 灵活就业的社保咋交', '那济宁呢 我是济宁农村户口'],
    ['我现在打零工 灵活就业人员的养老保险咋交', '济宁有没有这个'],
  ])('%s → %s: Jining’s flexible-employment measure', async (a, b) => {
    const [first, second] = await converse([a, b]);
    expect(first).toMatch(/灵活就业/);
    expect(second).toMatch(/济宁/);
    expect(second).toMatch(/灵活就业/);
  });
});

describe('a place named in a follow-up, and the place one works, read as the person means them', () => {
  it.each([
    ['村里的公益性岗位 脱贫户能干不', '济宁那边有没有'],
    ['家里走不开 想在村里干公益岗', '要是在济宁呢'],
  ])('%s → %s: Jining’s own public-welfare posts, not the national rule again', async (a, b) => {
    const [, second] = await converse([a, b]);
    expect(second).toMatch(/济宁/);
    expect(second).toMatch(/公益/);
  });
  it.each([
    ['在济宁要是碰上恶意欠薪 管得严不', '那平顶山这边呢'],
    ['济宁对恶意欠薪的老板查得严吗', '平顶山呢'],
  ])('%s → %s: Pingdingshan’s rule on malicious arrears, judged on the follow-up’s own words', async (a, b) => {
    const [, second] = await converse([a, b]);
    expect(second).not.toMatch(/没有找到这方面/);
    expect(second).toMatch(/刑事|司法|曝光|惩戒/);
  });
  it.each(['我在济宁一个饭店干活 讨工钱有哪些渠道', '在济宁的厂里上班 欠薪了找哪维权'])('%s: where one works is the situation, not the subject', async (q) => {
    const reply = await ask(q);
    expect(reply).toMatch(/济宁/);
    expect(reply).toMatch(/维权/);
  });
});

describe("an employer's own figures, told after a question on a rule, are worked out against that rule", () => {
  it.each([
    ['小微企业创业担保贷款有啥条件', '我们厂在职40个人 今年招了5个应届生 符合不', 6],
    ['我们公司想办小微企业创业担保贷款', '员工30个 今年新招了4个登记失业的 够吗', 5],
  ])('%s → %s: not enough, with the arithmetic and how many it takes', async (a, b, need) => {
    const [, second] = await converse([a, b]);
    const first = second!.split('\n')[0]!;
    expect(first).toMatch(/不符合/);
    expect(first).toMatch(/15%/);
    expect(first).toContain(`至少需${need}人`);
    // The hires' 应届/登记失业 are not the employer's own graduation or status.
    expect(second).not.toMatch(/您毕业|个人创业担保贷款/);
  });
  it('enough hires: the ratio is met, and a loan is what may be borrowed, not money paid', async () => {
    const [, second] = await converse(['我们公司想办小微企业创业担保贷款', '职工20人 今年新招了3个登记失业人员 够吗']);
    expect(second).toMatch(/3 ÷ 20 = 15%，达到15%/);
    expect(second).not.toMatch(/可得3000000元/);
  });
});

describe('a facet the topic lacks is answered by the programme of its texts that has it', () => {
  it.each([
    ['公司打算招大学生来见习 企业能领什么钱', '需要交哪些材料'],
    ['我们单位想接收几个见习生 有补贴没', '申请的话得准备啥'],
  ])('%s → %s: the internship host’s application materials', async (a, b) => {
    const [, reply = ''] = await converse([a, b]);
    expect(reply.split('\n')[0]).toMatch(/申请表/);
    expect(reply).toMatch(/平人社办〔2023〕73号/);
  });
});

describe('a neighbour of the topic answers only if it can say what is asked', () => {
  it.each([
    ['稳岗扩岗专项贷款是啥', '最多能贷多少 利率多少'],
    ['企业稳岗有没有低息贷款', '那额度最高多少 利息多少'],
  ])('%s → %s: the job-stabilisation loan’s amount and rate', async (a, b) => {
    const [, reply = ''] = await converse([a, b]);
    expect(reply).toMatch(/3000万/);
    expect(reply).toMatch(/3\.6%/);
  });
});

describe('who the person is names no programme, and a clause the index ranks first is no reason to switch', () => {
  it.each(['脱贫户参加职业培训 培训那几天吃饭有补贴没', '俺是监测户 去学电焊那几天 伙食有补助不'])('%s: the training living allowance, its figure, and that it ended', async (q) => {
    const reply = await ask(q);
    expect(reply).toMatch(/生活费补贴/);
    expect(reply).toMatch(/30元/);
    expect(reply).toMatch(/到期/);
    expect(reply).not.toMatch(/吸纳就业|务工奖补/);
  });
});

describe('whether someone may act in a role ("能当反担保人不") asks who qualifies', () => {
  it.each(['我姐能当反担保人不 她大专毕业一年', '我表哥能做担保人吗 他在厂里交了两年养老保险'])('%s', async (q) => {
    const reply = await ask(q);
    expect(reply.split('\n')[0]).toMatch(/18-60周岁/);
    expect(reply).toMatch(/平人社〔2023〕23号/);
  });
});

describe('"那X呢" naming another programme asks of it what was asked before', () => {
  it.each([
    ['创业担保贷款个人最多能贷多少', '那合伙经营的呢', /150万/],
    ['俺是脱贫户 参加技能培训能补多少钱', '那在手机上学线上课程呢', /10元/],
  ] as const)('%s → %s', async (a, b, figure) => {
    const [, reply = ''] = await converse([a, b]);
    expect(reply.split('\n')[0]).toMatch(figure);
  });
});

describe('of the facets written from the clause asked about, the one that says the question’s words', () => {
  it.each(['济宁的公益性岗位 给买保险不', '在济宁村里干公益岗 有没有保险'])('%s: the accident insurance', async (q) => {
    expect(await ask(q)).toMatch(/意外伤害/);
  });
});

describe('asked how, an entry that says only where answers with where, without saying the procedure is missing', () => {
  it.each(['欠薪的话能在网上投诉不', '被欠工钱 网上能举报吗'])('%s', async (q) => {
    const reply = await ask(q);
    expect(reply).toMatch(/网上|网站|平台|专栏/);
    expect(reply).not.toMatch(/具体怎么申请/);
  });
});

describe("a follow-up whose own words point far more strongly elsewhere leaves the topic's texts", () => {
  it.each([
    ['俺家是脱贫户 娃上技校有补助没', '那俺男人出去打工呢 有啥奖补'],
    ['监测户孩子读中职 能领啥补贴', '那我要是去外地务工 政府给奖励不'],
  ])('%s → %s: 一奖一补', async (a, b) => {
    const [, reply = ''] = await converse([a, b]);
    expect(reply.split('\n')[0]).toMatch(/务工奖补|一奖一补/);
  });
});

describe("a company's own age and size, told after a question on a loan, are checked against its conditions", () => {
  it.each([
    ['小微企业有没有专门稳岗的低息贷款', '我们是小型企业 12个人 成立8个月', '成立8个月'],
    ['稳岗扩岗专项贷款什么条件', '我们公司20个员工 开业才半年 能申请不', '成立6个月'],
  ])('%s → %s: not yet, a year is required', async (a, b, says) => {
    const [, reply = ''] = await converse([a, b]);
    const first = reply.split('\n')[0]!;
    expect(first).toMatch(/^按文件规定不符合：要求企业成立1年以上/);
    expect(first).toContain(says);
  });
});

describe('months worked and the year’s pay told together work out every part of 一奖一补, and the household total', () => {
  it.each([
    ['俺是监测户 在江苏打工干了十个月 挣了两万二 有啥奖补', 880, 1480],
    ['家里脱贫户 我在外省工地干了一年 挣了三万 能领多少', 1200, 1800],
  ] as const)('%s', async (q, award, total) => {
    const reply = await ask(q);
    expect(reply).toContain(`务工奖补可得${award}元`);
    expect(reply).toContain('交通补贴可得600元');
    expect(reply).toContain(`全户合计可得${total}元`);
  });
});

describe('not qualifying for a waiver says what is required instead', () => {
  it.each([
    ['我是应届本科生 想申请个人创业担保贷款 要不要找人担保', '要是贷15万呢'],
    ['办个人创业担保贷款 不想找担保人行不行', '那要是贷12万呢'],
  ])('%s → %s', async (a, b) => {
    const [, reply = ''] = await converse([a, b]);
    expect(reply.split('\n')[0]).toMatch(/不符合|不属于免除/);
    expect(reply).toMatch(/反担保人|抵押|存单|保证金|联保/);
  });
});

describe('a follow-up whose own words name another subject of other texts leaves the topic', () => {
  it.each([
    ['工地上农民工工资按规定该谁发', '那老板要是一直赖着不给 会受啥处罚'],
    ['法律上欠薪该谁负责', '要是老板就是拖着不给 会不会坐牢'],
  ])('%s → %s: the punishment of arrears', async (a, b) => {
    const [, reply = ''] = await converse([a, b]);
    expect(reply).toMatch(/刑事|司法机关|曝光|惩戒/);
    expect(reply).not.toMatch(/登记欠薪投诉/);
  });
});

describe('the topic survives a follow-up the clauses answered, and "要是在济宁呢 …" is a follow-up', () => {
  it.each([
    ['毕业了打零工 灵活就业的社保咋交', '能按季度交吗', '那济宁那边呢'],
    ['跑外卖算灵活就业 养老保险自己交', '可以半年交一次不', '要是在济宁呢 我是济宁户口'],
  ])('%s → %s → %s: Jining’s flexible-employment measure', async (a, b, c) => {
    const [, , reply = ''] = await converse([a, b, c]);
    expect(reply).toMatch(/济宁/);
    expect(reply).toMatch(/灵活就业/);
  });
});

describe('"有补贴吗 怎么算" is answered with how much and on what condition', () => {
  it.each(['企业组织员工脱产培训 有补贴没 咋算的', '单位组织职工脱产培训 能拿补贴吗 按啥算'])('%s', async (q) => {
    const reply = await ask(q);
    expect(reply.split('\n')[0]).toMatch(/8个学时补200元/);
    expect(reply).toMatch(/24个学时/);
  });
});

describe('the verdict an answer opens with comes before the programme’s name', () => {
  it('欠薪约谈一般约谈谁 → 欠钱的老板会不会被约谈', async () => {
    const [, reply = ''] = await converse(['欠薪约谈一般约谈谁', '欠钱的老板会不会被约谈']);
    expect(reply.split('\n')[0]).toMatch(/^(能|会|可以)。/);
  });
  it('企业老板欠薪严重 能被约谈吗', async () => {
    expect((await ask('企业老板欠薪严重 能被约谈吗')).split('\n')[0]).toMatch(/^能。/);
  });
});

describe("an evaluation institution's own certificates are worked out, and how they were issued can change after", () => {
  it.each([
    ['我们机构在补贴清单内 免费给20个人评了中级工 都是直接认定的 能拿多少', '2400元'],
    ['纳入清单的评价机构 这批免费考了5个技师证 补贴一共多少', '1750元'],
  ])('%s', async (q, figure) => {
    expect(await ask(q)).toContain(`可得${figure}`);
  });
  it('"要是直接认定的方式呢" halves the figure told before', async () => {
    const [, reply = ''] = await converse(['纳入目录的评价机构 免费给3个学员评了高级工 补多少', '要是直接认定的方式呢']);
    expect(reply).toContain('可得420元');
  });
  it.each(['同一个人同一等级考两次 评价补贴能领两次吗', '一个人同一个等级评价补贴能重复领吗'])('%s: not twice', async (q) => {
    expect((await ask(q)).split('\n')[0]).toMatch(/不得重复|不能/);
  });
});

describe('a programme called by its name goes before one pieced together with synonyms', () => {
  it.each([
    ['公司职工50人 今年招了8个登记失业人员 够小微企业创业担保贷款的比例不', '8 ÷ 50 = 16%'],
    ['我们在职80人 今年新招了10个登记失业的 小微企业创业担保贷款够条件吗', '12.5%'],
  ])('%s', async (q, arithmetic) => {
    const first = (await ask(q)).split('\n')[0]!;
    expect(first).toMatch(/小微企业创业担保贷款/);
    expect(first).toContain(arithmetic);
  });
  it.each(['什么样的人能安排公益性岗位', '啥样的农户能上村里的公益岗'])('%s: who qualifies', async (q) => {
    expect((await ask(q)).split('\n')[0]).toMatch(/无法离乡|就业意愿|脱贫/);
  });
});

describe('a message with two questions gets two answers', () => {
  it('我在派遣公司上班 社保由谁交？用工单位能把我再派给别的单位吗', async () => {
    const reply = await ask('我在派遣公司上班 社保由谁交？用工单位能把我再派给别的单位吗');
    expect(reply).toMatch(/劳务派遣单位/);
    expect(reply).toMatch(/不得.{0,10}再次派遣|不能再派/);
  });
  it('见习补贴给多少？见习最长能干几个月', async () => {
    const reply = await ask('见习补贴给多少？见习最长能干几个月');
    expect(reply).toMatch(/70%/);
    expect(reply).toMatch(/12个月/);
  });
});

describe("in a follow-up, the words of the clause a facet is written from are that facet's conditions", () => {
  it.each([
    ['俺是脱贫户 想学门手艺 参加培训有补贴没', '那要是去外地的定点培训机构 路费住宿能报不'],
    ['监测户参加技能培训 有啥补助', '那去市外定点机构培训呢 车费住宿费报多少'],
  ])('%s → %s: the 300元 travel and lodging subsidy, ended', async (a, b) => {
    const [, reply = ''] = await converse([a, b]);
    expect(reply).toMatch(/300元/);
    expect(reply).toMatch(/到期/);
  });
});

describe('after an interview on arrears ("约谈完…")', () => {
  it('欠薪约谈都约谈谁 → 约谈完以后 被约谈的要干啥: the written rectification report', async () => {
    const [, reply = ''] = await converse(['欠薪约谈都约谈谁', '约谈完以后 被约谈的要干啥']);
    expect(reply).toMatch(/书面报告|整改/);
  });
});

describe('an answer that says the texts do not state what was asked says where to ask', () => {
  it.each(['在平顶山考个叉车证 培训要交多少钱', '毕业生考证有啥补贴 给多少钱'])('%s', async (q) => {
    const reply = await ask(q);
    expect(reply).toMatch(/没有写具体标准/);
    expect(reply).toMatch(/12333/);
  });
});

describe('a processing time asked is answered by an entry that states one, and only then', () => {
  it.each(['申请了稳岗贷 银行一般多久审好', '中行稳岗扩岗贷款 提交以后多长时间批完'])('%s: 30个工作日', async (q) => {
    expect((await ask(q)).split('\n')[0]).toMatch(/30个工作日/);
  });
  it.each(['见习补贴申请了 多久能到账', '一奖一补报上去 多长时间批下来'])('%s: no time the texts do not state', async (q) => {
    const reply = await ask(q);
    expect(reply).not.toMatch(/\d+个工作日/);
  });
});

describe('"补哪块" asks what the subsidy pays', () => {
  it.each(['单位招了登记失业的人 社保补贴补哪部分 补多长时间', '企业社保补贴 个人缴的那块补不补 补哪块'])('%s: the employer’s part', async (q) => {
    expect(await ask(q)).toMatch(/单位缴纳部分/);
  });
});

describe('whether a figure follows a change ("会跟着变吗") asks the rule', () => {
  it.each(['创业贷款批下来了 以后LPR调了 我的利率会跟着变吗', '贷款已经放了 利率会不会随着LPR涨'])('%s', async (q) => {
    const first = (await ask(q)).split('\n')[0]!;
    expect(first).toMatch(/^不会/);
    expect(first).toMatch(/合同签订日/);
  });
});

describe('words added while fixing dev lines, carried by wordings of our own (2)', () => {
  it.each(['刚毕业 能参加就业见习吗', '我刚刚毕业 想去单位见习 行不行'])('%s: a fresh graduate is within 离校2年内', async (q) => {
    expect(firstLine(await ask(q))).toMatch(/^(按您说的情况，)?符合/);
  });
  it.each(['免费考中级工证 评价补贴每本给多少', '我们是纳入清单的评价机构 免费给学员评了3个技师 一本补多少'])('%s: the rule’s rates beside the sum', async (q) => {
    expect(await ask(q)).toMatch(/直接认定方式取证的按50%补贴/);
  });
  it.each([
    ['在职60人 今年招了9个符合创业担保贷款条件的人 小微企业创业担保贷款能申请不', '9 ÷ 60 = 15%，达到15%'],
    ['公司员工40个 今年招了4个符合条件的人 小微企业创业担保贷款够比例吗', '未达到15%'],
  ])('%s: hires told as eligible count toward the ratio', async (q, says) => {
    expect(firstLine(await ask(q))).toContain(says);
  });
  it.each(['雨露计划谁来审核 钱发到哪', '雨露计划的钱打到哪 谁来审'])('%s: who reviews is where to go', async (q) => {
    expect(firstLine(await ask(q))).toMatch(/县级乡村振兴部门/);
  });
});
