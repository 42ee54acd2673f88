/**
 * Runs the policy cases in test/eligibility/cases/*.yaml (one sentence per case, OpenFisca-style):
 * region, as_of, profile, and what is expected — programmes eligible / not eligible / not returned,
 * amounts to the fen, and words the reasons, arithmetic, reading or expiry must contain.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { evaluate } from '../../src/eligibility/evaluate.js';

const CASES_DIR = fileURLToPath(new URL('./cases/', import.meta.url));

const texts = z.record(z.string(), z.string());
const caseSchema = z.object({
  name: z.string(),
  region: z.string(),
  as_of: z.string(),
  profile: z.record(z.string(), z.unknown()),
  options: z.object({ minWageMonthly: z.number().optional() }).optional(),
  expected: z.object({
    eligible: z.array(z.string()).default([]),
    not_eligible: z.array(z.string()).default([]),
    absent: z.array(z.string()).default([]),
    amounts: z.record(z.string(), z.number().nullable()).default({}),
    missing: z.record(z.string(), z.array(z.string())).default({}),
    reasons: texts.default({}),
    arithmetic: texts.default({}),
    reading: texts.default({}),
    expired: texts.default({}),
  }),
});

const files = readdirSync(CASES_DIR).filter((f) => f.endsWith('.yaml')).sort();

describe.each(files)('%s', (file) => {
  const cases = z.array(caseSchema).parse(parse(readFileSync(join(CASES_DIR, file), 'utf8')));
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { results } = evaluate({ region: c.region, asOf: c.as_of, profile: c.profile }, c.options ?? {});
    const get = (key: string) => {
      const r = results.find((x) => x.program === key);
      expect(r, `${key} 应在结果中（返回了：${results.map((x) => x.program).join(', ')}）`).toBeDefined();
      return r!;
    };
    const e = c.expected;
    for (const k of e.eligible) expect(get(k).eligible, `${k} 应符合：${get(k).reasons.join(' | ')}`).toBe(true);
    for (const k of e.not_eligible) expect(get(k).eligible, `${k} 应不符合：${get(k).reasons.join(' | ')}`).toBe(false);
    for (const k of e.absent) expect(results.map((r) => r.program), `${k} 不应返回`).not.toContain(k);
    for (const [k, v] of Object.entries(e.amounts)) {
      const a = get(k).amount;
      if (v === null) expect(a, `${k} 金额应为空`).toBeNull();
      else expect(a === null ? null : Math.round(a * 100), `${k} 金额（${get(k).arithmetic ?? ''}）`).toBe(Math.round(v * 100));
    }
    for (const [k, fields] of Object.entries(e.missing)) expect(get(k).missing ?? []).toEqual(expect.arrayContaining(fields));
    for (const [k, t] of Object.entries(e.reasons)) expect(get(k).reasons.join('\n')).toContain(t);
    for (const [k, t] of Object.entries(e.arithmetic)) expect(get(k).arithmetic ?? '').toContain(t);
    for (const [k, t] of Object.entries(e.reading)) expect(get(k).reading ?? '').toContain(t);
    for (const [k, end] of Object.entries(e.expired)) expect(get(k).expired?.end).toBe(end);
    // every result names its source, except "the region's texts have no such rule" and "still missing information"
    for (const r of results) {
      const exempt = r.reasons.some((x) => x.startsWith('缺少') || x.includes('没有此项规定'));
      if (!exempt) expect(r.citations.length, `${r.program} 应注明出处`).toBeGreaterThan(0);
    }
  });
});
