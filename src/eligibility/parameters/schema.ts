/**
 * Shape of the rule data in knowledge/rules/: sources.yaml and one YAML file per parameter
 * (folders form the parameter's dotted name, in the manner of OpenFisca's parameters/).
 */
import { z } from 'zod';
import { REGIONS } from '../../core/types.js';
import { isIsoDate } from '../dates.js';

const isoDate = z.string().refine(isIsoDate, { message: '日期须为 YYYY-MM-DD' });

export const sourceSchema = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  docNo: z.string().min(1).nullable(),
  region: z.enum(REGIONS),
  date: isoDate.nullable(),
  seed: z.string().min(1),
});
export const sourcesFileSchema = z.array(sourceSchema);
export type Source = z.infer<typeof sourceSchema>;

export const referenceSchema = z.object({
  source: z.string().min(1),
  clause: z.string().min(1),
  /** Words copied from the text; a test checks they occur in the seed file. */
  quote: z.string().min(1),
});
export type Reference = z.infer<typeof referenceSchema>;

export const bracketSchema = z.object({
  /** Upper bound of the bracket; absent on the last (open) bracket. */
  up_to: z.number().positive().optional(),
  /** Whether a value equal to up_to falls in this bracket. */
  inclusive: z.boolean().optional(),
  rate: z.number().min(0),
  label: z.string().min(1),
});
export type Bracket = z.infer<typeof bracketSchema>;

export const PARAMETER_KINDS = ['amount', 'rate', 'minimum', 'maximum', 'list', 'map', 'brackets', 'flag', 'text', 'year'] as const;
export type ParameterKind = (typeof PARAMETER_KINDS)[number];

export const valueSchema = z.union([
  z.number(),
  z.boolean(),
  z.string(),
  z.array(z.string()),
  z.array(bracketSchema),
  z.record(z.string(), z.union([z.number(), z.string()])),
]);
export type ParameterValue = z.infer<typeof valueSchema>;

export const entrySchema = z
  .object({
    region: z.enum(REGIONS),
    start: isoDate,
    end: isoDate.nullable(),
    value: valueSchema,
    /** For thresholds (kind minimum/maximum): whether the bound itself satisfies the condition. */
    inclusive: z.boolean().optional(),
    /** For lists: false when the text names some groups but leaves others to other rules. */
    exhaustive: z.boolean().optional(),
    /** How an ambiguous wording is read (以上/以下/以内, which date applies, …). */
    reading: z.string().min(1).optional(),
    references: z.array(referenceSchema).min(1),
    /** Where the end date is stated, when it is not in the same clause. */
    end_reference: referenceSchema.optional(),
  })
  .refine((e) => e.end === null || e.end >= e.start, { message: 'end 早于 start', path: ['end'] });
export type ParameterEntry = z.infer<typeof entrySchema>;

export const parameterFileSchema = z
  .object({
    description: z.string().min(1),
    unit: z.string().min(1).optional(),
    kind: z.enum(PARAMETER_KINDS),
    values: z.array(entrySchema).min(1),
  })
  .superRefine((p, ctx) => {
    p.values.forEach((v, i) => {
      const fail = (message: string, path: (string | number)[]) => ctx.addIssue({ code: 'custom', message, path: ['values', i, ...path] });
      const val = v.value;
      switch (p.kind) {
        case 'amount':
        case 'rate':
        case 'year':
          if (typeof val !== 'number') fail(`kind ${p.kind} 的 value 须为数字`, ['value']);
          break;
        case 'minimum':
        case 'maximum':
          if (typeof val !== 'number') fail(`kind ${p.kind} 的 value 须为数字`, ['value']);
          if (v.inclusive === undefined) fail('门槛须写明 inclusive（是否含本数）', ['inclusive']);
          break;
        case 'flag':
          if (typeof val !== 'boolean') fail('kind flag 的 value 须为 true/false', ['value']);
          break;
        case 'text':
          if (typeof val !== 'string') fail('kind text 的 value 须为文字', ['value']);
          break;
        case 'list':
          if (!Array.isArray(val) || val.some((x) => typeof x !== 'string')) fail('kind list 的 value 须为文字列表', ['value']);
          break;
        case 'map':
          if (typeof val !== 'object' || Array.isArray(val)) fail('kind map 的 value 须为键值表', ['value']);
          break;
        case 'brackets':
          if (!Array.isArray(val) || val.some((x) => typeof x !== 'object')) fail('kind brackets 的 value 须为档次列表', ['value']);
          break;
      }
    });
  });
export type ParameterFile = z.infer<typeof parameterFileSchema>;

export interface Parameter extends ParameterFile {
  /** Dotted name from the file path: parameters/poverty/work_incentive/cap_per_person.yaml → poverty.work_incentive.cap_per_person */
  name: string;
  file: string;
}
