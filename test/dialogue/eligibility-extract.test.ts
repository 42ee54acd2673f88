/** Message → profile fields for the eligibility form (pure), and the form's data file checks. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ELIGIBILITY_FORM_FILE, loadEligibilityFormConfig } from '../../src/dialogue/forms/eligibility/config.js';
import { extract } from '../../src/dialogue/forms/eligibility/extract.js';
import { stripRef } from '../../src/dialogue/forms/eligibility/render.js';
import { defaultEvaluator } from '../../src/eligibility/evaluate.js';
import { understand } from '../../src/nlu/understand.js';
import { TODAY } from './helpers.js';

const evaluator = defaultEvaluator();
const cfg = loadEligibilityFormConfig(evaluator);

function read(text: string, asking: string | null = null) {
  return extract(understand(text, { today: TODAY }), TODAY, { cfg, questions: evaluator.questions, vocabulary: evaluator.vocabulary, asking });
}

describe('several fields from one message', () => {
  it.each([
    ['我是23年7月毕业的，现在没工作，在平顶山', { graduation_date: '2023-07', employed: false, region: '平顶山市' }],
    ['在外面干了8个月，年收入3万，在广东打工', { months_worked_away: 8, annual_wage: 30000, work_location: '省外' }],
    ['我想借20万创业，今年35岁', { requested_amount: 200000, age: 35 }],
    ['我是脱贫户，在郑州打工', { household_type: '脱贫户', work_location: '省内县外' }],
    ['2023届的，还没找到工作', { graduation_date: '2023', employed: false }],
    ['大学毕业两年了', { graduation_date: '2023-06' }],
    ['我们公司招了3个应届生', { new_hires: [{ type: '毕业年度高校毕业生', count: 3 }] }],
    ['叶县的，去年毕业，在上班', { region: '平顶山市', graduation_date: '2024', employed: true }],
  ])('%s', (text, expected) => {
    expect(read(text).values).toMatchObject(expected);
  });

  it('does not invent: a date that is not a graduation, a place where one works is not the home region', () => {
    const v = read('我想借20万创业，今年35岁').values;
    expect(v.graduation_date).toBeUndefined();
    expect(read('在广东打工').values.region).toBeUndefined();
    expect(read('我是23年7月毕业的').values.months_worked_away).toBeUndefined();
  });
});

describe('the answer to the question asked', () => {
  it.each([
    ['1', 'who', 'who', 'graduate'],
    ['4', 'who', 'who', 'employer'],
    ['没有', 'employed', 'employed', false],
    ['有', 'registered_jobseeking', 'registered_jobseeking', true],
    ['没交', 'social_insurance_paid', 'social_insurance_paid', false],
    ['去年', 'graduation_date', 'graduation_date', '2024'],
    ['23年', 'graduation_date', 'graduation_date', '2023'],
    ['3万', 'annual_wage', 'annual_wage', 30000],
    ['8个月', 'months_worked_away', 'months_worked_away', 8],
    ['3', 'work_location', 'work_location', '省外'],
    ['外省', 'work_location', 'work_location', '省外'],
    ['个人', 'loan_type', 'loan_type', '个人'],
    ['35', 'age', 'age', 35],
    ['监测户', 'household_type', 'household_type', '监测对象'],
  ])('%s (asking %s)', (text, asking, field, value) => {
    const ex = read(text, asking);
    if (field === 'who') expect(ex.who).toBe(value);
    else expect(ex.values[field]).toEqual(value);
  });

  it('"不知道" skips; a bare digit is not a persona choice unless that was asked', () => {
    expect(read('不知道', 'annual_wage').skip).toBe(true);
    expect(read('1', 'annual_wage').who).toBeNull();
  });

  it('a correction opening with 不对 does not answer a yes/no question', () => {
    const ex = read('不对，是去年毕业', 'employed');
    expect(ex.values).toEqual({ graduation_date: '2024' });
  });
});

describe('the form data file', () => {
  it('loads and names every option, field and programme the calculator knows', () => {
    expect(cfg.who.options.map((o) => o.key)).toEqual(['graduate', 'worker', 'loan', 'employer']);
  });

  it('a field that is not in the profile fails at load with the path named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'epa-form-'));
    try {
      const file = join(dir, 'eligibility.yaml');
      writeFileSync(file, readFileSync(DEFAULT_ELIGIBILITY_FORM_FILE, 'utf8').replace('ask: [graduation_date,', 'ask: [graduation_year,'));
      expect(() => loadEligibilityFormConfig(evaluator, file)).toThrow(/who\.options\.0\.ask: graduation_year/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('reasons', () => {
  it('strip the trailing source, nested brackets included', () => {
    expect(stripRef('不符合：您是2024届（平人社办〔2023〕73号 一、（二））')).toEqual({ text: '不符合：您是2024届', ref: '平人社办〔2023〕73号 一、（二）' });
    expect(stripRef('离校未满2年（2023年7月31日毕业）').ref).toBeNull();
  });
});
