/**
 * 一奖一补 (平巩固脱贫成果办〔2023〕7号): 务工奖补 by wage bracket (the bracket's rate times the WHOLE
 * annual wage, not progressive), capped per person; 交通补贴 by work location; a cap per household.
 */
import { yuan, pct } from '../money.js';
import type { ResultBuilder } from '../result-builder.js';
import type { Bracket } from '../parameters/schema.js';
import type { ProgramResult } from '../types.js';
import { type Formula, memberKey } from './common.js';

const W = 'poverty.work_incentive.';

interface Member {
  name: string;
  annual_wage?: number | undefined;
  months_worked_away?: number | undefined;
  work_location?: string | undefined;
}

/** The household's workers: the listed members, plus the person at the top level unless listed already. */
function members(r: ResultBuilder): Member[] {
  const p = r.profile;
  const listed = (p.household_members_working ?? []).map((m, i) => ({ ...m, name: m.name ?? `成员${i + 1}` }));
  const self: Member = { name: '本人', annual_wage: p.annual_wage, months_worked_away: p.months_worked_away, work_location: p.work_location };
  if (listed.length === 0) return [self];
  const selfListed = listed.some(
    (m) => m.name === '本人' || (m.annual_wage === p.annual_wage && m.months_worked_away === p.months_worked_away && m.work_location === p.work_location),
  );
  if (p.annual_wage !== undefined && !selfListed) {
    r.read('本人的务工信息与“家庭务工成员”分开给出，本人按一名务工成员计入全户。');
    return [self, ...listed];
  }
  return listed;
}

function householdEligible(r: ResultBuilder): boolean {
  const typesP = `${W}household_types`;
  const types = r.list(typesP);
  const t = r.profile.household_type;
  if (t === undefined) {
    r.unknown('household_type', '是否为脱贫享受政策户或监测对象（不含风险消除户）', typesP);
    return true;
  }
  if (types.includes(t)) {
    r.pass(`${t}属于奖补对象（脱贫享受政策户和监测对象）`, typesP);
    return true;
  }
  r.fail(t === '风险消除户' ? '风险消除户不在奖补对象之内（“不含风险消除户”）' : `${t}不在奖补对象之内（脱贫享受政策户和监测对象）`, typesP);
  return false;
}

function bracketFor(brackets: Bracket[], wage: number): Bracket {
  for (const b of brackets) {
    if (b.up_to === undefined) return b;
    if (wage < b.up_to || (wage === b.up_to && b.inclusive === true)) return b;
  }
  return brackets[brackets.length - 1]!;
}

interface MemberIncentive {
  name: string;
  amount: number;
  line: string;
}

function incentiveFor(r: ResultBuilder, m: Member): MemberIncentive | null {
  const bracketsP = `${W}rate_brackets`;
  const capP = `${W}cap_per_person`;
  const brackets = r.brackets(bracketsP);
  const cap = r.num(capP);
  const wage = m.annual_wage;
  if (wage === undefined) return null;
  const b = bracketFor(brackets, wage);
  if (brackets.some((x) => x.up_to === wage)) r.readFrom(bracketsP);
  const raw = wage * b.rate;
  const prefix = m.name === '本人' ? '' : `${m.name}：`;
  if (r.withinMax(capP, raw)) return { name: m.name, amount: raw, line: `${prefix}${wage} × ${pct(b.rate)} = ${yuan(raw)}（${b.label}）` };
  return { name: m.name, amount: cap, line: `${prefix}${wage} × ${pct(b.rate)} = ${yuan(raw)}，超过每人每年上限 ${yuan(cap)}，按 ${yuan(cap)}` };
}

interface MemberTransport {
  name: string;
  eligible: boolean | undefined;
  amount: number;
  reason: string;
  missing: string[];
}

function transportFor(r: ResultBuilder, m: Member): MemberTransport {
  const monthsP = `${W}transport_min_months`;
  const incomeP = `${W}transport_min_income`;
  const amountsP = `${W}transport_amounts`;
  const table = r.map(amountsP);
  const minMonths = r.num(monthsP);
  const minIncome = r.num(incomeP);
  const who = m.name === '本人' ? '' : `${m.name}`;
  const missing: string[] = [];
  if (m.months_worked_away === undefined) missing.push('months_worked_away');
  if (m.annual_wage === undefined) missing.push('annual_wage');
  if (missing.length) return { name: m.name, eligible: undefined, amount: 0, reason: `${who}外出务工月数或年收入未知`, missing };
  const monthsOk = r.meetsMin(monthsP, m.months_worked_away!);
  const incomeOk = r.meetsMin(incomeP, m.annual_wage!);
  const parts = [
    `${who}外出务工${m.months_worked_away}个月${monthsOk ? `，达到${minMonths}个月以上` : `，不满${minMonths}个月`}`,
    `年收入 ${yuan(m.annual_wage!)}${incomeOk ? `，达到 ${yuan(minIncome)} 以上` : `，未达到 ${yuan(minIncome)}`}`,
  ];
  if (!monthsOk || !incomeOk) return { name: m.name, eligible: false, amount: 0, reason: parts.join('，'), missing };
  const loc = m.work_location;
  const amount = loc !== undefined ? table[loc] : undefined;
  if (typeof amount !== 'number') {
    return { name: m.name, eligible: undefined, amount: 0, reason: `${parts.join('，')}；务工地点${loc ? `“${loc}”无法对应县内、省内县外、省外` : '未知'}`, missing: ['work_location'] };
  }
  return { name: m.name, eligible: true, amount, reason: `${parts.join('，')}；${loc}务工每年补助 ${yuan(amount)}`, missing };
}

