/** Graduates and young people: 求职创业补贴, 见习人员资格, 创业培训补贴, 入伍生活补助与学费补偿. */
import { addYears, formatDateZh, yearOf } from '../dates.js';
import { yuan } from '../money.js';
import type { ResultBuilder } from '../result-builder.js';
import type { ProgramResult } from '../types.js';
import { type Formula, graduationDate } from './common.js';

const P = 'graduates.';

export const jobseekingSubsidy: Formula = (r) => {
  const amount = r.num(`${P}jobseeking_subsidy.amount`);
  const cohort = r.num(`${P}jobseeking_subsidy.cohort_year`);
  r.readFrom(`${P}jobseeking_subsidy.amount`);
  const grad = graduationDate(r);
  if (grad === null) {
    r.unknown('graduation_date', '毕业时间');
  } else if (grad > r.ctx.asOf) {
    r.fail(`尚未毕业（毕业时间${formatDateZh(grad)}）`, `${P}jobseeking_subsidy.cohort_year`);
  } else if (yearOf(grad) === cohort) {
    r.pass(`${cohort}届高校毕业生`, `${P}jobseeking_subsidy.cohort_year`);
  } else {
    r.fail(`该补贴写给${cohort}届高校毕业生，您是${yearOf(grad)}届`, `${P}jobseeking_subsidy.cohort_year`);
  }
  r.check(
    r.profile.employed === undefined ? undefined : !r.profile.employed,
    'employed',
    { pass: '目前仍在求职（未就业）', fail: '已经就业；信中的补贴写给“还在求职”的毕业生', unknown: '是否仍在求职（未就业）' },
    `${P}jobseeking_subsidy.amount`,
  );
  if (r.profile.registered_jobseeking || r.profile.registered_unemployed) {
    const done = [r.profile.registered_jobseeking ? '求职登记' : null, r.profile.registered_unemployed ? '失业登记' : null].filter(Boolean).join('和');
    r.pass(`已在公共就业人才服务机构做${done}`, `${P}jobseeking_subsidy.amount`);
  } else {
    r.note('可到当地公共就业人才服务机构进行求职登记和失业登记，享受实名制就业服务并申请补贴', `${P}jobseeking_subsidy.amount`);
  }
  r.setAmount(amount);
  r.calc(`一次性求职创业补贴 ${yuan(amount)}`);
};

export const internshipTrainee: Formula = (r) => {
  const windowP = `${P}internship.graduate_window_years`;
  const minP = `${P}internship.youth_age_min`;
  const maxP = `${P}internship.youth_age_max`;
  const years = r.num(windowP);
  const { profile } = r;
  const notEmployed = profile.employed === undefined ? undefined : !profile.employed;

  // Path 1: 离校2年内未就业的高校、中专中职毕业生
  let graduatePath: boolean | undefined;
  const grad = graduationDate(r);
  const lowEducation = profile.education !== undefined && /初中|高中|小学/.test(profile.education) && !/中专|中职/.test(profile.education);
  if (grad !== null) {
    const deadline = addYears(grad, years);
    if (grad > r.ctx.asOf) {
      graduatePath = false;
      r.note(`尚未离校（毕业时间${formatDateZh(grad)}）`, windowP);
    } else if (lowEducation) {
      graduatePath = false;
      r.note(`学历为${profile.education}，不属于高校、中专中职毕业生`, windowP);
    } else if (r.ctx.asOf <= deadline) {
      if (r.ctx.asOf === deadline) r.readFrom(windowP);
      graduatePath = notEmployed;
      r.note(`离校未满${years}年（${formatDateZh(grad)}毕业，${formatDateZh(deadline)}前仍在期内）`, windowP);
    } else {
      graduatePath = false;
      r.note(`离校已超过${years}年（${formatDateZh(grad)}毕业，期限到${formatDateZh(deadline)}）`, windowP);
    }
  }

  // Path 2: 16—24岁失业青年
  let youthPath: boolean | undefined;
  if (profile.age !== undefined) {
    const inRange = r.meetsMin(minP, profile.age) && r.withinMax(maxP, profile.age);
    const unemployed = profile.registered_unemployed === true ? true : notEmployed;
    youthPath = inRange ? unemployed : false;
    r.note(`年龄${profile.age}周岁，${inRange ? '在' : '不在'}${r.num(minP)}—${r.num(maxP)}岁失业青年范围内`, maxP);
  }

  const lo = r.num(minP);
  const hi = r.num(maxP);
  if (graduatePath === true || youthPath === true) {
    r.pass(graduatePath ? `离校${years}年内未就业的毕业生，可作为见习人员` : `${lo}—${hi}岁失业青年，可作为见习人员`, graduatePath ? windowP : maxP);
  } else if (graduatePath === false && youthPath === false) {
    r.fail(`既不是离校${years}年内未就业的毕业生，也不是${lo}—${hi}岁失业青年`, windowP, maxP);
  } else if ((graduatePath === undefined && grad !== null) || (youthPath === undefined && profile.age !== undefined)) {
    // within the window or the age range, but employment status not given
    r.unknown('employed', '目前是否未就业（见习人员须为未就业毕业生或失业青年）', windowP);
  } else {
    // one path failed and the other has no data (e.g. graduated too long ago, age not given)
    r.fail(graduatePath === false ? `不属于离校${years}年内未就业的毕业生` : `不属于${lo}—${hi}岁失业青年`, graduatePath === false ? windowP : maxP);
    r.ask(graduatePath === false ? 'age' : 'graduation_date');
  }
  const usual = r.maybe<number>(`${P}internship.usual_min_months`);
  const longest = r.maybe<number>(`${P}internship.max_months`);
  if (usual !== undefined && longest !== undefined) r.note(`见习期限一般为${usual}—${longest}个月，见习补贴发给见习单位`, `${P}internship.usual_min_months`);
};

