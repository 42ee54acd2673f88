/**
 * Policy answers on questions written for these tests (not the dev set): the figures a reply must
 * carry are read from the knowledge base itself, so the tests check that the assistant quotes the
 * texts rather than restating numbers typed here.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, joined, type TestApp } from '../helpers/app.js';

let t: TestApp;
let n = 0;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const doc = (id: string) => readFileSync(`knowledge/docs/${id}.md`, 'utf8');
const ask = async (text: string) => {
  const replies = await t.chat(`answers-${n++}`, text);
  return { text: joined(replies), citations: replies.flatMap((r) => r.citations) };
};

describe('contact questions', () => {
  it.each(['郏县', '宝丰县', '舞钢市'])('when someone asks for the %s internship phone number, then the reply carries the number the notice lists', async (county) => {
    const number = new RegExp(`${county}[：:]\\s*(\\d{7,8})`).exec(doc('pds-2023-73-internships'))?.[1];
    expect(number).toBeDefined();
    const a = await ask(`${county.replace(/[县市]$/, '')}就业见习找谁 电话多少`);
    expect(a.text).toContain(number!);
    expect(a.citations.some((c) => c.docNo === '平人社办〔2023〕73号')).toBe(true);
  });
});

describe('a number in the question', () => {
  it('when someone asks what the 12333 line is, then the text that mentions it is quoted, not other offices\' numbers', async () => {
    const a = await ask('12333这个热线是干啥的');
    expect(a.text).toMatch(/拨打12333服务热线/);
    expect(a.text).not.toMatch(/0371/);
  });

  it('when no text has the number asked about, then no other number is given and the reply says so', async () => {
    const a = await ask('0375-6123456是哪个单位的电话');
    expect(a.text).not.toMatch(/0371|0375-\d/);
    expect(a.text).toMatch(/没有说明这个号码/);
  });

  it('when someone asks whose line 12333 is, then the city\'s letter that names it as the service line is quoted, with no other number', async () => {
    const a = await ask('12333是哪个单位的电话');
    expect(a.text).toMatch(/拨打12333服务热线/);
    expect(a.text).not.toMatch(/0371|0375/);
    expect(a.citations.some((c) => c.docNo === '平人社办函〔2023〕31号')).toBe(true);
  });
});

describe('phone numbers of the city', () => {
  it('when someone asks for a number of Pingdingshan\'s bureau, then no provincial office\'s number is given in its place', async () => {
    const a = await ask('平顶山人社局的联系电话是多少');
    expect(a.text).not.toMatch(/0371/);
  });
});

describe('the bureau\'s own line', () => {
  it.each(['平顶山人社局电话多少', '人社局电话多少', '平顶山人社局的联系电话是多少'])('when someone asks "%s", then the reply leads with the 12333 consultation line the city\'s letter names, and quotes the letter', async (q) => {
    const a = await ask(q);
    const lead = a.text.split('\n')[0]!;
    expect(lead).toMatch(/咨询电话是12333服务热线/);
    expect(a.text).toMatch(/拨打12333服务热线/);
    expect(a.text).not.toMatch(/0371/);
    expect(a.citations[0]?.docNo).toBe('平人社办函〔2023〕31号');
  });

  it('when the letter is quoted for the bureau\'s number, then the archive number keeps its own label', async () => {
    const a = await ask('平顶山人社局的联系电话是多少');
    const archive = /([^\n]*档案查询电话：[\d-]+)/.exec(doc('pds-2023-31-youth-policy-outreach'))?.[1];
    expect(archive).toBeDefined();
    expect(a.text).toContain(archive!);
  });
});

describe('phone numbers of a county', () => {
  it('when someone asks for an office whose number no text lists, then no other office\'s number is given in its place', async () => {
    const a = await ask('汝州市劳动监察大队电话');
    expect(a.text).toMatch(/没有这个部门或地方的联系电话/);
    expect(a.text).not.toMatch(/\d{7}/);
    expect(a.text).toMatch(/12333/);
  });
});

describe('amounts and conditions', () => {
  it('when a returning migrant worker asks about the start-up loan in Pingdingshan, then the personal ceiling of the operating rules is quoted with its source', async () => {
    const a = await ask('打工回来想自己开个店 创业贷款个人最多能贷多少');
    expect(a.text).toMatch(/20万元/);
    expect(a.text).not.toMatch(/60万/);
    expect(a.citations.some((c) => c.docNo === '平人社〔2023〕23号' || c.docNo === '豫政办〔2023〕17号')).toBe(true);
  });

  it('when someone in Jining asks about a partnership loan, then Jining’s ceiling is given and not Pingdingshan’s', async () => {
    const a = await ask('济宁这边几个人合伙开厂 创业担保贷款最高多少');
    expect(a.text).toMatch(/60万元/);
    expect(a.text).not.toMatch(/150万/);
    expect(a.text).toContain('济宁');
  });

  it('when a poverty-alleviated worker asks about the transport subsidy, then the tiers of 一奖一补 are quoted', async () => {
    const a = await ask('脱贫户出去打工 路费有补贴吗 省外的给多少');
    expect(a.text).toMatch(/600元/);
    expect(a.citations.some((c) => c.docNo === '平巩固脱贫成果办〔2023〕7号')).toBe(true);
  });
});

describe('colloquial names', () => {
  it('when someone asks about "考个电工证", then the skill-certificate subsidy provisions are quoted', async () => {
    const a = await ask('想考个电工证 有补贴没');
    expect(a.text).toMatch(/职业技能等级证书|职业资格证书|技能评价补贴/);
    expect(a.text).not.toMatch(/创业服务补贴/);
  });

  it('when someone asks whether a personal start-up loan needs a counter-guarantee, then the rule that waives it is quoted', async () => {
    const a = await ask('个人创业贷款需要反担保吗');
    expect(a.text).toMatch(/免除反担保/);
    expect(a.text).toMatch(/10万元及以下/);
  });

  it('when someone asks whether they must find a guarantor for a start-up loan, then the rule that waives the counter-guarantee comes first', async () => {
    const a = await ask('办创业贷款还得找担保人吗');
    expect(a.text.split('—— 出处')[0]).toMatch(/免除反担保/);
  });

  it('when someone who "used to be 贫困户" asks about working away from home, then 一奖一补 is the answer', async () => {
    const a = await ask('俺是贫困户 出去打工政府给补贴不');
    expect(a.citations.some((c) => c.docNo === '平巩固脱贫成果办〔2023〕7号')).toBe(true);
  });
});

describe('what is quoted', () => {
  it('when a question matches a document title, then a provision is quoted, not the issuing header before the first clause', async () => {
    const a = await ask('县域农民工市民化是啥意思');
    expect(a.text).not.toMatch(/此件不公开|印发给你们|各省辖市/);
    expect(a.citations.length).toBeGreaterThan(0);
  });
});

describe('a share of a standard', () => {
  it('when someone asks how much a village public-welfare post pays a month, then the share of the minimum wage is the answer', async () => {
    const a = await ask('俺们村的公益岗一个月给多少钱');
    expect(a.text).toMatch(/最低工资标准的\s*50\s*%/);
    expect(a.text).not.toMatch(/好的，我来帮您算算/); // answered, not sent into the calculator
  });

  it('when someone asks what the minimum wage itself is, then a subsidy set as a share of it is no answer', async () => {
    const a = await ask('平顶山最低工资标准是多少钱');
    expect(a.text).toMatch(/没有这个具体数额|没有写|12333/);
    expect(a.text).not.toMatch(/标准的\s*70\s*%/);
  });

  it('when someone asks how long an internship lasts, then a provision on its length is quoted, not the table of targets with its issue date', async () => {
    const a = await ask('见习多长时间');
    expect(a.text).toMatch(/3\s*[—至-]\s*12\s*个月|期限/);
    expect(a.text).not.toMatch(/目标任务表/);
  });
});

describe('the kind of figure asked for', () => {
  it('when someone asks how many years a public-welfare post lasts and the article on the posts gives none, then the article with the subsidy period is quoted, not a pay rate', async () => {
    const a = await ask('公益岗最多能干几年');
    expect(a.text).toMatch(/补贴期限一般不超过3年/);
    expect(a.text).not.toMatch(/最低工资标准的50%/);
  });

  it('when someone asks for a share of the minimum wage, then the share is the answer even though the standard itself is named', async () => {
    const a = await ask('见习补贴按最低工资的百分之几给');
    expect(a.text).toMatch(/最低工资标准的70%/);
  });
});

describe('a figure about something else', () => {
  it('when someone asks how much the 一次性创业补贴 is and the texts give no amount, then the 300元 of the job-seeking subsidy is not offered in its place', async () => {
    const a = await ask('问下一次性创业补贴给多少');
    expect(a.text).toMatch(/没有这个具体数额/);
    expect(a.text).not.toMatch(/300元/);
  });
});

describe('how to apply', () => {
  it('when someone asks where to apply for the work award, then the document\'s clause on applying comes first, not its table of amounts', async () => {
    expect(doc('pds-2023-7-yijiang-yibu')).toMatch(/申请人向所在行政村（社区）提出申请/);
    const a = await ask('外出务工奖补在哪申请啊');
    // The answer comes first, in the clerk's words of the clause on applying.
    expect(a.text.split('\n')[0]).toMatch(/行政村（社区）提出申请/);
  });
});

describe('colloquial words for the texts\' terms', () => {
  it('when a migrant worker says he came back from working away to start a business, then the 返乡创业 provisions answer, not the graduates\' ones', async () => {
    const a = await ask('在南方打工好几年 回来创业政府有啥扶持');
    expect(a.text.split('—— 出处')[0]).toMatch(/返乡创业/);
  });
});

describe('a parent asking for a child', () => {
  it('when a parent asks whether their unemployed graduate child can do an internship, then 孩子 is not read as the 子女 of a loan guarantor', async () => {
    const a = await ask('俺家孩子毕业一年多了还没工作 能去见习不');
    expect(a.text).toMatch(/见习/);
    expect(a.text).not.toMatch(/个人自主创业|反担保/);
  });
});

describe('what is told, not asked', () => {
  it('when someone says they worked away for 好几年, then no period is looked for in place of what they ask', async () => {
    const a = await ask('俺在外地干了好几年 想回乡创业 有啥扶持');
    expect(a.text).not.toMatch(/没有这个具体数额/);
    expect(a.text.split('—— 出处')[0]).toMatch(/返乡创业/);
  });
});

describe('segmentation of the texts', () => {
  it('when someone asks how long an internship usually is, then the sentence stating 见习期限 is quoted (见习期限 is 见习 + 期限, not 见习期 + 限)', async () => {
    const rule = /见习期限一般为[^。]+/.exec(doc('pds-2023-73-internships'))?.[0];
    expect(rule).toBeDefined();
    const a = await ask('见习时间多长');
    expect(a.text).toContain(rule!);
  });
});

describe('periods that have ended', () => {
  it('when an article closes with its own "执行期限截止…", then the note names the article rather than quoting that sentence as one item', async () => {
    const a = await ask('一次性吸纳脱贫劳动力的那个1000块补助还有吗');
    // An article ending "执行期限截止…" has ended as a whole: the first line says so.
    expect(a.text.split('\n')[0]).toMatch(/2021年12月31日[\s\S]*到期/);
    expect(a.text).not.toMatch(/其中“所需资金/);
  });

  it('when an employer asks about 以工代训 today, then the reply says it ran until the end of 2021', async () => {
    const a = await ask('企业招脱贫户边干边培训 以工代训补贴现在还能申请吗');
    expect(a.text).toMatch(/2021年12月31日/);
    expect(a.text).toMatch(/到期/);
  });

  it('when the quoted provision is still in force but a neighbouring sentence of its clause has ended, then no expiry is claimed for the whole clause', async () => {
    const a = await ask('见习补贴按最低工资的百分之多少发');
    expect(a.text).toMatch(/70%/);
    expect(a.text).not.toMatch(/这项政策的执行期限截至2023年12月31日/);
  });
});

describe('honest gaps', () => {
  it.each([
    ['郑州明天刮风吗', /天气|气象/],
    ['叶县的最低工资标准现在是多少钱', /12333|人社部门/],
    ['个人所得税起征点是多少', /12366|税务/],
    // A clause about 最低工资标准 with list numbers ("4. 规范…") is no figure for the question.
    ['郑州最低工资多少', /12333|人社部门/],
    ['失业金怎么领', /社会保险经办机构|12333/],
  ])('when asked "%s", then the assistant says the texts do not answer and invents no figure', async (q, pointer) => {
    const a = await ask(q);
    expect(a.text).toMatch(/抱歉|没有找到|没有这个|没有写/);
    expect(a.text).toMatch(pointer);
    expect(a.text).not.toMatch(/\d{3,}\s*元/);
  });

  it('when the message is a bare topic word, then a short menu is offered instead of a guess', async () => {
    const a = await ask('贷款');
    expect(a.text).toMatch(/回复数字/);
    expect(a.text).toMatch(/1\./);
  });
});

describe('a boss who ran off', () => {
  it.each(['老板跑了 找谁', '工头跑了俺们找谁'])('when a worker says "%s", then the wage-complaint intake starts instead of a policy quote', async (q) => {
    const a = await ask(q);
    expect(a.text).toMatch(/登记欠薪投诉/);
    expect(a.text).not.toMatch(/出处/);
  });
});

describe('what a rule is vs what I would get', () => {
  it.each(['一次性创业补贴能领多少', '俺开了个店 一次性创业补贴能拿多少'])('when someone asks "%s" and neither the texts nor the calculator have its amount, then the reply says so plainly instead of starting the calculator', async (q) => {
    const a = await ask(q);
    expect(a.text).toMatch(/没有这个具体数额/);
    expect(a.text).not.toMatch(/帮您算算|哪类人员|哪一年毕业/);
  });

  it('when someone asks how many months they can do an internship, then the provision on 见习期限 is quoted with its source, not the calculator\'s questions', async () => {
    const a = await ask('我能见习几个月');
    expect(a.text.split('—— 出处')[0]).toMatch(/见习期限一般为3—12个月/);
    expect(a.citations[0]?.docNo).toBe('平人社办〔2023〕73号');
    expect(a.text).not.toMatch(/哪一年毕业/);
  });

  it('when a veteran asks how much they can borrow, then the rule for veterans answers first (20万元 as a personal loan), and the calculator is offered, not started', async () => {
    const a = await ask('退役军人能贷多少');
    expect(a.text.split('\n')[0]).toMatch(/20万元/);
    expect(a.text).toMatch(/帮我算算/);
    expect(a.text).not.toMatch(/哪种创业担保贷款/);
  });
});

describe('routing of unsure guesses', () => {
  it('when a question about a certificate subsidy is mistaken for a complaint by an unsure classifier, then it is answered, not taken as a wage complaint', async () => {
    const a = await ask('考个焊工证 政府给报销不');
    expect(a.text).not.toMatch(/欠薪投诉|欠您的工钱/);
    expect(a.citations.length).toBeGreaterThan(0);
  });

  it('when someone asks how much pension a parent gets, then the pension office is named instead of the subsidy calculator', async () => {
    const a = await ask('俺爹的养老金一个月能领多少');
    expect(a.text).toMatch(/社会保险经办机构/);
    expect(a.text).not.toMatch(/哪类人员|帮我算算/);
  });
});

describe('words inside the texts\' longer terms', () => {
  it('when a graduate asks about 求职创业补贴 and the letter names it only as 一次性求职创业补贴, then the amount in the letter is quoted', async () => {
    const amount = /(\d+)元一次性求职创业补贴/.exec(doc('pds-2023-31-youth-policy-outreach'))?.[1];
    expect(amount).toBeDefined();
    const a = await ask('求职创业补贴给多少钱');
    expect(a.text.split('\n')[0]).toMatch(new RegExp(`一次性求职创业补贴.{0,4}${amount}元`));
    expect(a.citations.some((c) => c.docNo === '平人社办函〔2023〕31号')).toBe(true);
  });
});

describe('colloquial phrases split by another word', () => {
  it('when a graduate asks about starting a business with words in between (大学生想在…创业), then the start-up provisions come first, not the enlistment one', async () => {
    const a = await ask('大学生想在平顶山创业 有啥政策');
    const first = a.text.split('—— 出处')[0]!;
    expect(first).toMatch(/创业/);
    expect(first).not.toMatch(/参军入伍/);
  });
});

describe('the same question asked again', () => {
  it('when a question is repeated, then the answer is the same and changing one copy does not change the next', async () => {
    const first = await ask('一奖一补交通补贴省外多少钱');
    const second = await ask('一奖一补交通补贴省外多少钱');
    expect(second.text).toBe(first.text);
    const { answerPolicyQuestion } = await import('../../src/answers/policy-answer.js');
    const { loadQuestionTypes } = await import('../../src/answers/question-types.js');
    const qt = loadQuestionTypes('intents');
    const input = { text: '一奖一补交通补贴省外多少钱', region: null, today: '2026-11-23' };
    const a = answerPolicyQuestion(t.assistant.index, qt, input);
    a.replies[0]!.text = 'changed';
    expect(answerPolicyQuestion(t.assistant.index, qt, input).replies[0]!.text).not.toBe('changed');
  });
});

describe('an employer hiring a graduate', () => {
  it('when an employer says they hired a 大学生 and asks what subsidy the firm gets, then the hiring subsidies for enterprises come first, not the start-up or enlistment ones', async () => {
    const amount = /给予每人(\d+)元的一次性吸纳就业补贴/.exec(doc('henan-2023-1-employer-labor-guarantee'))?.[1];
    expect(amount).toBeDefined();
    const a = await ask('招了个大学生 企业有啥补贴');
    const first = a.text.split('—— 出处')[0]!;
    expect(first).toMatch(/吸纳就业补贴/);
    expect(first).not.toMatch(/参军入伍|创业培训/);
    // The city's measure answers; it states no amount (Henan's ${amount}元 is in 豫就业组〔2023〕1号).
    expect(a.text).toMatch(/平人社就业〔2023〕11号|豫就业组〔2023〕1号/);
  });

  it('when a factory (厂里) says it hired a graduate and asks how much it gets, then the enterprise hiring subsidy is quoted first', async () => {
    const a = await ask('俺厂里招了个大学生 能补多少');
    expect(a.text.split('—— 出处')[0]).toMatch(/吸纳就业补贴/);
  });
});

describe('a training subsidy and how to apply', () => {
  it('when someone asks whether skills training is subsidised and how to apply, then the 职业培训补贴 provision comes first (not the trainees\' living-cost subsidy) and the reply says the texts give no procedure for it', async () => {
    const a = await ask('技能培训有补贴吗 咋申请');
    const first = a.text.split('—— 出处')[0]!;
    expect(first).toMatch(/职业培训补贴/);
    expect(first).not.toMatch(/生活费补贴/);
    expect(a.citations[0]).toMatchObject({ docNo: '豫人社规〔2021〕4号' });
    // What the texts say of the procedure, or that they say nothing of it.
    expect(a.text).toMatch(/没有写明.{0,10}职业培训补贴具体怎么申请[\s\S]*12333|购买培训项目|申请/);
  });

  it('when the document has its own clause on applying, then no "not stated" note is added', async () => {
    const a = await ask('务工奖补咋申请');
    expect(a.text).not.toMatch(/没有写明/);
  });
});

describe('scoring sheets', () => {
  it('when the texts name 同工同酬 only in a scoring sheet, then neither the sheet nor a clause on 劳务派遣 in general is quoted, and the reply says the texts do not cover it', async () => {
    expect(doc('henan-2023-1-harmonious-labor-relations')).toMatch(/同工同酬原则支付劳动报酬\(4分\)/);
    for (const q of ['劳务派遣工同工同酬吗', '同工同酬']) {
      const a = await ask(q);
      expect(a.text).not.toMatch(/\d分\)|豫协调三方/);
      expect(a.citations).toHaveLength(0);
      expect(a.text).toMatch(/没有找到这方面的内容[\s\S]*12333/);
    }
  });

  it('when someone asks for the scoring sheet itself, then it may be quoted', async () => {
    const a = await ask('和谐劳动关系企业评分表');
    expect(a.citations.some((c) => c.docNo === '豫协调三方〔2023〕1号')).toBe(true);
  });
});

describe('a notice\'s own contact line', () => {
  it('when someone asks for the Pingdingshan bureau\'s number, then the 联系人 line a notice gives its recipients is not offered, and 12333 is', async () => {
    const internal = /联系人:[^\n]*\n联系方式:([\d-]+)/.exec(doc('pds-2023-31-youth-policy-outreach'))?.[1];
    expect(internal).toBeDefined();
    for (const q of ['平顶山人社局的联系电话是多少', '人社局电话多少']) {
      const a = await ask(q);
      expect(a.text).not.toContain(internal!);
      expect(a.text).toMatch(/12333服务热线/);
    }
  });
});

describe('a runner-up about another benefit', () => {
  it('when a skills-training subsidy is asked, then the 对口帮扶 rule (another subsidy that only shares the words) is not quoted', async () => {
    const a = await ask('技能培训有补贴吗 咋申请');
    expect(a.citations.map((c) => c.clause)).toEqual(['第三十条']);
    expect(a.text).not.toMatch(/对口帮扶/);
  });

  it('when a factory asks what it gets for hiring a graduate, then the enlistment allowance for students is not quoted second', async () => {
    const a = await ask('俺厂里招了个大学生 能补多少');
    expect(a.citations[0]?.docNo).toBe('豫就业组〔2023〕1号');
    expect(a.text).not.toMatch(/参军入伍|一次性生活补助/);
  });
});

describe('processing time', () => {
  it.each(['创业贷款多久能批下来', '补贴多久能到账', '见习补贴什么时候发', '见习补贴多久发一次'])(
    'when someone asks how long the office takes (%s), then no other duration (the loan term, the subsidy period) is quoted and the reply says the texts do not state it',
    async (q) => {
      const a = await ask(q);
      expect(a.citations).toHaveLength(0);
      expect(a.text).toMatch(/没有写明这项业务的办理时限[\s\S]*12333/);
    },
  );

  it('when someone asks how long a benefit lasts, then the period is still quoted', async () => {
    const a = await ask('公益岗补贴能领多久');
    // A period is quoted (the current rule's term, or the ended provincial one's 3 years, flagged).
    expect(a.text).toMatch(/(不超过|最长|一般).{0,8}\d+\s*年/);
  });
});

describe('how much of the interest is paid', () => {
  it.each(['贷款贴息贴多少', '创业贷款利息谁出', '贷款利息国家给补多少'])(
    'when someone asks how much interest the state covers (%s), then the rule that splits the interest comes first, not the loan limits',
    async (q) => {
      expect(doc('pds-2023-23-startup-loans')).toMatch(/实行财政全额贴息/);
      const a = await ask(q);
      expect(a.citations[0]).toMatchObject({ docNo: '平人社〔2023〕23号', clause: '第九条' });
      expect(a.text.split('—— 出处')[0]).toMatch(/全额贴息|LPR-150BP以下部分由借款企业承担/);
    },
  );
});

describe('everyday words for groups and loans', () => {
  it('when someone asks about a mortgage rate, then no start-up loan rate is quoted and the bank is named', async () => {
    const a = await ask('买房贷款利率多少');
    expect(a.citations).toHaveLength(0);
    expect(a.text).not.toMatch(/LPR|3\.6%/);
    expect(a.text).toMatch(/贷款银行/);
  });

  it('when someone asks about 零就业 households, then the quoted text names them', async () => {
    const a = await ask('零就业家庭有啥帮扶');
    expect(a.text.split('—— 出处')[0]).toMatch(/零就业家庭/);
  });

  it('when someone says 退伍军人, then the texts\' 退役军人 are found', async () => {
    const a = await ask('退伍军人自己开店有啥优惠');
    expect(a.text).toMatch(/退役军人/);
  });
});

describe('people who say who they are with', () => {
  it('when "俺们几个老乡想合伙开店" asks about the loan, then 几个 is not read as asking a number, nor 合伙开店 as a subject the texts lack', async () => {
    const a = await ask('俺们几个老乡想合伙开店 贷款有啥条件');
    expect(a.text).not.toMatch(/没有这个具体数额|没有找到这方面的内容/);
    expect(a.citations.some((c) => c.docNo === '平人社〔2023〕23号')).toBe(true);
    expect(a.text).toMatch(/合伙/);
  });
});
