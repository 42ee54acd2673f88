/**
 * evaluate({region, asOf, profile}) → {results}: which programmes concern the profile, and for each
 * whether it is eligible, how much, why (conditions with their clauses), and what is still missing.
 */
import { z } from 'zod';
import type { Region } from '../core/types.js';
import { completeDate, formatDateZh, isIsoDate } from './dates.js';
import { FORMULAS } from './formulas/index.js';
import { DEFAULT_RULES_DIR, loadRuleData, type RuleData } from './parameters/load.js';
import { type Profile, profileSchema } from './profile.js';
import { isRelevant, loadPrograms, personaPrograms, type ProgramDecl, satisfied } from './programs.js';
import { loadQuestions, type QuestionBook } from './questions.js';
import { ACCEPTED_REGION_NAMES, normalizeRegion } from './regions.js';
import { ResultBuilder, type RuleContext, Unavailable } from './result-builder.js';
import type { EvaluateOptions, EvaluateOutput, ProgramResult } from './types.js';
import { loadVocabulary, normalizeProfile, type Vocabulary } from './vocabulary.js';

/** The request body: region names are normalised (平顶山 / 叶县 → 平顶山市), unknown fields dropped. */
export const evaluateRequestSchema = z.object({
  region: z
    .string({ error: '须为地区名称' })
    .transform((s, ctx) => {
      const r = normalizeRegion(s);
      if (!r) {
        ctx.addIssue({ code: 'custom', message: `不支持的地区“${s}”；可用：${ACCEPTED_REGION_NAMES}` });
        return z.NEVER;
      }
      return r;
    }),
  asOf: z.string({ error: '须为日期 YYYY-MM-DD' }).refine(isIsoDate, { message: '须为日期 YYYY-MM-DD' }),
  profile: profileSchema,
});
export type EvaluateRequest = z.input<typeof evaluateRequestSchema>;

export interface Evaluator {
  data: RuleData;
  programs: ProgramDecl[];
  questions: QuestionBook;
  vocabulary: Vocabulary;
  /** Throws a ZodError when the input is malformed (wrong type, unknown region, bad date). */
  evaluate(input: EvaluateRequest | { region: string; asOf: string; profile: unknown }, options?: EvaluateOptions): EvaluateOutput;
}

/**
 * A loan question without a loan type ("我想贷15万"): a personal category means 个人, staff figures mean
 * 小微企业, partners mean 合伙. The result says this reading was used.
 */
function inferLoanType(profile: Profile): { profile: Profile; inferred: { field: string; text: string }[] } {
  if (profile.loan_type !== undefined || profile.requested_amount === undefined) return { profile, inferred: [] };
  const guess =
    profile.partners !== undefined && profile.partners > 1
      ? '合伙'
      : profile.current_staff !== undefined || profile.new_eligible_hires_this_year !== undefined
        ? '小微企业'
        : profile.category !== undefined
          ? '个人'
          : undefined;
  if (!guess) return { profile, inferred: [] };
  return { profile: { ...profile, loan_type: guess }, inferred: [{ field: 'loan_type', text: `未说明贷款类型，按${guess}创业担保贷款计算。` }] };
}

function minWageFromEnv(): number | undefined {
  const raw = process.env.ELIGIBILITY_MIN_WAGE_MONTHLY;
  if (!raw) return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

export function createEvaluator(dir: string = DEFAULT_RULES_DIR, defaults: EvaluateOptions = {}): Evaluator {
  const data = loadRuleData(dir);
  const programs = loadPrograms(dir, new Set(data.parameters.keys()));
  const questions = loadQuestions(dir, programs);
  const vocabulary = loadVocabulary(dir);
  for (const p of programs) {
    if (!p.part_of && !FORMULAS[p.key]) throw new Error(`programs.yaml: ${p.key}: 没有对应的计算公式（src/eligibility/formulas）`);
  }

  function evaluateOne(p: ProgramDecl, ctx: RuleContext, inferred: { field: string; text: string }[]): ProgramResult[] {
    const r = new ResultBuilder(p.key, p.title, ctx);
    const uses = [...(p.triggers ?? []), ...(p.requires ?? []), ...(p.checks ?? []), ...Object.keys(p.applies_to ?? {})].flatMap((f) => f.split('|'));
    for (const i of inferred) if (uses.includes(i.field)) r.read(i.text);
    let extras: ProgramResult[] = [];
    try {
      if (p.in_force) {
        const dated = p.in_force_date_field ? (ctx.profile as Record<string, unknown>)[p.in_force_date_field] : undefined;
        const on = dated !== undefined ? completeDate(dated as string | number)?.date : undefined;
        if (on) {
          r.read(`是否在政策期限内按${formatDateZh(on)}（${p.in_force_date_field === 'contract_signed_date' ? '劳动合同签订日期' : p.in_force_date_field}）判断。`);
          r.inForceOn(p.in_force, on);
        } else r.get(p.in_force);
      }
      const absent = (p.requires ?? []).filter((req) => !satisfied(ctx.profile, req));
      if (absent.length) {
        r.need(...absent.map((req) => req.split('|')[0]!));
        return [r.build()];
      }
      extras = FORMULAS[p.key]!(r) ?? [];
    } catch (err) {
      if (!(err instanceof Unavailable)) throw err;
      r.unavailable(err);
      extras = [];
      if (err.result.status === 'expired' && err.param === p.in_force) {
        const past = pastArithmetic(p, { ...ctx, asOf: err.result.entry.end! });
        if (past) r.note(`按执行期内（截至${formatDateZh(err.result.entry.end!)}）的标准，本应为：${past}；现已到期，不再适用`);
      }
    }
    return [r.build(), ...extras];
  }

  /** What the programme gave on its last day in force, to show alongside "已到期". */
  function pastArithmetic(p: ProgramDecl, ctx: RuleContext): string | null {
    if ((p.requires ?? []).some((req) => !satisfied(ctx.profile, req))) return null;
    const r = new ResultBuilder(p.key, p.title, ctx);
    try {
      FORMULAS[p.key]!(r);
    } catch {
      return null;
    }
    const b = r.build();
    return b.eligible ? (b.arithmetic ?? null) : null;
  }

  return {
    data,
    programs,
    questions,
    vocabulary,
    evaluate(input, options = {}) {
      const req = evaluateRequestSchema.parse(input);
      const { profile, inferred } = inferLoanType(normalizeProfile(vocabulary, req.profile));
      const ctx: RuleContext = {
        data,
        region: req.region as Region,
        asOf: req.asOf,
        profile,
        options: { minWageMonthly: options.minWageMonthly ?? defaults.minWageMonthly ?? minWageFromEnv() },
      };
      let chosen = programs.filter((p) => isRelevant(p, profile));
      if (chosen.length === 0) chosen = personaPrograms(programs, profile);
      const results: ProgramResult[] = [];
      const seen = new Set<string>();
      for (const p of chosen) {
        for (const res of evaluateOne(p, ctx, inferred)) {
          if (seen.has(res.program)) continue;
          seen.add(res.program);
          results.push(res);
        }
      }
      return { results };
    },
  };
}

let shared: Evaluator | null = null;

/** The evaluator over the shipped rules (loaded once). */
export function defaultEvaluator(): Evaluator {
  shared ??= createEvaluator();
  return shared;
}

export function evaluate(input: { region: string; asOf: string; profile: unknown }, options?: EvaluateOptions): EvaluateOutput {
  return defaultEvaluator().evaluate(input, options);
}
