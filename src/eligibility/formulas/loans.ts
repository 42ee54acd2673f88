/** 创业担保贷款: who may borrow, how much (subsidised and self-paid), and the counter-guarantee waiver. */
import { addYears, formatDateZh } from '../dates.js';
import { pct, yuan } from '../money.js';
import type { ResultBuilder } from '../result-builder.js';
import { capRequested, type Formula, graduationDate } from './common.js';

const L = 'loans.';

/** The borrower himself: category (重点就业群体), and where the region's texts say so, age and not employed elsewhere. */
function borrowerConditions(r: ResultBuilder): void {
  const { profile } = r;
  const catsP = `${L}personal_categories`;
  const cats = r.maybe<string[]>(catsP);
  if (cats) {
    const exhaustive = r.entry(catsP).exhaustive !== false;
    if (profile.category === undefined) {
      r.unknown('category', `是否属于贷款对象类别（${cats.join('、')}）`, catsP);
    } else if (cats.includes(profile.category)) {
      r.pass(`属于贷款对象类别“${profile.category}”`, catsP);
    } else if (!exhaustive) {
      r.unknown('category', `“${profile.category}”未列在本级文件中（本级文件写明：${cats.join('、')}），以市县规定为准`, catsP);
      r.readFrom(catsP);
    } else {
      r.fail(`“${profile.category}”不在贷款对象类别之内（${cats.join('、')}）`, catsP);
    }
    if (profile.category && !cats.includes(profile.category)) r.readFrom(catsP);
  }

  if (profile.category === '高校毕业生') {
    const wP = `${L}graduate_window_years`;
    const w = r.maybe<number>(wP);
    if (w !== undefined) {
      const grad = graduationDate(r);
      if (profile.in_school === true) r.pass('在校大学生', wP);
      else if (grad === null) r.unknown('graduation_date', `是否在校或毕业${w}年内`, wP);
      else {
        const deadline = addYears(grad, w);
        if (r.ctx.asOf === deadline) r.readFrom(wP);
        if (r.ctx.asOf <= deadline) r.pass(`毕业${w}年内（${formatDateZh(grad)}毕业）`, wP);
        else r.fail(`毕业已超过${w}年（${formatDateZh(grad)}毕业，期限到${formatDateZh(deadline)}）`, wP);
      }
    }
  }

  if (profile.category === '网络商户') {
    const mP = `${L}online_merchant_min_months`;
    const min = r.maybe<number>(mP);
    if (min !== undefined) {
      const m = profile.months_operating;
      if (m === undefined) r.unknown('months_operating', `网络商户是否稳定经营${min}个月以上`, mP);
      else if (r.meetsMin(mP, m)) r.pass(`网络商户稳定经营${m}个月，达到${min}个月以上`, mP);
      else r.fail(`网络商户稳定经营${m}个月，不满${min}个月`, mP);
    }
  }

  const defP = `${L}personal_definition`;
  if (r.maybe(defP) === undefined) {
    r.note('所选地区文件未写明年龄、在职等其他申请条件，以经办机构审核为准');
    return;
  }
  ageCondition(r, defP);
  r.check(
    profile.employed === undefined ? undefined : !profile.employed,
    'employed',
    { pass: '自主创业时不在其他单位就业', fail: '目前在其他单位就业；贷款对象须“自主创业时不在其他单位就业”', unknown: '自主创业时是否在其他单位就业' },
    defP,
  );
}

/** 法定劳动年龄内；参加城乡居民养老保险的上限为60岁 (the only age the text states). */
function ageCondition(r: ResultBuilder, defP: string): void {
  const { age, pension_scheme: pension } = r.profile;
  const maxP = `${L}rural_pension_age_max`;
  const max = r.num(maxP);
  if (age === undefined) {
    r.unknown('age', '是否在法定劳动年龄内', defP);
    return;
  }
  if (pension === '城乡居民养老保险') {
    if (r.withinMax(maxP, age)) r.pass(`参加城乡居民养老保险，年龄${age}周岁，未超过劳动年龄上限${max}岁`, maxP);
    else r.fail(`参加城乡居民养老保险，年龄${age}周岁，超过劳动年龄上限${max}岁`, maxP);
    return;
  }
  if (age <= max) {
    r.pass(`年龄${age}周岁，在劳动年龄内${pension ? `（参加${pension}的按法定退休年龄由经办机构核实）` : ''}`, defP);
    return;
  }
  if (pension === undefined) {
    r.unknown('pension_scheme', `年龄${age}周岁：参加城乡居民养老保险的劳动年龄上限为${max}岁；其他人员按法定劳动年龄，文件未写明具体岁数`, maxP);
  } else {
    r.unknown('age', `年龄${age}周岁，参加${pension}；文件只写明城乡居民养老保险人员的上限${max}岁，法定劳动年龄的具体岁数文件未写明`, defP);
  }
}

