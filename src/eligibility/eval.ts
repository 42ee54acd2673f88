/**
 * Scores an evaluate function on calculator cases (eval/README.md, section calculator):
 * every programme in `eligible` must come back eligible, every one in `not_eligible` must come back
 * not eligible, every amount in `amounts` must equal the returned amount (or one of
 * `acceptable_amounts`) to the fen; keys like household_total must be present as result entries.
 * Programmes listed in `undetermined` are not judged on eligibility.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { EvaluateOutput } from './types.js';

const caseSchema = z.object({
  id: z.string(),
  as_of: z.string(),
  region: z.string(),
  profile: z.record(z.string(), z.unknown()),
  expect: z.object({
    eligible: z.array(z.string()).default([]),
    not_eligible: z.array(z.string()).default([]),
    amounts: z.record(z.string(), z.number()).default({}),
    acceptable_amounts: z.record(z.string(), z.array(z.number())).default({}),
    reasons: z.record(z.string(), z.string()).optional(),
  }),
  ambiguous: z.boolean().optional(),
  undetermined: z.array(z.string()).optional(),
});
export type CalculatorCase = z.infer<typeof caseSchema>;

export type EvaluateFn = (input: { region: string; asOf: string; profile: Record<string, unknown> }) => EvaluateOutput | Promise<EvaluateOutput>;

export interface CaseFailure {
  id: string;
  problems: string[];
}

export interface CalculatorScore {
  total: number;
  passed: number;
  failures: CaseFailure[];
}

export function readCases(casesPath: string): CalculatorCase[] {
  return readFileSync(casesPath, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .map((l, i) => {
      const parsed = caseSchema.safeParse(JSON.parse(l));
      if (!parsed.success) throw new Error(`${casesPath}:${i + 1}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    });
}

const sameFen = (a: number, b: number) => Math.round(a * 100) === Math.round(b * 100); // not a policy figure: yuan ↔ fen

export function scoreCase(c: CalculatorCase, out: EvaluateOutput): string[] {
  const problems: string[] = [];
  const byKey = new Map(out.results.map((r) => [r.program, r]));
  const skip = new Set(c.undetermined ?? []);
  for (const key of c.expect.eligible) {
    if (skip.has(key)) continue;
    const r = byKey.get(key);
    if (!r) problems.push(`${key}: 应为符合，但没有返回`);
    else if (r.eligible !== true) problems.push(`${key}: 应为符合，返回不符合（${r.reasons.join('；')}）`);
  }
  for (const key of c.expect.not_eligible) {
    if (skip.has(key)) continue;
    const r = byKey.get(key);
    if (!r) problems.push(`${key}: 应为不符合，但没有返回`);
    else if (r.eligible !== false) problems.push(`${key}: 应为不符合，返回符合`);
  }
  const keys = new Set([...Object.keys(c.expect.amounts), ...Object.keys(c.expect.acceptable_amounts)]);
  for (const key of keys) {
    const accepted = [...(key in c.expect.amounts ? [c.expect.amounts[key]!] : []), ...(c.expect.acceptable_amounts[key] ?? [])];
    const r = byKey.get(key);
    if (!r) problems.push(`${key}: 应有金额 ${accepted.join(' 或 ')}，但没有返回`);
    else if (r.amount === null || !accepted.some((a) => sameFen(a, r.amount!))) problems.push(`${key}: 金额应为 ${accepted.join(' 或 ')}，返回 ${r.amount}`);
  }
  return problems;
}

export async function runCalculatorEval(evaluateFn: EvaluateFn, casesPath: string): Promise<CalculatorScore> {
  const cases = readCases(casesPath);
  const failures: CaseFailure[] = [];
  for (const c of cases) {
    let problems: string[];
    try {
      const out = await evaluateFn({ region: c.region, asOf: c.as_of, profile: c.profile });
      problems = Array.isArray(out?.results) ? scoreCase(c, out) : ['返回内容没有 results 数组'];
    } catch (err) {
      problems = [`出错：${(err as Error).message}`];
    }
    if (problems.length) failures.push({ id: c.id, problems });
  }
  return { total: cases.length, passed: cases.length - failures.length, failures };
}