/** Per-member and total figures, computed the same way for both programmes. */
function compute(r: ResultBuilder): { incentives: MemberIncentive[]; transports: MemberTransport[]; list: Member[] } {
  const list = members(r);
  const incentives = list.map((m) => incentiveFor(r, m)).filter((x): x is MemberIncentive => x !== null);
  const transports = list.map((m) => transportFor(r, m));
  return { incentives, transports, list };
}

function perMember(r: ResultBuilder, base: ProgramResult, key: string, name: string, amount: number | null, eligible: boolean, arithmetic?: string): ProgramResult {
  return {
    program: memberKey(key, name),
    title: `${base.title}（${name}）`,
    eligible,
    amount,
    reasons: [`说明：${name}的${base.title}`],
    citations: base.citations,
    ...(arithmetic ? { arithmetic } : {}),
  };
}

export const workIncentive: Formula = (r) => {
  const ok = householdEligible(r);
  const { incentives, transports, list } = compute(r);
  const total = incentives.reduce((s, x) => s + x.amount, 0);
  if (incentives.length === 0) r.unknown('annual_wage', '年工资收入（上一年第四季度加当年前三季度）');
  else if (total <= 0) r.fail('没有务工工资收入');
  else r.pass(`务工人员${incentives.length}人，按年工资收入分档奖补`, `${W}rate_brackets`);
  r.note('年工资收入为上一年第四季度务工工资加当年前三季度务工工资', `${W}rate_brackets`);
  r.readFrom(`${W}rate_brackets`);
  for (const x of incentives) r.calc(x.line);
  if (incentives.length > 1) r.calc(`合计 ${incentives.map((x) => x.amount).join(' + ')} = ${yuan(total)}`);
  r.setAmount(total);
  if (!ok || r.hasFailed) return [];

  // household cap and total (transport counted only where the member qualifies)
  const capP = `${W}household_cap`;
  const cap = r.num(capP);
  const transportTotal = transports.filter((t) => t.eligible === true).reduce((s, t) => s + t.amount, 0);
  const sum = total + transportTotal;
  const householdTotal = Math.min(sum, cap);
  const parts = [...incentives.map((x) => x.amount), ...transports.filter((t) => t.eligible === true).map((t) => t.amount)];
  const line =
    sum > cap
      ? `${parts.join(' + ')} = ${yuan(sum)}，超过每户上限 ${yuan(cap)}，按 ${yuan(cap)}`
      : `${parts.join(' + ')} = ${yuan(sum)}，未超过每户上限 ${yuan(cap)}`;
  const built = r.build();
  const capRef = r.ref(capP);
  const pending = transports.filter((t) => t.eligible === undefined);
  const extras: ProgramResult[] = [
    {
      program: 'household_cap',
      title: '一奖一补·每户最高限额',
      eligible: true,
      amount: cap,
      reasons: [`说明：每户享受“一奖一补”（交通补贴和务工奖补）最高限额不超过 ${yuan(cap)}（${capRef}）`],
      citations: built.citations,
    },
    {
      program: 'household_total',
      title: '一奖一补·全户合计',
      eligible: true,
      amount: householdTotal,
      reasons: [
        `说明：全户务工奖补 ${yuan(total)}，交通补贴 ${yuan(transportTotal)}，每户上限 ${yuan(cap)}（${capRef}）`,
        ...(pending.length ? [`待核实：${pending.map((t) => t.reason).join('；')}，交通补贴暂未计入`] : []),
      ],
      citations: built.citations,
      arithmetic: line,
      ...(pending.length ? { missing: [...new Set(pending.flatMap((t) => t.missing))] } : {}),
    },
  ];
  if (list.length > 1) {
    for (const x of incentives) extras.push(perMember(r, built, 'work_incentive', x.name, x.amount, true, x.line));
  }
  return extras;
};

export const transportSubsidy: Formula = (r) => {
  const ok = householdEligible(r);
  const { transports, list } = compute(r);
  const amountsP = `${W}transport_amounts`;
  r.readFrom(`${W}transport_min_months`);
  for (const t of transports) {
    if (t.eligible === true) r.pass(t.reason, `${W}transport_min_months`, amountsP);
    else if (t.eligible === false) r.note(t.reason, `${W}transport_min_months`);
    else r.unknown(t.missing, t.reason, amountsP);
  }
  const qualified = transports.filter((t) => t.eligible === true);
  const pending = transports.filter((t) => t.eligible === undefined);
  if (qualified.length === 0 && pending.length === 0) {
    r.fail(`交通补贴要求外出务工${r.num(`${W}transport_min_months`)}个月以上、年收入达到 ${yuan(r.num(`${W}transport_min_income`))} 以上`, `${W}transport_min_months`);
  }
  const total = qualified.reduce((s, t) => s + t.amount, 0);
  for (const t of qualified) r.calc(`${t.name === '本人' ? '' : `${t.name}：`}交通补贴 ${yuan(t.amount)}`);
  if (qualified.length > 1) r.calc(`合计 ${qualified.map((t) => t.amount).join(' + ')} = ${yuan(total)}`);
  r.setAmount(qualified.length ? total : null);
  if (!ok || list.length <= 1) return [];
  const built = r.build();
  return transports.map((t) => perMember(r, built, 'transport_subsidy', t.name, t.eligible ? t.amount : null, t.eligible === true));
};
