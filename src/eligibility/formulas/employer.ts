/**
 * Employer side (豫就业组〔2023〕1号 附件2): 一次性吸纳就业补贴, 社会保险补贴, 岗前培训补贴,
 * 新型学徒制培训补贴, 职业技能评价补贴.
 */
import { pct, yuan } from '../money.js';
import type { ResultBuilder } from '../result-builder.js';
import type { Formula } from './common.js';

const E = 'employer.';

/** Conditions shared by 吸纳就业补贴 and 社会保险补贴; returns the number of hires that count. */
function hiringConditions(r: ResultBuilder): number {
  const { profile } = r;
  const typesP = `${E}hiring_subsidy.eligible_hire_types`;
  const sizesP = `${E}hiring_subsidy.eligible_enterprise_sizes`;
  const contractP = `${E}hiring_subsidy.min_contract_years`;
  const types = r.list(typesP);
  const sizes = r.list(sizesP);
  const size = profile.enterprise_size;
  r.check(size === undefined ? undefined : sizes.includes(size), 'enterprise_size', { pass: `${size}企业，属于中小微企业`, fail: `${size ?? ''}企业不属于中小微企业`, unknown: '企业是否为中小微企业' }, sizesP);

  const minYears = r.num(contractP);
  const years = profile.contract_years ?? (profile.contract_months !== undefined ? profile.contract_months / 12 : undefined);
  if (years === undefined) r.unknown('contract_years', `是否与新招用人员签订${minYears}年以上劳动合同`, contractP);
  else if (r.meetsMin(contractP, years)) r.pass(`签订${profile.contract_years !== undefined ? `${years}年` : `${profile.contract_months}个月`}劳动合同，达到${minYears}年以上`, contractP);
  else r.fail(`劳动合同${profile.contract_years !== undefined ? `${years}年` : `${profile.contract_months}个月`}，不满${minYears}年`, contractP);

  r.check(profile.social_insurance_paid, 'social_insurance_paid', { pass: '为新招用人员缴纳社会保险费', fail: '未为新招用人员缴纳社会保险费', unknown: '是否为新招用人员缴纳社会保险费' }, typesP);

  let counted = 0;
  for (const h of profile.new_hires ?? []) {
    if (types.includes(h.type)) counted += h.count;
    else r.note(`“${h.type}”不属于${types.join('、')}，不计入`, typesP);
  }
  if (counted > 0) r.pass(`当年新招用符合条件人员${counted}人（${types.join('、')}）`, typesP);
  else r.fail(`新招用人员中没有${types.join('、')}`, typesP);
  return counted;
}

export const hiringSubsidy: Formula = (r) => {
  const p = `${E}hiring_subsidy.per_person`;
  const per = r.num(p);
  r.readFrom(p);
  const n = hiringConditions(r);
  const amount = n * per;
  r.setAmount(amount);
  r.calc(`${n} 人 × ${per} 元 = ${yuan(amount)}`);
};

export const socialInsuranceSubsidy: Formula = (r) => {
  const p = `${E}social_insurance_subsidy.max_years`;
  const years = r.num(p);
  hiringConditions(r);
  r.note(`按企业为新招用符合条件人员实际缴纳的社会保险费（单位缴纳部分）补贴，最长${years}年；金额取决于实际缴费，无法预先计算`, p);
  r.setAmount(null);
};

/** A类 / B类 occupations raise every enterprise training subsidy by 20 % / 10 %. */
function uplift(r: ResultBuilder): { rate: number; label: string | null } {
  const p = `${E}training_uplift`;
  const table = r.map(p);
  const c = r.profile.occupation_class;
  if (c === undefined) {
    r.ask('occupation_class');
    r.note(`未说明职业（工种）类别；列入目录A类、B类的分别上浮${Object.values(table).map((v) => pct(Number(v))).join('、')}，此处按不上浮计算`, p);
    return { rate: 0, label: null };
  }
  const v = table[c];
  if (typeof v === 'number') {
    r.pass(`${c}职业（工种），补贴标准上浮${pct(v)}`, p);
    return { rate: v, label: c };
  }
  r.note(`${c}职业（工种），补贴标准不上浮`, p);
  return { rate: 0, label: null };
}

