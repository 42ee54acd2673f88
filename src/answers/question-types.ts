/**
 * Question types (intents/question-types.yaml): "…电话多少" wants a clause with a phone number,
 * "…能补多少" one with an amount, "…去哪申请" one with a procedure. Turned into a retrieval boost.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { SearchBoost, TextFeatures } from '../knowledge/clause-index.js';
import { FACETS, type Facet } from '../programs/catalogue.js';

const Schema = z.object({
  types: z.array(
    z.object({
      name: z.string(),
      question: z.string(),
      clause: z.string(),
      boost: z.number().positive(),
      /** When set, only a text the type's clause pattern fits answers such a question; otherwise this is said. */
      missing: z.string().optional(),
      /** The facet of a programme (knowledge/programs) such a question asks for. */
      facet: z.enum(FACETS).optional(),
      /** A broader type this one replaces when both match, for the facet asked. */
      narrows: z.string().optional(),
    }),
  ),
  templates: z.object({ clause: z.string(), unless: z.string(), factor: z.number().positive() }),
});

export interface QuestionTypes {
  /** Names of the types the question matches. */
  classify(question: string): string[];
  /** The programme facets the question asks for, in the order the question asks them. */
  facets(question: string): Facet[];
  /** The question without the words that ask (多少, 怎么办, 会咋样): what it is about. */
  asking(question: string): string;
  /** Whether a text has what question type `name` asks for (a procedure's 申请/材料 …). */
  fits(name: string, text: string): boolean;
  /**
   * What to say when none of `texts` has what the question strictly asks for (a processing time), or
   * null when they do or the question asks nothing strict.
   */
  unmet(question: string, texts: string[]): string | null;
  /** Whether a text is a blank form or a scoring sheet, and the question does not ask for one. */
  unwantedForm(question: string, text: string): boolean;
  /** Whether the question asks for a form, a template or a scoring sheet itself ("…评分表"). */
  asksForForm(question: string): boolean;
  /** Retrieval score multipliers for clauses and sentences, given the question. */
  boostFor(question: string): SearchBoost;
}

export function loadQuestionTypes(intentsDir: string): QuestionTypes {
  const file = join(intentsDir, 'question-types.yaml');
  const parsed = Schema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const types = parsed.data.types.map((t) => ({ ...t, q: new RegExp(t.question), c: new RegExp(t.clause) }));
  if (types.length > 30) throw new Error(`${file}: at most 30 question types`);
  const tpl = { c: new RegExp(parsed.data.templates.clause), unless: new RegExp(parsed.data.templates.unless), factor: parsed.data.templates.factor };
  // Bit i: the text has what question type i asks for; the last bit: it is an application-form template.
  const TEMPLATE_BIT = 1 << types.length;
  // One feature set for the life of the process: the index remembers each sentence's mask by it.
  const features: TextFeatures = {
    mask: (text) => {
      let m = 0;
      types.forEach((t, i) => {
        if (t.c.test(text)) m |= 1 << i;
      });
      return tpl.c.test(text) ? m | TEMPLATE_BIT : m;
    },
  };
  const factorOf = (mask: number): number => {
    let f = 1;
    for (let i = 0; i < types.length; i++) if (mask & (1 << i)) f *= types[i]!.boost;
    return f;
  };
  for (const t of types) {
    if (t.narrows && !types.some((o) => o.name === t.narrows)) throw new Error(`${file}: ${t.name} narrows unknown type ${t.narrows}`);
  }
  return {
    classify: (question) => types.filter((t) => t.q.test(question)).map((t) => t.name),
    facets: (question) => {
      const hit = types.filter((t) => t.facet && t.q.test(question));
      const narrowed = new Set(hit.flatMap((t) => (t.narrows ? [t.narrows] : [])));
      const asked = hit
        .filter((t) => !narrowed.has(t.name))
        .map((t) => ({ facet: t.facet!, at: question.search(t.q) }))
        .sort((a, b) => a.at - b.at)
        .map((x) => x.facet);
      return [...new Set(asked)];
    },
    asking: (question) => {
      // Each type's matches on the question as asked (one type's match may hold another's: 利息多少).
      const blank = new Array<boolean>(question.length).fill(false);
      for (const t of types) for (const m of question.matchAll(new RegExp(t.q.source, 'g'))) for (let i = m.index; i < m.index + m[0].length; i++) blank[i] = true;
      return [...question].map((ch, i) => (blank[i] ? ' ' : ch)).join('');
    },
    fits: (name, text) => types.some((t) => t.name === name && t.c.test(text)),
    unmet: (question, texts) =>
      types.find((t) => t.missing !== undefined && t.q.test(question) && !texts.some((x) => t.c.test(x)))?.missing ?? null,
    unwantedForm: (question, text) => !tpl.unless.test(question) && tpl.c.test(text),
    asksForForm: (question) => tpl.unless.test(question),
    boostFor: (question) => {
      let active = 0;
      types.forEach((t, i) => {
        if (t.q.test(question)) active |= 1 << i;
      });
      const templateFactor = tpl.unless.test(question) ? 1 : tpl.factor;
      return {
        features,
        clause: (mask) => factorOf(mask & active) * (mask & TEMPLATE_BIT ? templateFactor : 1),
        // The sentence that carries the figure or the phone number asked for is the one to quote.
        sentence: (mask) => factorOf(mask & active),
      };
    },
  };
}
