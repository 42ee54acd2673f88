/**
 * Realistic tickets for the staff console's demo, browser tests and queue benchmark: wage complaints
 * and consultations spread over the last weeks across Pingdingshan's counties, in every status, some
 * close to or past their deadlines. Deterministic (seeded), so screenshots and figures repeat.
 */
import { addWorkingDays, ACCEPT_WORKING_DAYS, INVESTIGATION_WORKING_DAYS } from '../src/tickets/deadlines.js';
import type { TicketStore } from '../src/tickets/ticket-store.js';
import type { FileTicketInput } from '../src/tickets/types.js';
import { seededRandom } from '../src/core/seeded-random.js';

const COUNTIES = ['新华区', '卫东区', '湛河区', '石龙区', '高新区', '宝丰县', '叶县', '鲁山县', '郏县', '舞钢市', '汝州市'];
const SURNAMES = ['张', '王', '李', '赵', '刘', '陈', '杨', '黄', '周', '吴', '郭', '马', '孙', '朱'];
const EMPLOYERS = [
  '平顶山市宏达建筑劳务有限公司', '河南鑫源建设工程有限公司', '叶县顺通物流有限公司', '鲁山县恒安建材厂',
  '平顶山市新城物业服务有限公司', '汝州市金鼎机械制造有限公司', '舞钢市华强钢构有限公司', '宝丰县永兴餐饮店',
  '郏县福满家超市', '平顶山市天瑞装饰工程有限公司', '湛河区盛世保洁服务部', '高新区博创电子科技有限公司',
];
const SITES = ['幸福家园二期', '湛河新苑', '鹰城广场改造工程', '叶县产业集聚区厂房', '汝州市第三中学新校区', '宝丰县人民医院综合楼', null];
const PROBLEMS = [
  '老板欠我{m}个月工资，一共{a}，说年底给一直没给。',
  '在工地干了{m}个月，包工头跑了，工资{a}没结。',
  '辞职后单位不给结最后{m}个月工资，共{a}。',
  '公司拖欠我们{w}个人工资，人均{p}，已经{m}个月了。',
];
const QUESTIONS = [
  '我想问一下灵活就业社保补贴怎么申请，助手没说清楚。',
  '创业担保贷款要什么材料，能不能人工帮我看一下？',
  '毕业两年了还能领一次性求职补贴吗？',
];


export interface DemoTicket {
  /** When it was filed. */
  at: Date;
  input: FileTicketInput;
  /** Where staff have taken it by `now`. */
  fate: 'new' | 'claimed' | 'accepted' | 'in_progress' | 'resolved' | 'closed' | 'refused';
}