export const preJobTrainingSubsidy: Formula = (r) => {
  const p = `${E}pre_job_training.per_person`;
  const hoursP = `${E}pre_job_training.min_hours`;
  const per = r.num(p);
  const min = r.num(hoursP);
  const { profile } = r;
  const n = profile.pre_job_trainees!;
  const hours = profile.pre_job_training_hours!;
  if (r.meetsMin(hoursP, hours)) r.pass(`岗前集中培训${hours}学时，达到${min}个学时以上`, hoursP);
  else r.fail(`岗前集中培训${hours}学时，不满${min}个学时`, hoursP);
  r.check(profile.institution_in_list, 'institution_in_list', { pass: '培训机构已纳入政府补贴培训评价机构清单', fail: '培训机构未纳入政府补贴培训评价机构清单', unknown: '培训机构是否纳入政府补贴培训评价机构清单' }, p);
  if (n <= 0) r.fail('没有参加岗前培训的新录用人员', p);
  const u = uplift(r);
  const amount = n * per * (1 + u.rate);
  r.setAmount(amount);
  r.calc(u.rate ? `${n} 人 × ${per} 元 × (1 + ${pct(u.rate)}) = ${yuan(amount)}` : `${n} 人 × ${per} 元 = ${yuan(amount)}`);
};

export const apprenticeshipSubsidy: Formula = (r) => {
  const p = `${E}apprenticeship.per_person_per_year`;
  const costP = `${E}apprenticeship.actual_cost_threshold`;
  const table = r.map(p);
  const threshold = r.num(costP);
  const { profile } = r;
  const years = profile.apprentice_years;
  if (years === undefined) {
    r.ask('apprentice_years');
    r.note('未说明学徒培训年数，按1年计算（标准为每人每年）', p);
  }
  const y = years ?? 1;
  const cost = profile.apprentice_actual_cost_per_person;
  const u = uplift(r);
  let total = 0;
  const lines: string[] = [];
  for (const a of profile.apprentices ?? []) {
    const std = table[a.level];
    if (typeof std !== 'number') {
      r.note(`${a.level}不在新型学徒制补贴标准之内（${Object.keys(table).join('、')}），不计`, p);
      continue;
    }
    let per = std * (1 + u.rate);
    let how = u.rate ? `${std} 元 × (1 + ${pct(u.rate)})` : `${std} 元`;
    if (cost !== undefined && !r.meetsMin(costP, cost)) {
      per = cost;
      how = `${cost} 元（实际支出低于 ${yuan(threshold)}，据实）`;
    }
    const sub = a.count * per * y;
    total += sub;
    lines.push(`${a.level} ${a.count} 人 × ${how}${y !== 1 ? ` × ${y} 年` : ''} = ${yuan(sub)}`);
  }
  if (cost !== undefined) {
    if (r.meetsMin(costP, cost)) r.note(`每人实际支出 ${yuan(cost)}，不低于 ${yuan(threshold)}，按标准补贴`, costP);
    else r.pass(`每人实际支出 ${yuan(cost)}，低于 ${yuan(threshold)}，据实补贴`, costP);
    r.readFrom(costP);
  }
  if (lines.length === 0) {
    r.fail('没有中级工、高级工学徒', p);
    return;
  }
  r.pass('开展新型学徒制培训', p);
  r.note('列入培训计划的企业可先预支部分补贴，完成培训任务后再给予剩余补贴；未完成的不予补贴并收回预支', p);
  for (const l of lines) r.calc(l);
  if (lines.length > 1) r.calc(`合计 ${yuan(total)}${y === 1 ? '（按 1 年）' : ''}`);
  r.setAmount(total);
};

export const evaluationSubsidy: Formula = (r) => {
  const p = `${E}evaluation.per_certificate`;
  const directP = `${E}evaluation.direct_recognition_factor`;
  const table = r.map(p);
  const factor = r.num(directP);
  const { profile } = r;
  r.check(profile.institution_in_list, 'institution_in_list', { pass: '评价机构已纳入年度政府补贴培训评价机构清单', fail: '评价机构未纳入年度政府补贴培训评价机构清单', unknown: '评价机构是否纳入年度政府补贴培训评价机构清单' }, p);
  r.check(profile.free_for_candidates, 'free_for_candidates', { pass: '为劳动者免费开展评价', fail: '评价向劳动者收费，不符合“免费开展”', unknown: '是否对劳动者免费开展评价' }, p);
  r.note('限同一职业（工种）同一技能等级的初次评价并取得证书（不含培训合格证），同一人员同一等级不得重复申领', p);
  let total = 0;
  const lines: string[] = [];
  for (const c of profile.certificates ?? []) {
    const std = table[c.level];
    if (typeof std !== 'number') {
      r.note(`${c.level}不在评价补贴标准之内，不计`, p);
      continue;
    }
    const direct = (c.method ?? profile.certificate_method) === '直接认定';
    const sub = c.count * std * (direct ? factor : 1);
    total += sub;
    lines.push(`${c.level} ${c.count} 本 × ${std} 元${direct ? ` × ${pct(factor)}（直接认定）` : ''} = ${yuan(sub)}`);
  }
  if (lines.length === 0) {
    r.fail('没有可补贴的证书', p);
    return;
  }
  for (const l of lines) r.calc(l);
  if (lines.length > 1) r.calc(`合计 ${yuan(total)}`);
  r.setAmount(total);
};