/** 本人及配偶应没有其他贷款 (助学、扶贫、住房、购车贷款、5万元以下小额消费贷款除外) — for 财政贴息 only. */
function noOtherLoans(r: ResultBuilder): void {
  const { profile } = r;
  const exP = `${L}other_loan_exceptions`;
  const exceptions = r.maybe<string[]>(exP);
  if (!exceptions) return;
  const aliases = r.map(`${L}other_loan_aliases`);
  const consumerP = `${L}consumer_loan_exception_max`;
  const consumerMax = r.num(consumerP);
  const small = `${yuan(consumerMax)}以下小额消费贷款`;
  if (profile.has_other_loans === true) r.read(`“本人有其他贷款”按除外情形以外的贷款理解（只有${exceptions.join('、')}或${small}的，应答“没有”）。`);
  r.check(
    profile.has_other_loans === undefined ? undefined : !profile.has_other_loans,
    'has_other_loans',
    {
      pass: `本人没有其他贷款（${exceptions.join('、')}及${small}除外）`,
      fail: '本人有其他贷款（不属于除外情形），不能申请财政贴息贷款',
      unknown: `本人是否有其他贷款（${exceptions.join('、')}及${small}除外）`,
    },
    exP,
  );
  if (profile.spouse_has_other_loans === false) {
    r.pass('配偶没有其他贷款', exP);
    return;
  }
  if (profile.spouse_has_other_loans === undefined) {
    r.unknown('spouse_has_other_loans', '配偶（如有）是否有其他贷款', exP);
    return;
  }
  const raw = profile.spouse_loan_type;
  if (raw === undefined) {
    r.unknown('spouse_loan_type', `配偶贷款的种类（${exceptions.join('、')}和${small}可以除外）`, exP);
    return;
  }
  const type = String(aliases[raw] ?? raw);
  if (type !== raw) r.read(`配偶的“${raw}”按“${type}”对待。`);
  r.readFrom(`${L}other_loan_aliases`);
  if (exceptions.includes(type)) {
    r.pass(`配偶的${raw}属于除外情形`, exP);
  } else if (type === '小额消费贷款') {
    const amt = profile.spouse_loan_amount;
    if (amt === undefined) r.unknown('spouse_loan_amount', `配偶消费贷款的金额（${yuan(consumerMax)}以下可以除外）`, consumerP);
    else if (r.withinMax(consumerP, amt)) r.pass(`配偶的消费贷款 ${yuan(amt)}，属于${small}，可以除外`, consumerP);
    else r.fail(`配偶的消费贷款 ${yuan(amt)}，超过${yuan(consumerMax)}，不属于除外情形`, consumerP);
  } else {
    r.fail(`配偶有${raw}，不属于除外情形（申请财政贴息贷款时本人及配偶应没有其他贷款）`, exP);
  }
}

function personalInfo(r: ResultBuilder): void {
  const termP = `${L}subsidised_term_years_personal`;
  const term = r.maybe<number>(termP);
  if (term !== undefined) r.note(`贷款期限最长不超过${term}年`, termP);
  const interest = r.maybe<string>(`${L}interest_rule_personal`);
  if (interest) r.note(`贴息：${interest}`, `${L}interest_rule_personal`);
}

function smallBusinessInfo(r: ResultBuilder): void {
  const termP = `${L}subsidised_term_years_small_business`;
  const term = r.maybe<number>(termP);
  if (term !== undefined) r.note(`贷款期限最长不超过${term}年`, termP);
  const interest = r.maybe<string>(`${L}interest_rule_small_business`);
  if (interest) r.note(`贴息：${interest}`, `${L}interest_rule_small_business`);
  const rule = r.maybe<string>(`${L}small_business_amount_rule`);
  if (rule) r.note(rule, `${L}small_business_amount_rule`);
}

/** 合伙经营: partners all eligible, 合伙企业营业执照或备案的合伙协议. */
function partnershipConditions(r: ResultBuilder): void {
  const defP = `${L}partnership_definition`;
  if (r.maybe(defP) === undefined) {
    r.note('所选地区文件未写明合伙创业的具体条件（合伙人共同创业），以经办机构审核为准');
    return;
  }
  r.check(r.profile.all_partners_eligible, 'all_partners_eligible', { pass: '合伙人都属于符合创业担保贷款条件的人员', fail: '并非所有合伙人都符合创业担保贷款条件', unknown: '合伙人是否都符合创业担保贷款条件' }, defP);
  r.check(r.profile.has_partnership_license, 'has_partnership_license', { pass: '持有合伙企业营业执照或备案的合伙协议', fail: '没有合伙企业营业执照，也没有在市场监管部门备案的合伙协议', unknown: '是否持有合伙企业营业执照或在市场监管部门备案的合伙协议' }, defP);
}

