/** Questions the dialogue engine asks for missing profile fields (knowledge/rules/questions.yaml). */
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_RULES_DIR, readYaml, RuleDataError } from './parameters/load.js';
import { PROFILE_FIELDS } from './profile.js';
import type { ProgramDecl } from './programs.js';

const questionSchema = z.object({
  prompt: z.string().min(1),
  type: z.enum(['boolean', 'number', 'integer', 'date', 'choice', 'multi', 'list']),
  unit: z.string().min(1).optional(),
  options: z.array(z.string().min(1)).min(1).optional(),
  item: z.record(z.string(), z.string()).optional(),
});

export type Question = z.infer<typeof questionSchema> & { field: string };

const fileSchema = z.record(z.string(), questionSchema).superRefine((q, ctx) => {
  for (const [field, v] of Object.entries(q)) {
    if (!(PROFILE_FIELDS as string[]).includes(field)) ctx.addIssue({ code: 'custom', message: '不是画像（profile）中的字段', path: [field] });
    if ((v.type === 'choice' || v.type === 'multi') && !v.options) ctx.addIssue({ code: 'custom', message: '选择题须列出 options', path: [field, 'options'] });
  }
});

export type QuestionBook = Map<string, Question>;

export function loadQuestions(dir: string = DEFAULT_RULES_DIR, programs?: ProgramDecl[]): QuestionBook {
  const raw = readYaml(join(dir, 'questions.yaml'), fileSchema, 'questions.yaml');
  const book: QuestionBook = new Map(Object.entries(raw).map(([field, q]) => [field, { field, ...q }]));
  for (const p of programs ?? []) {
    for (const group of ['triggers', 'requires', 'checks', 'amount_fields'] as const) {
      for (const req of p[group] ?? []) {
        for (const f of req.split('|')) {
          if (!book.has(f)) throw new RuleDataError('questions.yaml', f, `项目 ${p.key} 的 ${group} 用到此字段，但没有对应的问题`);
        }
      }
    }
  }
  return book;
}
