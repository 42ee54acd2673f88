/** Employer side of 就业见习: 见习补贴 and 剩余期限见习补贴 (paid to the unit). */
import { pct, yuan } from '../money.js';
import type { ResultBuilder } from '../result-builder.js';
import type { Formula } from './common.js';

const P = 'graduates.internship.';

/** The local monthly minimum wage: from the profile, else the configured default, else null (texts do not state it). */
function minimumWage(r: ResultBuilder): number | null {
  const given = r.profile.min_wage_monthly;
  if (given !== undefined) {
    r.note(`当地月最低工资标准按您提供的 ${yuan(given)} 计算（政策文件未写明具体数额，适用见习期间的标准）`);
    return given;
  }
  const configured = r.ctx.options.minWageMonthly;
  if (configured !== undefined) {
    r.read(`当地月最低工资标准取系统配置的 ${configured} 元；政策文件未写明具体数额，请以当地人社部门公布的标准为准。`);
    return configured;
  }
  r.needForAmount('min_wage_monthly', '政策文件没有写明当地最低工资标准的具体数额，无法算出金额；请提供见习期间当地月最低工资标准');
  return null;
}

/** 70 %, or 110 % when the retention rate reaches the threshold (达到50%及以上). */
function subsidyRate(r: ResultBuilder): number {
  const base = r.num(`${P}subsidy_rate`);
  const raised = r.num(`${P}raised_rate`);
  const thresholdP = `${P}retention_threshold`;
  const threshold = r.num(thresholdP);
  const retention = r.profile.retention_rate;
  if (retention === undefined) {
    r.ask('retention_rate');
    r.note(`未提供见习期满留用率，按当地最低工资标准的${pct(base)}计算；留用率达到${pct(threshold)}及以上的可提高到${pct(raised)}`, `${P}subsidy_rate`, thresholdP);
    return base;
  }
  if (r.meetsMin(thresholdP, retention)) {
    r.pass(`见习期满留用率${pct(retention)}，达到${pct(threshold)}及以上，补贴标准提高到当地最低工资标准的${pct(raised)}`, thresholdP);
    return raised;
  }
  r.note(`见习期满留用率${pct(retention)}，未达到${pct(threshold)}，按当地最低工资标准的${pct(base)}`, `${P}subsidy_rate`, thresholdP);
  return base;
}

export const internshipSubsidy: Formula = (r) => {
  const trainees = r.profile.trainees!;
  const months = r.profile.trainee_months!;
  const maxP = `${P}max_months`;
  const max = r.num(maxP);
  const usualMin = r.num(`${P}usual_min_months`);
  if (trainees <= 0) {
    r.fail('没有吸纳见习人员', `${P}subsidy_rate`);
    return;
  }
  const window = r.num(`${P}graduate_window_years`);
  const youth = `${r.num(`${P}youth_age_min`)}—${r.num(`${P}youth_age_max`)}岁失业青年`;
  r.pass(`吸纳见习人员 ${trainees} 人（须为离校${window}年内未就业的高校、中专中职毕业生或${youth}，单位须经人社部门认定为见习单位）`, `${P}graduate_window_years`);
  let paidMonths = months;
  if (!r.withinMax(maxP, months)) {
    paidMonths = max;
    r.note(`见习${months}个月，补贴最长${max}个月，按${max}个月计`, maxP);
  }
  if (months < usualMin) r.note(`见习期限一般为${usualMin}—${max}个月，${months}个月短于一般期限`, `${P}usual_min_months`);
  const rate = subsidyRate(r);
  const wage = minimumWage(r);
  if (wage === null) {
    r.setAmount(null);
    return;
  }
  const amount = trainees * paidMonths * wage * rate;
  r.setAmount(amount);
  r.calc(`${trainees} 人 × ${paidMonths} 个月 × ${wage} 元 × ${pct(rate)} = ${yuan(amount)}`);
};

export const remainingPeriodInternshipSubsidy: Formula = (r) => {
  const maxP = `${P}max_months`;
  const max = r.num(maxP);
  const planned = (r.profile.planned_trainee_months ?? r.profile.trainee_months)!;
  const before = r.profile.months_before_contract!;
  const plannedCapped = Math.min(planned, max);
  if (planned > max) r.note(`原定见习期${planned}个月，见习补贴最长${max}个月，按${max}个月计`, maxP);
  if (before >= plannedCapped) {
    r.fail(`见习${before}个月后才签订劳动合同，见习期已满，不属于“见习期未满”签订劳动合同`, `${P}remaining_period`);
    return;
  }
  const remaining = plannedCapped - before;
  r.pass(`见习期未满（原定${plannedCapped}个月，见习${before}个月后）即与见习人员签订劳动合同，剩余${remaining}个月`, `${P}remaining_period`);
  r.read(
    `文件未写明剩余期限见习补贴的标准，按见习补贴的同一标准（当地最低工资标准的${pct(r.num(`${P}subsidy_rate`))}，留用率达到${pct(r.num(`${P}retention_threshold`))}及以上为${pct(r.num(`${P}raised_rate`))}）乘以剩余月数计算。`,
  );
  const rate = subsidyRate(r);
  const wage = minimumWage(r);
  const trainees = r.profile.trainees;
  if (trainees === undefined) {
    r.needForAmount('trainees', '提前签订劳动合同的见习人员人数');
  }
  if (wage === null || trainees === undefined) {
    r.setAmount(null);
    return;
  }
  const amount = trainees * remaining * wage * rate;
  r.setAmount(amount);
  r.calc(`${trainees} 人 × ${remaining} 个月 × ${wage} 元 × ${pct(rate)} = ${yuan(amount)}`);
};