/** 四类创业培训各一次：graduates in school (amounts stated), or “两类人员” (standard not stated). */
export const startupTrainingSubsidy: Formula = (r) => {
  const { profile } = r;
  const done = [...new Set(profile.trainings_completed ?? [])];
  const ruralPersona = profile.persona === 'poverty' || profile.persona === 'migrant';
  const graduatePath =
    profile.in_school !== undefined || profile.persona === 'graduate' || profile.category === '高校毕业生' || (!profile.household_type && !ruralPersona);
  if (!graduatePath) {
    const rule = r.text('poverty.startup_training_rule');
    const groups = r.list('poverty.two_groups_household_types');
    if (profile.household_type === undefined) {
      r.unknown('household_type', '是否属于“两类人员”（脱贫人口、农村低收入人口）；高校毕业生在校期间参加的按另一标准', 'poverty.two_groups_household_types');
    } else if (!groups.includes(profile.household_type)) {
      r.fail(`家庭类型为${profile.household_type}，不属于“两类人员”（脱贫人口、农村低收入人口）`, 'poverty.two_groups_household_types');
      return;
    } else {
      r.pass(`属于“两类人员”（${profile.household_type}）`, 'poverty.two_groups_household_types');
    }
    r.note(`${rule}文件未列明金额，无法计算`, 'poverty.startup_training_rule');
    r.setAmount(null);
    return;
  }
  const amountsP = `${P}startup_training.amounts`;
  const table = r.map(amountsP);
  r.check(
    profile.in_school,
    'in_school',
    { pass: '高校毕业生在校期间参加培训', fail: '补贴面向高校毕业生“在校期间”参加的培训，目前已不在校', unknown: '是否为在校期间参加的培训' },
    amountsP,
  );
  if (profile.in_school === false) r.read('“在校期间”按申请时仍在校理解；已毕业者参加的创业培训按其他规定执行，本项不计。');
  const counted: string[] = [];
  let total = 0;
  for (const t of done) {
    const v = table[t];
    if (typeof v === 'number') {
      counted.push(`${t} ${v} 元`);
      total += v;
    } else {
      r.note(`“${t}”不在四类创业培训之内，不计`, amountsP);
    }
  }
  if ((profile.trainings_completed ?? []).length !== done.length) r.note('每类培训只补贴一次，重复的不再计算', amountsP);
  if (counted.length === 0) {
    r.fail('没有参加四类创业培训中的任何一类', amountsP);
    return;
  }
  r.pass(`参加了${counted.length}类创业培训，每类各补贴一次`, amountsP);
  r.setAmount(total);
  r.calc(`${counted.join(' + ')} = ${yuan(total)}`);
};

function enlistedAsStudent(r: ResultBuilder, param: string): void {
  const { profile } = r;
  r.check(profile.enlisted, 'enlisted', { pass: '已应征入伍', fail: '尚未应征入伍', unknown: '是否应征入伍' }, param);
  if (profile.in_school === true) {
    r.pass('入伍时为在读大学生', param);
    return;
  }
  const grad = graduationDate(r);
  if (grad !== null && yearOf(grad) === yearOf(r.ctx.asOf)) {
    r.pass(`${yearOf(grad)}届应届毕业生（“在读大学生（含应届毕业生）”）`, param);
    r.read('“应届毕业生”按毕业年份与测算日期同一年理解。');
  } else if (grad !== null || profile.in_school === false) {
    r.fail('文件写明的对象是在读大学生（含应届毕业生），往届毕业生不在此列', param);
  } else {
    r.unknown('in_school', '入伍时是否为在读大学生或应届毕业生', param);
  }
}

export const enlistmentLivingSubsidy: Formula = (r) => {
  const param = `${P}enlistment.living_subsidy`;
  const amount = r.num(param);
  enlistedAsStudent(r, param);
  r.setAmount(amount);
  r.calc(`一次性生活补助 ${yuan(amount)}`);
};

export const tuitionCompensation: Formula = (r): ProgramResult[] => {
  const param = `${P}enlistment.tuition_caps`;
  const caps = r.map(param);
  enlistedAsStudent(r, param);
  const level = r.profile.student_level;
  const tuition = r.profile.tuition_per_year!;
  const cap = level ? caps[level] : undefined;
  if (typeof cap !== 'number') {
    r.unknown('student_level', `学历层次（本专科生每年最高 ${caps['本专科']} 元，研究生每年最高 ${caps['研究生']} 元）`, param);
    r.setAmount(null);
    return [];
  }
  r.readFrom(param);
  const perYear = Math.min(tuition, cap);
  r.calc(
    tuition > cap
      ? `实际学费每年 ${yuan(tuition)}，超过${level}生每年上限 ${yuan(cap)}，按 ${yuan(cap)}`
      : `实际学费每年 ${yuan(tuition)}，未超过${level}生每年上限 ${yuan(cap)}，按 ${yuan(tuition)}`,
  );
  r.note(`按实际学费与每年上限取较低者，每年补偿 ${yuan(perYear)}（总额按实际就读年数计）`, param);
  r.setAmount(perYear);
  const built = r.build();
  return [{ ...built, program: 'tuition_compensation_per_year', title: '应征入伍学费补偿（每年）' }];
};
