/** How questions are put (intents/question-forms.yaml), compiled once and validated at start. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';

const FILE = fileURLToPath(new URL('../../intents/question-forms.yaml', import.meta.url));
const KEYS = ['comparison', 'yes_no', 'asks_something', 'asks_how_generally', 'asks_if_paid', 'asks_per_unit', 'asks_exists', 'asks_what_it_is', 'asks_currency', 'asks_overview', 'money_kind', 'employer_voice'] as const;

const Schema = z.object(Object.fromEntries(KEYS.map((k) => [k, z.string().min(1)])) as Record<(typeof KEYS)[number], z.ZodString>).strict();

export type QuestionForms = Record<(typeof KEYS)[number], RegExp>;

let forms: QuestionForms | undefined;

export function questionForms(file: string = FILE): QuestionForms {
  if (forms && file === FILE) return forms;
  const parsed = Schema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const compiled = Object.fromEntries(Object.entries(parsed.data).map(([k, v]) => [k, new RegExp(v)])) as QuestionForms;
  if (file === FILE) forms = compiled;
  return compiled;
}
