/**
 * Question types (intents/question-types.yaml): "…电话多少" wants a clause with a phone number,
 * "…能补多少" one with an amount, "…去哪申请" one with a procedure. Turned into a retrieval boost.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { IndexedClause } from '../knowledge/clause-index.js';

const Schema = z.object({
  types: z.array(z.object({ name: z.string(), question: z.string(), clause: z.string(), boost: z.number().positive() })),
  templates: z.object({ clause: z.string(), unless: z.string(), factor: z.number().positive() }),
});

export interface QuestionTypes {
  /** Names of the types the question matches. */
  classify(question: string): string[];
  /** Retrieval score multipliers for a clause and for one sentence, given the question. */
  boostFor(question: string): { clause: (entry: IndexedClause) => number; sentence: (sentence: string) => number };
}

export function loadQuestionTypes(intentsDir: string): QuestionTypes {
  const file = join(intentsDir, 'question-types.yaml');
  const parsed = Schema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const types = parsed.data.types.map((t) => ({ ...t, q: new RegExp(t.question), c: new RegExp(t.clause) }));
  const tpl = { c: new RegExp(parsed.data.templates.clause), unless: new RegExp(parsed.data.templates.unless), factor: parsed.data.templates.factor };
  const cache = new WeakMap<IndexedClause, Map<string, boolean>>();
  const matches = (entry: IndexedClause, name: string, re: RegExp): boolean => {
    let m = cache.get(entry);
    if (!m) cache.set(entry, (m = new Map()));
    let v = m.get(name);
    if (v === undefined) m.set(name, (v = re.test(entry.passage)));
    return v;
  };
  // Sentences of the knowledge base are few and fixed: remember each pattern's verdict per sentence.
  const sentenceCache = new Map<string, Map<string, boolean>>();
  const sentenceMatches = (name: string, re: RegExp, sentence: string): boolean => {
    let m = sentenceCache.get(name);
    if (!m) sentenceCache.set(name, (m = new Map()));
    let v = m.get(sentence);
    if (v === undefined) m.set(sentence, (v = re.test(sentence)));
    return v;
  };
  return {
    classify: (question) => types.filter((t) => t.q.test(question)).map((t) => t.name),
    boostFor: (question) => {
      const active = types.filter((t) => t.q.test(question));
      const penaliseTemplates = !tpl.unless.test(question);
      return {
        clause: (entry) => {
          let f = 1;
          for (const t of active) if (matches(entry, t.name, t.c)) f *= t.boost;
          if (penaliseTemplates && matches(entry, '#template', tpl.c)) f *= tpl.factor;
          return f;
        },
        // The sentence that carries the figure or the phone number asked for is the one to quote.
        sentence: (sentence) => {
          let f = 1;
          for (const t of active) if (sentenceMatches(t.name, t.c, sentence)) f *= t.boost;
          return f;
        },
      };
    },
  };
}