function organizedConditions(r: ResultBuilder): void {
  const defP = `${L}organized_definition`;
  if (r.maybe(defP) === undefined) {
    r.note('所选地区文件未写明组织创业的具体条件，以经办机构审核为准');
    return;
  }
  r.check(r.profile.all_partners_eligible, 'all_partners_eligible', { pass: '组织起来创业的人员都符合创业担保贷款申请条件', fail: '组织起来创业的人员并非都符合创业担保贷款申请条件', unknown: '组织起来创业的人员是否都符合创业担保贷款申请条件' }, defP);
  const yP = `${L}organized_min_contract_years`;
  const y = r.num(yP);
  r.check(r.profile.contracts_1yr_plus, 'contracts_1yr_plus', { pass: `与组织起来创业的人员签订${y}年以上劳动合同`, fail: `未与组织起来创业的人员签订${y}年以上劳动合同`, unknown: `是否与组织起来创业的人员签订${y}年以上劳动合同` }, yP);
}

/** 小微企业: size, 新招用比例 (15 %, 8 % over 100 staff), 1年以上合同, 社保, 无欠薪记录. */
function smallBusinessConditions(r: ResultBuilder): void {
  const { profile } = r;
  const ratioP = `${L}small_business.hire_ratio`;
  const ratio = r.maybe<number>(ratioP);
  if (ratio === undefined) {
    r.note('所选地区文件只写明“符合条件的小微企业”及额度，未写明具体条件，以经办机构审核为准');
    return;
  }
  const sizesP = `${L}small_business.eligible_sizes`;
  const sizes = r.list(sizesP);
  const size = profile.enterprise_size;
  r.check(size === undefined ? undefined : sizes.includes(size), 'enterprise_size', { pass: `${size}企业，属于小微企业`, fail: `${size}企业，不属于小微企业（${sizes.join('、')}）`, unknown: '企业是否为小型或微型企业' }, sizesP);

  const staff = profile.current_staff;
  const hires = profile.new_eligible_hires_this_year ?? eligibleHiresOf(r);
  if (staff === undefined || hires === undefined) {
    const over = r.num(`${L}small_business.large_staff_threshold`);
    r.unknown(['current_staff', 'new_eligible_hires_this_year'], `当年新招用符合条件人员是否达到现有在职职工的${pct(ratio)}（超过${over}人的企业${pct(r.num(`${L}small_business.hire_ratio_large`))}）`, ratioP);
  } else if (staff <= 0) {
    r.fail('没有在职职工人数，无法计算招用比例', ratioP);
  } else {
    const largeP = `${L}small_business.large_staff_threshold`;
    const large = r.meetsMin(largeP, staff);
    const thrP = large ? `${L}small_business.hire_ratio_large` : ratioP;
    const threshold = r.num(thrP);
    const actual = hires / staff;
    const ok = r.meetsMin(thrP, actual);
    // How many it takes: 25 × 15% = 3.75 → at least 4 people.
    const need = Math.ceil(staff * threshold - 1e-9);
    r.explain(`${hires} ÷ ${staff} = ${pct(actual)}，${ok ? '达到' : '未达到'}${pct(threshold)}（${staff} × ${pct(threshold)} = ${round2(staff * threshold)}，至少需${need}人）`);
    const who = `${large ? `职工${staff}人，超过${r.num(largeP)}人，` : `职工${staff}人，`}比例要求${pct(threshold)}`;
    if (ok) r.pass(`当年新招用符合条件人员${hires}人，占现有职工${pct(actual)}（${who}；${staff} × ${pct(threshold)} = ${round2(staff * threshold)}，至少需${need}人）`, thrP);
    else r.fail(`当年新招用符合条件人员${hires}人，占现有职工${pct(actual)}，未达到${pct(threshold)}（${who}；${staff} × ${pct(threshold)} = ${round2(staff * threshold)}，至少需${need}人，还差${need - hires}人）`, thrP);
  }
  const cP = `${L}small_business.min_contract_years`;
  const years = r.maybe<number>(cP);
  if (years !== undefined) {
    r.check(profile.contracts_1yr_plus, 'contracts_1yr_plus', { pass: `与新招用人员签订${years}年以上劳动合同`, fail: `未与新招用人员签订${years}年以上劳动合同`, unknown: `是否与新招用人员签订${years}年以上劳动合同` }, cP);
  }
  const defP = `${L}small_business_definition`;
  if (r.maybe(defP) !== undefined) {
    r.check(profile.social_insurance_paid, 'social_insurance_paid', { pass: '为职工缴纳社会保险', fail: '未为职工缴纳社会保险', unknown: '是否为新招用人员缴纳社会保险' }, defP);
    r.check(
      profile.wage_arrears_record === undefined ? undefined : !profile.wage_arrears_record,
      'wage_arrears_record',
      { pass: '无拖欠职工工资等严重违法违规信用记录', fail: '有拖欠职工工资等严重违法违规信用记录', unknown: '是否有拖欠职工工资等严重违法违规信用记录' },
      defP,
    );
  }
}

