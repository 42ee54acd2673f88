/** Programme declarations (knowledge/rules/programs.yaml): who, which fields, and relevance. */
import { join } from 'node:path';
import { z } from 'zod';
import { PERSONAS } from '../core/types.js';
import { DEFAULT_RULES_DIR, readYaml, RuleDataError } from './parameters/load.js';
import { hasField, PROFILE_FIELDS, type Profile } from './profile.js';

const fieldName = z.string().refine((s) => s.split('|').every((f) => (PROFILE_FIELDS as string[]).includes(f)), {
  message: '不是画像（profile）中的字段',
});

const programSchema = z.object({
  title: z.string().min(1),
  personas: z.array(z.enum(PERSONAS)).optional(),
  persona_required: z.boolean().optional(),
  triggers: z.array(fieldName).optional(),
  applies_to: z.record(fieldName, z.array(z.string())).optional(),
  in_force: z.string().min(1).optional(),
  in_force_date_field: fieldName.optional(),
  requires: z.array(fieldName).optional(),
  checks: z.array(fieldName).optional(),
  amount_fields: z.array(fieldName).optional(),
  part_of: z.string().min(1).optional(),
});

export type ProgramDecl = z.infer<typeof programSchema> & { key: string };

const fileSchema = z.record(z.string().regex(/^[a-z0-9_]+$/), programSchema);

export function loadPrograms(dir: string = DEFAULT_RULES_DIR, parameterNames?: Set<string>): ProgramDecl[] {
  const raw = readYaml(join(dir, 'programs.yaml'), fileSchema, 'programs.yaml');
  const list = Object.entries(raw).map(([key, p]) => ({ key, ...p }));
  for (const p of list) {
    if (p.part_of && !raw[p.part_of]) throw new RuleDataError('programs.yaml', `${p.key}.part_of`, `未知的项目：${p.part_of}`);
    if (p.in_force && parameterNames && !parameterNames.has(p.in_force)) {
      throw new RuleDataError('programs.yaml', `${p.key}.in_force`, `未知的参数：${p.in_force}`);
    }
  }
  return list;
}

/** Fields of a "a|b" requirement that are present; empty when none is. */
export function satisfied(profile: Profile, requirement: string): boolean {
  return requirement.split('|').some((f) => hasField(profile, f));
}

/** Whether the programme concerns this profile: a trigger field is present, applies_to matches, and (persona_required) the persona. */
export function isRelevant(p: ProgramDecl, profile: Profile): boolean {
  if (p.part_of) return false;
  if (p.persona_required && profile.persona && p.personas && !p.personas.includes(profile.persona)) return false;
  for (const [field, values] of Object.entries(p.applies_to ?? {})) {
    const v = (profile as Record<string, unknown>)[field];
    if (v !== undefined && !values.includes(String(v))) return false;
  }
  return (p.triggers ?? []).some((f) => satisfied(profile, f));
}

/** Programmes for a persona when the profile has no field that triggers any programme yet. */
export function personaPrograms(programs: ProgramDecl[], profile: Profile): ProgramDecl[] {
  if (!profile.persona) return [];
  return programs.filter((p) => !p.part_of && p.personas?.includes(profile.persona!));
}

/** Fields still to ask for these programmes, in declaration order: requirements first, then checks, then amount fields. */
export function missingFieldsFor(programs: ProgramDecl[], profile: Profile): string[] {
  const out: string[] = [];
  const add = (req: string) => {
    if (satisfied(profile, req)) return;
    const first = req.split('|')[0]!;
    if (!out.includes(first)) out.push(first);
  };
  for (const p of programs) (p.requires ?? []).forEach(add);
  for (const p of programs) (p.checks ?? []).forEach(add);
  for (const p of programs) (p.amount_fields ?? []).forEach(add);
  return out;
}
