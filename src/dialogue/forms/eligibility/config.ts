/**
 * intents/forms/eligibility.yaml, validated: the persona choice, what to ask each persona, which
 * programmes to show, and the phrase lexicon that fills profile fields. Cross-checked against the
 * calculator (every field is a profile field with a question, every programme exists), so a typo
 * fails at start-up with the file and path named.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { PERSONAS, REGIONS } from '../../../core/types.js';
import type { Evaluator } from '../../../eligibility/evaluate.js';
import { PROFILE_FIELDS } from '../../../eligibility/profile.js';

export const DEFAULT_ELIGIBILITY_FORM_FILE = fileURLToPath(new URL('../../../../intents/forms/eligibility.yaml', import.meta.url));

const str = z.string().min(1);
const persona = z.enum(PERSONAS);

const optionSchema = z.object({
  key: z.string().regex(/^[a-z_]+$/),
  label: str,
  persona,
  persona_with_household: persona.optional(),
  hints: z.array(str),
  words: z.array(str),
  ask: z.array(str).min(1),
  programs: z.array(str).min(1),
  more: str.optional(),
});

const CUE_KINDS = ['date', 'amount', 'duration', 'count', 'age'] as const;

const fileSchema = z.object({
  max_questions: z.number().int().min(1),
  max_results: z.number().int().min(1),
  default_region: z.enum(REGIONS),
  who: z.object({
    prompt: str,
    detect_order: z.array(str),
    options: z.array(optionSchema).min(1).max(9),
  }),
  labels: z.record(str, str),
  phrases: z.array(
    z.object({
      field: str,
      value: z.union([z.boolean(), z.string().min(1), z.number()]),
      say: z.array(str).min(1),
    }),
  ),
  mentions: z.array(z.object({ field: str, say: z.array(str).min(1) })).default([]),
  boolean_answers: z.object({ yes: z.array(str), no_prefixes: z.array(str) }),
  cues: z.array(
    z.object({
      field: str,
      kind: z.enum(CUE_KINDS),
      words: z.array(str),
      /** Words that put a date at this month ("刚毕业"): a date cue read without a number. */
      now: z.array(str).default([]),
    }),
  ),
  new_hire_types: z.record(str, z.array(str).min(1)),
  /** Certificate levels by the words people use ("评了高级工"). */
  certificates: z.object({ levels: z.record(str, z.array(str).min(1)) }).default({ levels: {} }),
  work_verbs: z.array(str).min(1),
  work_places: z.array(str).default([]),
});

export type EligibilityFormConfig = z.infer<typeof fileSchema>;
export type WhoOption = z.infer<typeof optionSchema>;
export type CueKind = (typeof CUE_KINDS)[number];

export class FormConfigError extends Error {}

export function loadEligibilityFormConfig(evaluator: Evaluator, file: string = DEFAULT_ELIGIBILITY_FORM_FILE): EligibilityFormConfig {
  const shown = 'intents/forms/eligibility.yaml';
  const parsed = fileSchema.safeParse(parseYaml(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new FormConfigError(`${shown}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const cfg = parsed.data;
  const problems: string[] = [];
  const fields = new Set<string>(PROFILE_FIELDS);
  const programs = new Set(evaluator.programs.map((p) => p.key));
  const keys = cfg.who.options.map((o) => o.key);
  for (const k of cfg.who.detect_order) if (!keys.includes(k)) problems.push(`who.detect_order: 未知的选项 ${k}`);
  for (const [i, o] of cfg.who.options.entries()) {
    for (const f of o.ask) {
      if (!fields.has(f)) problems.push(`who.options.${i}.ask: ${f} 不是画像字段`);
      else if (!evaluator.questions.has(f)) problems.push(`who.options.${i}.ask: ${f} 在 questions.yaml 中没有问题`);
    }
    for (const p of o.programs) if (!programs.has(p)) problems.push(`who.options.${i}.programs: 未知的项目 ${p}`);
  }
  for (const [i, p] of cfg.phrases.entries()) if (!fields.has(p.field)) problems.push(`phrases.${i}.field: ${p.field} 不是画像字段`);
  for (const [i, m] of cfg.mentions.entries()) if (!fields.has(m.field)) problems.push(`mentions.${i}.field: ${m.field} 不是画像字段`);
  for (const [i, c] of cfg.cues.entries()) if (!fields.has(c.field)) problems.push(`cues.${i}.field: ${c.field} 不是画像字段`);
  for (const f of Object.keys(cfg.labels)) if (!fields.has(f)) problems.push(`labels.${f}: 不是画像字段`);
  if (problems.length) throw new FormConfigError(`${shown}: ${problems.join('; ')}`);
  return cfg;
}
