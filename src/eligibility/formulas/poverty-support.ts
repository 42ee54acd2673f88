/**
 * 豫人社规〔2021〕4号 support for “两类人员” (脱贫人口、农村低收入人口) and their employers:
 * 创业开业补贴, 培训生活费 and 交通住宿补贴, 雨露计划, 乡村公益性岗位, 以工代训, 一次性吸纳就业补贴.
 */
import { pct, yuan } from '../money.js';
import type { ResultBuilder } from '../result-builder.js';
import type { Formula } from './common.js';

const V = 'poverty.';

/** household_type is one of the “两类人员” household types (脱贫劳动力 as category also counts). */
function twoGroups(r: ResultBuilder): boolean {
  const p = `${V}two_groups_household_types`;
  const types = r.list(p);
  const t = r.profile.household_type;
  if (t === undefined) {
    if (r.profile.category === '脱贫劳动力') {
      r.pass('脱贫劳动力（含监测对象），属于“两类人员”', p);
      return true;
    }
    r.unknown('household_type', '是否属于“两类人员”（脱贫人口、农村低收入人口）', p);
    return true;
  }
  if (types.includes(t)) {
    r.pass(`${t}，属于“两类人员”（脱贫人口、农村低收入人口）`, p);
    return true;
  }
  r.fail(`${t}，不属于“两类人员”（脱贫人口、农村低收入人口）`, p);
  r.readFrom(p);
  return false;
}

export const startupOpeningSubsidy: Formula = (r) => {
  const amountP = `${V}startup_opening.amount`;
  const monthsP = `${V}startup_opening.min_months_operating`;
  const amount = r.num(amountP);
  const min = r.num(monthsP);
  const { profile } = r;
  twoGroups(r);
  r.check(profile.first_business, 'first_business', { pass: '首次自主创业', fail: '不是首次自主创业', unknown: '是否首次自主创业' }, amountP);
  r.check(profile.has_business_license, 'has_business_license', { pass: '已取得营业执照', fail: '尚未取得营业执照', unknown: '是否取得营业执照' }, amountP);
  const m = profile.months_operating;
  if (m === undefined) r.unknown('months_operating', `是否已正常经营${min}个月以上`, monthsP);
  else if (r.meetsMin(monthsP, m)) r.pass(`已正常经营${m}个月，达到${min}个月以上`, monthsP);
  else r.fail(`正常经营${m}个月，不满${min}个月`, monthsP);
  r.setAmount(amount);
  r.calc(`创业开业补贴 ${yuan(amount)}`);
};

export const livingAllowanceTraining: Formula = (r) => {
  const p = `${V}training.living_per_day`;
  const perDay = r.num(p);
  twoGroups(r);
  const days = r.profile.training_days!;
  if (days <= 0) r.fail('没有参加定点培训机构集中培训', p);
  else r.pass(`参加定点培训机构集中培训（含实习）${days}天`, p);
  const amount = days * perDay;
  r.setAmount(amount);
  r.calc(`${days} 天 × ${perDay} 元 = ${yuan(amount)}`);
  r.note('随培训补贴一并申请发放，向户籍地或常驻地人力资源社会保障部门申请', p);
};

export const transportAccommodationSubsidy: Formula = (r) => {
  const capP = `${V}training.transport_accommodation_cap`;
  const locP = `${V}training.transport_eligible_locations`;
  const cap = r.num(capP);
  const places = r.list(locP);
  twoGroups(r);
  const loc = r.profile.training_location!.replace(/\s+/g, '').replace(/[（(]/g, '').replace(/[）)]/g, '');
  if (places.includes(loc)) r.pass(`到${r.profile.training_location}参加培训（县市外、省内）`, locP);
  else {
    r.fail(`培训地点“${r.profile.training_location}”不是县市外、省内的定点培训机构`, locP);
    r.readFrom(locP);
  }
  const receipts = r.profile.transport_accommodation_receipts!;
  const amount = Math.min(receipts, cap);
  r.setAmount(amount);
  r.calc(
    receipts > cap
      ? `交通费和住宿费发票 ${yuan(receipts)}，超过每人上限 ${yuan(cap)}，按 ${yuan(cap)}`
      : `交通费和住宿费发票 ${yuan(receipts)}，未超过每人上限 ${yuan(cap)}，据实补贴 ${yuan(receipts)}`,
  );
};

