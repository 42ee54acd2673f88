/** Normalises profile wording ("个人创业" → "个人", "外省" → "省外") with knowledge/rules/vocabulary.yaml. */
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_RULES_DIR, readYaml } from './parameters/load.js';
import type { Profile } from './profile.js';

const fileSchema = z.record(z.string(), z.record(z.string(), z.string()));
export type Vocabulary = z.infer<typeof fileSchema>;

export function loadVocabulary(dir: string = DEFAULT_RULES_DIR): Vocabulary {
  return readYaml(join(dir, 'vocabulary.yaml'), fileSchema, 'vocabulary.yaml');
}

const squash = (s: string) => s.replace(/\s+/g, '').replace(/\(/g, '（').replace(/\)/g, '）');

function canon(vocab: Vocabulary, field: string, value: string): string {
  const table = vocab[field];
  const s = value.trim();
  if (!table) return s;
  return table[s] ?? table[squash(s)] ?? s;
}

/** Returns a copy of the profile with known synonyms replaced; nested worker lists are normalised too. */
export function normalizeProfile(vocab: Vocabulary, profile: Profile): Profile {
  const out: Record<string, unknown> = { ...profile };
  for (const [field, value] of Object.entries(profile)) {
    if (typeof value === 'string') out[field] = canon(vocab, field, value);
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out[field] = (value as string[]).map((v) => canon(vocab, field, v));
  }
  if (profile.household_members_working) {
    out.household_members_working = profile.household_members_working.map((m) =>
      m.work_location ? { ...m, work_location: canon(vocab, 'work_location', m.work_location) } : m,
    );
  }
  // 学历 "本科" / "硕士" also tells the student level when that was not given separately.
  if (!profile.student_level && profile.education && vocab.student_level?.[profile.education.trim()]) {
    out.student_level = vocab.student_level[profile.education.trim()];
  }
  if (profile.new_hires) out.new_hires = profile.new_hires.map((h) => ({ ...h, type: canon(vocab, 'new_hire_type', h.type) }));
  if (profile.children) {
    out.children = profile.children.map((c) => (c.program ? { ...c, program: canon(vocab, 'child_program', c.program) } : c));
  }
  if (profile.certificates) {
    out.certificates = profile.certificates.map((c) => (c.method ? { ...c, method: canon(vocab, 'certificate_method', c.method) } : c));
  }
  return out as Profile;
}
