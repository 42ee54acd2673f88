import { describe, expect, it } from 'vitest';
import { defaultEvaluator, evaluate } from '../../src/eligibility/evaluate.js';
import { missingQuestions, questionFor } from '../../src/eligibility/ask.js';
import { missingFieldsFor } from '../../src/eligibility/programs.js';
import { normalizeRegion } from '../../src/eligibility/regions.js';

describe('missing fields and questions', () => {
  const ev = defaultEvaluator();

  it('when a graduate gives nothing else, then graduation_date is asked first, with a Chinese question', () => {
    const decls = ev.programs.filter((p) => ['jobseeking_subsidy', 'internship_trainee'].includes(p.key));
    expect(missingFieldsFor(decls, { persona: 'graduate' })[0]).toBe('graduation_date');
    expect(questionFor('graduation_date')?.prompt).toContain('哪一年毕业');
  });

  it('when some fields are given, then only the others are asked, requirements before checks', () => {
    const qs = missingQuestions(['startup_loan_personal', 'counter_guarantee_waiver'], { loan_type: '个人', category: '高校毕业生' });
    const fields = qs.map((q) => q.field);
    expect(fields[0]).toBe('requested_amount');
    expect(fields).not.toContain('category');
    expect(fields).toEqual(expect.arrayContaining(['age', 'employed', 'has_other_loans', 'spouse_has_other_loans']));
    expect(qs.find((q) => q.field === 'loan_type')).toBeUndefined();
  });

  it('when a programme cannot be decided, then its result lists the missing fields instead of guessing', () => {
    const { results } = evaluate({ region: '平顶山市', asOf: '2023-09-01', profile: { persona: 'employer', new_hires: [{ type: '毕业年度高校毕业生', count: 2 }] } });
    const hs = results.find((r) => r.program === 'hiring_subsidy')!;
    expect(hs.missing).toEqual(expect.arrayContaining(['enterprise_size', 'contract_years', 'social_insurance_paid']));
    expect(hs.reasons.some((r) => r.startsWith('待核实'))).toBe(true);
  });

  it('when only unrelated fields are given, then unrelated programmes are not returned', () => {
    const { results } = evaluate({ region: '平顶山市', asOf: '2023-09-01', profile: { persona: 'employer', trainees: 2, trainee_months: 6 } });
    expect(results.map((r) => r.program)).toEqual(['internship_subsidy']);
  });

  it('when region names vary, then they map to the four regions', () => {
    expect(normalizeRegion('平顶山')).toBe('平顶山市');
    expect(normalizeRegion('汝州市')).toBe('平顶山市');
    expect(normalizeRegion('郏县')).toBe('平顶山市');
    expect(normalizeRegion('济宁')).toBe('济宁市');
    expect(normalizeRegion('河南')).toBe('河南省');
    expect(normalizeRegion('郑州')).toBeNull();
  });
});

describe('missingFieldsFor with programme keys', () => {
  it('when given keys, then it resolves them and lists what to ask', async () => {
    const { missingFieldsFor: byKeys } = await import('../../src/eligibility/index.js');
    expect(byKeys(['work_incentive', 'transport_subsidy'], { persona: 'poverty' })).toEqual(['annual_wage', 'months_worked_away', 'work_location', 'household_type']);
  });
});