function yuluHousehold(r: ResultBuilder): void {
  const p = `${V}yulu.household_types`;
  const types = r.list(p);
  const t = r.profile.household_type;
  if (t === undefined) r.unknown('household_type', '是否为脱贫家庭（含监测帮扶对象家庭）', p);
  else if (types.includes(t)) r.pass(`${t}，属于脱贫家庭（含监测帮扶对象家庭）`, p);
  else r.fail(`${t}，不属于脱贫家庭（含监测帮扶对象家庭）`, p);
}

export const yuluVocational: Formula = (r) => {
  const p = `${V}yulu.vocational_per_year`;
  const perYear = r.num(p);
  yuluHousehold(r);
  const kids = (r.profile.children ?? []).filter((c) => c.program === '中职学历教育');
  if (kids.length === 0) {
    r.fail('没有就读职业教育（中职学历教育）的子女', p);
    return;
  }
  let total = 0;
  const lines: string[] = [];
  kids.forEach((c, i) => {
    const who = c.name ?? `子女${kids.length > 1 ? i + 1 : ''}`;
    if (c.academic_years === undefined) {
      r.ask('children');
      r.note(`${who}未说明就读学年数，按1个学年计算（每学年分春秋两学期发放）`, p);
    }
    const years = c.academic_years ?? 1;
    total += years * perYear;
    lines.push(`${who}：${years} 学年 × ${perYear} 元 = ${yuan(years * perYear)}`);
  });
  r.pass(`${kids.length}名子女就读职业教育，每生每学年补助 ${yuan(perYear)}`, p);
  for (const l of lines) r.calc(l);
  if (kids.length > 1) r.calc(`合计 ${yuan(total)}`);
  r.setAmount(total);
};

export const yuluShortTraining: Formula = (r) => {
  const p = `${V}yulu.short_training`;
  const table = r.map(p);
  yuluHousehold(r);
  const kids = (r.profile.children ?? []).filter((c) => c.program === '短期技能培训');
  if (kids.length === 0) {
    r.fail('没有参加短期技能培训的子女', p);
    return;
  }
  let total = 0;
  let unknown = false;
  kids.forEach((c, i) => {
    const who = c.name ?? `子女${kids.length > 1 ? i + 1 : ''}`;
    const v = c.certificate_class !== undefined ? table[c.certificate_class] : undefined;
    if (typeof v !== 'number') {
      unknown = true;
      r.unknown('children', `${who}取得的技能等级证书工种类别（A类、B类、C类）`, p);
      return;
    }
    total += v;
    r.calc(`${who}：${c.certificate_class}工种一次性补助 ${yuan(v)}`);
  });
  if (!unknown) r.pass('子女参加短期技能培训并取得技能等级证书，给予一次性补助', p);
  r.setAmount(unknown && total === 0 ? null : total);
};

