import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEvaluator } from '../../src/eligibility/evaluate.js';
import { DEFAULT_RULES_DIR, loadRuleData } from '../../src/eligibility/parameters/load.js';
import { lookup } from '../../src/eligibility/parameters/lookup.js';
import { loadPrograms } from '../../src/eligibility/programs.js';
import { loadQuestions } from '../../src/eligibility/questions.js';

const SEEDS = join(DEFAULT_RULES_DIR, '..', 'seeds');
const squash = (s: string) => s.replace(/\s+/g, '');

describe('rule data (knowledge/rules)', () => {
  const data = loadRuleData();

  it('when the rules load, then every quoted passage occurs in its source text', () => {
    const texts = new Map<string, string>();
    const missing: string[] = [];
    for (const p of data.parameters.values()) {
      for (const [i, v] of p.values.entries()) {
        for (const r of [...v.references, ...(v.end_reference ? [v.end_reference] : [])]) {
          const src = data.sources.get(r.source)!;
          if (!texts.has(src.seed)) texts.set(src.seed, squash(readFileSync(join(SEEDS, src.seed), 'utf8')));
          if (!texts.get(src.seed)!.includes(squash(r.quote))) missing.push(`${p.file} values.${i}: “${r.quote}”`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('when a value has an end date, then the text of that end date is quoted', () => {
    const ends = [...data.parameters.values()].flatMap((p) => p.values.filter((v) => v.end !== null && v.end_reference).map((v) => v.end_reference!.quote));
    expect(ends.some((q) => q.includes('2021年12月31日'))).toBe(true);
    expect(ends.some((q) => q.includes('2025年12月31日'))).toBe(true);
    expect(ends.some((q) => squash(q).includes('2023年12月31日'))).toBe(true);
  });

  it('when programmes are declared, then each names known fields, has a question for each and a formula', () => {
    const programs = loadPrograms(DEFAULT_RULES_DIR, new Set(data.parameters.keys()));
    expect(() => loadQuestions(DEFAULT_RULES_DIR, programs)).not.toThrow();
    expect(() => createEvaluator()).not.toThrow();
  });

  it('when a parameter file is malformed, then the error names the file and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    cpSync(DEFAULT_RULES_DIR, dir, { recursive: true });
    const file = join(dir, 'parameters', 'poverty', 'work_incentive', 'cap_per_person.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('value: 1500', 'value: 一千五'));
    expect(() => loadRuleData(dir)).toThrow(/parameters\/poverty\/work_incentive\/cap_per_person\.yaml: values\.0/);

    cpSync(DEFAULT_RULES_DIR, dir, { recursive: true });
    writeFileSync(file, readFileSync(file, 'utf8').replace('inclusive: true', ''));
    expect(() => loadRuleData(dir)).toThrow(/cap_per_person\.yaml: values\.0\.inclusive/);

    cpSync(DEFAULT_RULES_DIR, dir, { recursive: true });
    writeFileSync(file, readFileSync(file, 'utf8').replace('source: pgg-2023-7', 'source: nowhere'));
    expect(() => loadRuleData(dir)).toThrow(/cap_per_person\.yaml: values\.0\.references\.0\.source: 未知的来源/);
  });

  it('when two values of one region overlap in time, then loading fails instead of overwriting', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    cpSync(DEFAULT_RULES_DIR, dir, { recursive: true });
    const file = join(dir, 'parameters', 'loans', 'personal_cap.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('end: 2023-04-26', 'end: 2023-06-30'));
    expect(() => loadRuleData(dir)).toThrow(/personal_cap\.yaml: values\.2: 与 values\.1 在 河南省 的有效期重叠/);
  });
});

describe('lookup(parameter, region, date)', () => {
  const data = loadRuleData();

  it('when 平顶山 has its own value, then it is used; otherwise 河南省 is', () => {
    const city = lookup(data, 'loans.personal_cap', '平顶山市', '2023-09-01');
    expect(city.status === 'ok' && city.region).toBe('平顶山市');
    const before = lookup(data, 'loans.personal_cap', '平顶山市', '2023-01-10');
    expect(before.status === 'ok' && before.region).toBe('河南省');
    const province = lookup(data, 'employer.hiring_subsidy.per_person', '平顶山市', '2023-09-01');
    expect(province.status === 'ok' && province.region).toBe('河南省');
  });

  it('when asked for 济宁, then Henan values are never used', () => {
    expect(lookup(data, 'employer.hiring_subsidy.per_person', '济宁市', '2023-09-01').status).toBe('absent');
    const jn = lookup(data, 'loans.partnership_cap', '济宁市', '2023-09-01');
    expect(jn.status === 'ok' && jn.value).toBe(600000);
  });

  it('when a provision ended, then the old value is kept and reported as expired after its end date', () => {
    expect(lookup(data, 'poverty.work_for_training.per_person_month', '河南省', '2021-12-31').status).toBe('ok');
    expect(lookup(data, 'poverty.work_for_training.per_person_month', '河南省', '2022-01-01').status).toBe('expired');
    expect(lookup(data, 'poverty.work_for_training.per_person_month', '河南省', '2021-08-03').status).toBe('not_started');
  });

  it('when the city ends a provision the province states without end, then the city end date wins', () => {
    expect(lookup(data, 'graduates.internship.remaining_period', '平顶山市', '2023-12-31').status).toBe('ok');
    expect(lookup(data, 'graduates.internship.remaining_period', '平顶山市', '2024-01-01').status).toBe('expired');
    expect(lookup(data, 'graduates.internship.remaining_period', '河南省', '2024-01-01').status).toBe('ok');
  });
});
