/**
 * The profile sent to POST /api/eligibility (fields from eval/README.md, section calculator).
 * Every field is optional; unknown fields are dropped; a field of the wrong type is an error that
 * names it (the route turns it into a 400 with issues[].path = "profile.<field>").
 */
import { z } from 'zod';
import { PERSONAS } from '../core/types.js';

const num = () => z.number({ error: '须为数字' }).finite({ error: '须为有限数字' });
const nonNeg = () => num().min(0, { error: '不能为负数' });
const count = () => z.number({ error: '须为整数' }).int({ error: '须为整数' }).min(0, { error: '不能为负数' });
const bool = () => z.boolean({ error: '须为 true 或 false' });
const text = () => z.string({ error: '须为文字' });
/** 'YYYY-MM-DD', 'YYYY-MM', 'YYYY' or a year number. */
const dateLike = () =>
  z.union([z.string().regex(/^\d{4}(-\d{1,2}(-\d{1,2})?)?$/), z.number().int().min(1900).max(2100)], {
    error: '须为日期（YYYY-MM-DD、YYYY-MM 或年份）',
  });

const workerSchema = z.object({
  name: text().optional(),
  annual_wage: nonNeg().optional(),
  months_worked_away: nonNeg().optional(),
  work_location: text().optional(),
});

const childSchema = z.object({
  name: text().optional(),
  program: text().optional(),
  academic_years: nonNeg().optional(),
  certificate_class: text().optional(),
});

export const profileSchema = z.object({
  // person
  persona: z.enum(PERSONAS, { error: `须为 ${PERSONAS.join(' | ')} 之一` }).optional(),
  age: nonNeg().optional(),
  category: text().optional(),
  education: text().optional(),
  student_level: text().optional(),
  in_school: bool().optional(),
  graduation_date: dateLike().optional(),
  employed: bool().optional(),
  registered_jobseeking: bool().optional(),
  registered_unemployed: bool().optional(),
  enlisted: bool().optional(),
  tuition_per_year: nonNeg().optional(),
  trainings_completed: z.array(text(), { error: '须为培训名称列表' }).optional(),
  pension_scheme: text().optional(),
  // household
  household_type: text().optional(),
  annual_wage: nonNeg().optional(),
  months_worked_away: nonNeg().optional(),
  work_location: text().optional(),
  household_members_working: z.array(workerSchema, { error: '须为务工成员列表' }).optional(),
  children: z.array(childSchema, { error: '须为子女列表' }).optional(),
  // business and loans
  loan_type: text().optional(),
  requested_amount: nonNeg().optional(),
  has_other_loans: bool().optional(),
  spouse_has_other_loans: bool().optional(),
  spouse_loan_type: text().optional(),
  spouse_loan_amount: nonNeg().optional(),
  partners: count().optional(),
  all_partners_eligible: bool().optional(),
  has_partnership_license: bool().optional(),
  first_business: bool().optional(),
  has_business_license: bool().optional(),
  months_operating: nonNeg().optional(),
  current_staff: count().optional(),
  new_eligible_hires_this_year: count().optional(),
  contracts_1yr_plus: bool().optional(),
  social_insurance_paid: bool().optional(),
  wage_arrears_record: bool().optional(),
  credit_score: nonNeg().optional(),
  /** Not in the README list: 贴息次数已满 (for 自付利息 loans). */
  interest_subsidy_used_up: bool().optional(),
  // employer
  enterprise_size: text().optional(),
  new_hires: z.array(z.object({ type: text(), count: count() }), { error: '须为 [{type, count}] 列表' }).optional(),
  contract_years: nonNeg().optional(),
  contract_months: nonNeg().optional(),
  trainees: count().optional(),
  trainee_months: nonNeg().optional(),
  planned_trainee_months: nonNeg().optional(),
  months_before_contract: nonNeg().optional(),
  contract_signed_date: dateLike().optional(),
  retention_rate: nonNeg().max(1, { error: '须为 0 到 1 之间的比例（一半写 0.5）' }).optional(),
  min_wage_monthly: nonNeg().optional(),
  pre_job_trainees: count().optional(),
  pre_job_training_hours: nonNeg().optional(),
  occupation_class: text().optional(),
  institution_in_list: bool().optional(),
  apprentices: z.array(z.object({ level: text(), count: count() }), { error: '须为 [{level, count}] 列表' }).optional(),
  apprentice_years: nonNeg().optional(),
  apprentice_actual_cost_per_person: nonNeg().optional(),
  org_type: text().optional(),
  free_for_candidates: bool().optional(),
  /** How the certificates were issued, when said apart from them ("要是直接认定的方式呢"). */
  certificate_method: text().optional(),
  certificates: z
    .array(z.object({ level: text(), count: count(), method: text().optional() }), { error: '须为 [{level, count, method}] 列表' })
    .optional(),
  poverty_workers_hired: count().optional(),
  months_employed: nonNeg().optional(),
  training_on_job: bool().optional(),
  /** Not in the README list: already received 以工代训 before (第三十九条 excludes them). */
  had_work_for_training_before: bool().optional(),
  // training
  training_days: nonNeg().optional(),
  training_location: text().optional(),
  transport_accommodation_receipts: nonNeg().optional(),
  // 乡村公益性岗位 (not in the README list)
  public_welfare_post: bool().optional(),
  public_welfare_post_years: nonNeg().optional(),
  public_welfare_placements: count().optional(),
});

export type Profile = z.infer<typeof profileSchema>;
export type ProfileField = keyof Profile;
export const PROFILE_FIELDS = Object.keys(profileSchema.shape) as ProfileField[];

/** Present means given and not null/empty-string. */
export function hasField(profile: Profile, field: string): boolean {
  const v = (profile as Record<string, unknown>)[field];
  return v !== undefined && v !== null && v !== '';
}