/** `n` tickets filed over the `days` before `now`, oldest first. */
export function demoTickets(n: number, now: Date, { days = 45, seed = 7 } = {}): DemoTicket[] {
  const r = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const out: DemoTicket[] = [];
  for (let i = 0; i < n; i++) {
    // More recent days carry more tickets (the assistant is newly advertised).
    const ageDays = days * Math.pow(r(), 1.6);
    const at = new Date(now.getTime() - ageDays * 86400_000 - r() * 3600_000);
    const wage = r() < 0.88;
    const months = 1 + Math.floor(r() * 8);
    const workers = r() < 0.2 ? 2 + Math.floor(r() * 12) : 1;
    const perPerson = Math.round(((2500 + r() * 3500) * months) / 100) * 100;
    const amount = perPerson * workers;
    const construction = r() < 0.55;
    const site = construction ? pick(SITES) : null;
    const phone = `1${pick(['38', '39', '58', '59', '87', '36', '52'])}${String(Math.floor(r() * 1e8)).padStart(8, '0')}`;
    const name = `${pick(SURNAMES)}${pick(['师傅', '先生', '女士', '某某', '建国', '桂英', '卫东', '丽'])}`;
    const priority = wage ? Math.min(100, (construction ? 20 : 0) + (workers >= 10 ? 40 : workers > 1 ? 15 : 0) + (months >= 6 ? 20 : 0) + (amount >= 50000 ? 15 : 0)) : 0;
    const reasons = wage
      ? [construction ? '建筑工程' : null, workers > 1 ? `${workers}人集体` : null, months >= 6 ? `拖欠${months}个月` : null, amount >= 50000 ? '金额较大' : null].filter((x): x is string => x !== null)
      : [];
    const text = wage
      ? pick(PROBLEMS).replace('{m}', String(months)).replace('{a}', `${amount}元`).replace('{w}', String(workers)).replace('{p}', `${perPerson}元`)
      : pick(QUESTIONS);
    const channel = pick(['sms', 'sms', 'wechat', 'wechat', 'web'] as const);
    const input: FileTicketInput = {
      kind: wage ? 'wage_arrears' : 'consultation',
      channel,
      userId: channel === 'sms' ? phone : `o${Math.floor(r() * 1e12).toString(36)}`,
      priority,
      priorityReasons: reasons,
      acceptDueAt: addWorkingDays(at, ACCEPT_WORKING_DAYS).toISOString(),
      workerName: name,
      phone,
      employer: wage ? pick(EMPLOYERS) : null,
      site,
      county: r() < 0.06 ? null : pick(COUNTIES),
      isConstruction: wage ? construction : null,
      generalContractor: construction && r() < 0.5 ? '中建某局平顶山项目部' : null,
      amountOwed: wage ? amount : null,
      perPersonAmount: wage && workers > 1 ? perPerson : null,
      period: wage ? `${months}个月` : null,
      monthsOwed: wage ? months : null,
      workers: wage ? workers : null,
      evidence: wage ? ['考勤表', '工资条', '微信聊天记录', '欠条'].filter(() => r() < 0.45) : [],
      description: text,
      transcript: [
        { from: 'user', text, at: at.toISOString() },
        { from: 'assistant', text: wage ? '请问欠薪的单位叫什么名字？' : '这个问题我帮您转给工作人员。', at: new Date(at.getTime() + 2000).toISOString() },
        ...(wage
          ? [
              { from: 'user' as const, text: '就是那个公司，具体名字我发给你', at: new Date(at.getTime() + 60_000).toISOString() },
              { from: 'assistant' as const, text: '好的，已为您登记，工单号稍后发给您。', at: new Date(at.getTime() + 62_000).toISOString() },
            ]
          : []),
      ],
    };
    // Older tickets are further along.
    const age = ageDays / days;
    const u = r();
    const fate: DemoTicket['fate'] =
      age < 0.08 ? (u < 0.7 ? 'new' : 'claimed')
      : age < 0.25 ? (u < 0.3 ? 'new' : u < 0.45 ? 'claimed' : u < 0.8 ? 'accepted' : u < 0.93 ? 'in_progress' : 'refused')
      : u < 0.05 ? 'new' : u < 0.35 ? 'in_progress' : u < 0.6 ? 'resolved' : u < 0.9 ? 'closed' : 'refused';
    out.push({ at, input, fate });
  }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * Files the tickets into a store whose clock reads `clock.now`, and moves each to its fate as the
 * given staff would have (claim, accept a day or two later, and so on).
 */
export async function seedDemoTickets(
  store: TicketStore,
  clock: { now: Date },
  tickets: DemoTicket[],
  staff: string[],
): Promise<void> {
  const end = clock.now;
  let i = 0;
  for (const d of tickets) {
    clock.now = d.at;
    const { ticket } = await store.file(d.input, `demo-${d.at.getTime()}-${i++}`);
    if (d.fate === 'new') continue;
    const who = staff[i % staff.length]!;
    const later = (hours: number) => {
      clock.now = new Date(Math.min(end.getTime(), d.at.getTime() + hours * 3600_000));
      return clock.now;
    };
    later(2 + (i % 20));
    await store.claim(ticket.id, who);
    if (d.fate === 'claimed') continue;
    if (d.fate === 'refused') {
      later(30);
      await store.transition(ticket.id, 'refused', { actor: who, reason: '不属于劳动保障监察管辖范围，建议通过劳动争议仲裁解决' });
      continue;
    }
    const acceptedAt = later(20 + (i % 60));
    await store.transition(ticket.id, 'accepted', {
      actor: who,
      investigationDueAt: addWorkingDays(acceptedAt, INVESTIGATION_WORKING_DAYS).toISOString(),
    });
    if (d.fate === 'accepted') continue;
    later(60);
    await store.transition(ticket.id, 'in_progress', { actor: who });
    if (d.fate === 'in_progress') continue;
    later(24 * 12);
    await store.reply(ticket.id, who, '经调查核实，用人单位已同意补发工资，请注意查收。');
    await store.transition(ticket.id, 'resolved', { actor: who });
    if (d.fate === 'resolved') continue;
    later(24 * 20);
    await store.transition(ticket.id, 'closed', { actor: who });
  }
  clock.now = end;
}