export const ruralPublicWelfarePost: Formula = (r) => {
  const ratioP = `${V}public_welfare_post.subsidy_min_wage_ratio`;
  const yearsP = `${V}public_welfare_post.max_subsidy_years`;
  const placeP = `${V}public_welfare_post.max_placements`;
  const ratio = r.num(ratioP);
  const { profile } = r;
  r.check(profile.public_welfare_post, 'public_welfare_post', { pass: '在乡村公益性岗位上岗', fail: '不在乡村公益性岗位上', unknown: '是否在乡村公益性岗位上岗' }, ratioP);
  twoGroups(r);
  const years = profile.public_welfare_post_years;
  if (years !== undefined) {
    if (r.withinMax(yearsP, years)) r.pass(`已领补贴${years}年，补贴期限一般不超过${r.num(yearsP)}年`, yearsP);
    else r.note(`已领补贴${years}年，超过一般期限${r.num(yearsP)}年；期满后存在返贫风险的脱贫家庭劳动力可再次按程序安置，期限重新计算`, yearsP);
  }
  const n = profile.public_welfare_placements;
  if (n !== undefined) {
    if (r.withinMax(placeP, n)) r.pass(`累计安置${n}次，未超过${r.num(placeP)}次`, placeP);
    else r.fail(`累计安置${n}次，超过${r.num(placeP)}次`, placeP);
  }
  r.note(`劳动合同或劳务协议每次最长${r.num(`${V}public_welfare_post.max_contract_years`)}年`, `${V}public_welfare_post.max_contract_years`);
  r.readFrom(ratioP);
  const wage = profile.min_wage_monthly ?? r.ctx.options.minWageMonthly;
  if (wage === undefined) {
    r.needForAmount('min_wage_monthly', `岗位补贴原则上不低于当地最低工资标准的${pct(ratio)}；文件没有写明当地最低工资标准的数额，无法算出金额`);
    r.setAmount(null);
    return;
  }
  const amount = wage * ratio;
  r.setAmount(amount);
  r.calc(`${wage} × ${pct(ratio)} = ${yuan(amount)}（每月补贴下限）`);
};

export const workForTrainingSubsidy: Formula = (r) => {
  const rateP = `${V}work_for_training.per_person_month`;
  const maxP = `${V}work_for_training.max_months`;
  const minP = `${V}work_for_training.min_months_employed`;
  const rate = r.num(rateP);
  const max = r.num(maxP);
  const min = r.num(minP);
  const { profile } = r;
  const n = profile.poverty_workers_hired!;
  const months = profile.months_employed!;
  if (profile.org_type) r.note(`${profile.org_type}属于企业、农民专业合作社和扶贫车间等各类生产经营主体`, rateP);
  if (n <= 0) r.fail('没有吸纳脱贫劳动力', rateP);
  else if (r.meetsMin(minP, months)) r.pass(`吸纳脱贫劳动力${n}人就业${months}个月，达到${min}个月以上`, minP);
  else r.fail(`吸纳脱贫劳动力就业${months}个月，不满${min}个月`, minP);
  r.check(profile.training_on_job, 'training_on_job', { pass: '开展了以工代训', fail: '未开展以工代训', unknown: '是否开展以工代训' }, rateP);
  if (profile.had_work_for_training_before === true) r.fail('已享受过以工代训职业培训补贴的人员除外', rateP);
  r.note('以工代训补贴和新录用人员岗前培训补贴不得重复享受', rateP);
  const paid = Math.min(months, max);
  const amount = n * rate * paid;
  r.setAmount(amount);
  r.calc(`${n} 人 × ${rate} 元 × ${paid} 个月${months > max ? `（最长${max}个月）` : ''} = ${yuan(amount)}`);
};

export const oneTimeHiringSubsidyPoverty: Formula = (r) => {
  const rateP = `${V}one_time_hiring.per_person`;
  const minP = `${V}one_time_hiring.min_months_employed`;
  const rate = r.num(rateP);
  const min = r.num(minP);
  const n = r.profile.poverty_workers_hired!;
  const months = r.profile.months_employed!;
  if (n <= 0) r.fail('没有吸纳脱贫劳动力', rateP);
  else if (r.meetsMin(minP, months)) r.pass(`吸纳脱贫劳动力${n}人稳定就业${months}个月，达到${min}个月以上`, minP);
  else r.fail(`吸纳脱贫劳动力稳定就业${months}个月，不满${min}个月`, minP);
  const amount = n * rate;
  r.setAmount(amount);
  r.calc(`${n} 人 × ${rate} 元 = ${yuan(amount)}`);
};