/** New hires told by type ("新招了3个登记失业的"): those of the types the texts count as eligible for the loan. */
function eligibleHiresOf(r: ResultBuilder): number | undefined {
  const told = r.profile.new_hires;
  if (!told || told.length === 0) return undefined;
  const types = r.maybe<string[]>(`${L}small_business.eligible_hire_types`);
  if (!types) return undefined;
  return told.filter((h) => types.includes(h.type)).reduce((sum, h) => sum + h.count, 0);
}

const round2 = (n: number) => String(Number(n.toFixed(2)));

function selfPaidRule(r: ResultBuilder): void {
  const ruleP = `${L}self_paid.rule`;
  r.note(r.text(ruleP), ruleP);
  r.readFrom(ruleP);
}

export const startupLoanPersonal: Formula = (r) => {
  const capP = `${L}personal_cap`;
  r.num(capP);
  borrowerConditions(r);
  noOtherLoans(r);
  r.setAmount(capRequested(r, capP, '个人贷款'));
  personalInfo(r);
};

export const startupLoanPartnership: Formula = (r) => {
  const capP = `${L}partnership_cap`;
  r.num(capP);
  partnershipConditions(r);
  noOtherLoans(r);
  r.readFrom(capP);
  r.setAmount(capRequested(r, capP, '合伙经营贷款'));
  personalInfo(r);
};

export const startupLoanOrganized: Formula = (r) => {
  const capP = `${L}organized_cap`;
  r.num(capP);
  organizedConditions(r);
  noOtherLoans(r);
  r.setAmount(capRequested(r, capP, '组织创业贷款'));
  personalInfo(r);
};

export const startupLoanSmallBusiness: Formula = (r) => {
  const capP = `${L}small_business_cap`;
  r.num(capP);
  smallBusinessConditions(r);
  r.setAmount(capRequested(r, capP, '小微企业贷款'));
  smallBusinessInfo(r);
};

export const selfPaidPersonal: Formula = (r) => {
  const capP = `${L}self_paid.personal_cap`;
  r.num(capP);
  borrowerConditions(r);
  selfPaidRule(r);
  r.setAmount(capRequested(r, capP, '自付利息个人贷款'));
};

export const selfPaidPartnership: Formula = (r) => {
  const capP = `${L}self_paid.partnership_cap`;
  r.num(capP);
  partnershipConditions(r);
  selfPaidRule(r);
  r.setAmount(capRequested(r, capP, '自付利息合伙经营贷款'));
};

export const selfPaidOrganized: Formula = (r) => {
  const capP = `${L}self_paid.organized_cap`;
  r.num(capP);
  organizedConditions(r);
  selfPaidRule(r);
  r.setAmount(capRequested(r, capP, '自付利息组织创业贷款'));
};

export const selfPaidSmallBusiness: Formula = (r) => {
  const capP = `${L}self_paid.small_business_cap`;
  r.num(capP);
  smallBusinessConditions(r);
  selfPaidRule(r);
  r.setAmount(capRequested(r, capP, '自付利息小微企业贷款'));
};

export const counterGuaranteeWaiver: Formula = (r) => {
  const maxP = `${L}counter_guarantee_waiver_max`;
  const max = r.num(maxP);
  if (r.profile.loan_type !== '个人') {
    r.fail(`按额度免除反担保只适用于个人创业担保贷款，所问的是${r.profile.loan_type}贷款`, maxP);
    r.note('经评估认定的信用小微企业、商户、农户等特定群体可另行免除反担保，以经办机构认定为准', maxP);
    return;
  }
  borrowerConditions(r);
  const requested = r.profile.requested_amount!;
  if (r.withinMax(maxP, requested)) {
    r.pass(`申请个人创业担保贷款 ${yuan(requested)}，属于 ${yuan(max)} 及以下，可免除反担保`, maxP);
    r.explain(`${requested} 元 ≤ ${max} 元`);
  } else {
    r.fail(`申请额 ${yuan(requested)}，超过 ${yuan(max)}，不能按额度免除反担保`, maxP);
    r.explain(`${requested} 元 > ${max} 元`);
  }
  const scoreP = `${L}credit_user_score_min`;
  const score = r.profile.credit_score;
  const min = score === undefined ? undefined : r.maybe<number>(scoreP);
  if (score !== undefined && min !== undefined) {
    r.note(`信用风险评分${score}分，${r.meetsMin(scoreP, score) ? `达到${min}分以上，也可作为信用用户申请免反担保贷款` : `未达到信用用户免反担保的${min}分`}`, scoreP);
  }
  r.setAmount(null);
};
