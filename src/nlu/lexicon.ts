/**
 * Loads the data files of the understanding layer once (knowledge/lexicon/*, intents/intents.yaml),
 * validating each with zod so that a bad edit fails at start-up with the file named.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const ROOT = new URL('../../', import.meta.url);

export function dataPath(relative: string): string {
  return fileURLToPath(new URL(relative, ROOT));
}

function readYaml<T>(relative: string, schema: z.ZodType<T>): T {
  const raw: unknown = parseYaml(readFileSync(dataPath(relative), 'utf8'));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${relative}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** Plain list: one entry per line, `#` comments and blank lines ignored. */
export function readList(relative: string): string[] {
  return readFileSync(dataPath(relative), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

function once<T>(load: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= load());
}

const str = z.string().min(1);

export const TyposSchema = z.object({ typos: z.record(str, str) });
export const loadTypos = once(() => readYaml('knowledge/lexicon/typos.yaml', TyposSchema).typos);

export const REPLY_KINDS = ['affirm', 'deny', 'cancel', 'restart', 'back', 'skip'] as const;
export type ReplyKind = (typeof REPLY_KINDS)[number];
export const RepliesSchema = z.object({
  fillers: z.array(str),
  replies: z.record(z.enum(REPLY_KINDS), z.array(z.union([str, z.number()]).transform(String))),
});
export const loadReplies = once(() => readYaml('knowledge/lexicon/replies.yaml', RepliesSchema));

export const PLACE_SCOPES = ['pingdingshan', 'jining', 'henan', 'other'] as const;
export type PlaceScope = (typeof PLACE_SCOPES)[number];
const Aliased = z.object({ name: str, aliases: z.array(str).min(1) });
export const PlacesSchema = z.object({
  cities: z.array(
    Aliased.extend({
      province: str,
      scope: z.enum(PLACE_SCOPES),
      region: str.nullable(),
      counties: z.array(Aliased),
    }),
  ),
  henanCities: z.array(Aliased),
  provinces: z.array(Aliased.extend({ scope: z.enum(PLACE_SCOPES), region: str.nullable().optional() })),
  otherCities: z.array(Aliased.extend({ province: str })),
});
export const loadPlaces = once(() => readYaml('knowledge/lexicon/places.yaml', PlacesSchema));

export const HOUSEHOLD_TYPES = ['脱贫户', '监测对象', '风险消除户', '低保户', '一般户'] as const;
export type HouseholdType = (typeof HOUSEHOLD_TYPES)[number];
export const PERSONA_HINTS = ['graduate', 'migrant', 'poverty', 'employer'] as const;
export type PersonaHint = (typeof PERSONA_HINTS)[number];
export const CategoriesSchema = z.object({
  household: z.record(z.enum(HOUSEHOLD_TYPES), z.array(str)),
  personas: z.record(z.enum(PERSONA_HINTS), z.array(str)),
});
export const loadCategories = once(() => readYaml('knowledge/lexicon/categories.yaml', CategoriesSchema));

/** A regular expression (Unicode mode), checked when the lexicon loads. */
const pattern = str.refine(
  (source) => {
    try {
      new RegExp(source, 'u');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

export const SynonymsSchema = z.object({
  weight: z.number().positive().max(1),
  synonyms: z.record(str, z.array(str).min(1)),
  /** Phrases with words between their parts that no token key catches: 开个奶茶店 → 创业. */
  patterns: z.array(z.object({ match: pattern, terms: z.array(str).min(1) })).default([]),
});
export const loadSynonyms = once(() => readYaml('knowledge/lexicon/synonyms.yaml', SynonymsSchema));

export const loadStopwords = once(() => new Set(readList('knowledge/lexicon/stopwords.txt')));

/** Policy terms with an optional jieba frequency ("term" or "term 30000"). */
export const loadTerms = once(() =>
  readList('knowledge/lexicon/terms.txt').map((line) => {
    const [term = '', freq] = line.split(/\s+/);
    return { term, freq: freq ? Number(freq) : undefined };
  }),
);

export const WAGE_CONCEPTS = ['owed', 'runaway', 'pay', 'payer', 'complain'] as const;
export type WageConcept = (typeof WAGE_CONCEPTS)[number];
/** knowledge/lexicon/wage.yaml: every concept present, no word under two concepts (or twice under one). */
export const WageWordsSchema = z
  .object({ concepts: z.record(z.enum(WAGE_CONCEPTS), z.array(str).min(1)) })
  .superRefine((file, ctx) => {
    const seen = new Map<string, string>();
    for (const concept of WAGE_CONCEPTS) {
      const words = file.concepts[concept];
      if (!words) {
        ctx.addIssue({ code: 'custom', path: ['concepts', concept], message: 'concept missing' });
        continue;
      }
      for (const w of words) {
        const other = seen.get(w);
        if (other !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['concepts', concept], message: `"${w}" is also listed under ${other}` });
        }
        seen.set(w, concept);
      }
    }
  });
export const loadWageWords = once(() => readYaml('knowledge/lexicon/wage.yaml', WageWordsSchema).concepts as Record<WageConcept, string[]>);

const escapeRe = (w: string): string => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The words of these concepts as one alternation (no anchors, no flags), longest first. */
export function wageWordsSource(...concepts: WageConcept[]): string {
  const words = concepts.flatMap((c) => loadWageWords()[c]);
  return [...new Set(words)].sort((a, b) => b.length - a.length).map(escapeRe).join('|');
}

/** A regular expression matching any word of these concepts. */
export function wageWords(...concepts: WageConcept[]): RegExp {
  return new RegExp(wageWordsSource(...concepts), 'u');
}

export const IntentsFileSchema = z.object({
  version: z.literal(1),
  intents: z.record(
    str,
    z.object({
      handler: str,
      description: str,
      examples: z.array(z.union([str, z.number()]).transform(String)).min(1),
    }),
  ),
});
export type IntentsFile = z.infer<typeof IntentsFileSchema>;
export const loadIntentsFile = once(() => readYaml('intents/intents.yaml', IntentsFileSchema));
