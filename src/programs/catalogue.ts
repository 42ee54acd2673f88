/**
 * The programme catalogue (knowledge/programs/*.yaml): every benefit, service, duty and right the
 * texts give, each with its everyday names and its facets — short plain answers a bureau clerk would
 * say, each naming the clause it is written from. The machine matches questions; people write answers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { REGIONS } from '../core/types.js';

/** What a person may ask about a programme. The words for each live in intents/facets.yaml. */
export const FACETS = ['overview', 'who', 'amount', 'duration', 'apply', 'materials', 'where', 'phone', 'duty'] as const;
export type Facet = (typeof FACETS)[number];

/** A clause of the knowledge base: `<document id>#<clause label>` ("pds-2023-73-internships#一、（二）"). */
const ClauseRef = z.string().regex(/^[a-z0-9-]+#.+$/, 'cite as <document id>#<clause label>');

/** A condition on one of the person's facts that the verdict is worked out from. */
const Check = z
  .object({
    fact: z.enum(['age', 'yearsSinceGraduation', 'education', 'staff', 'householdType', 'monthsWorkedAway', 'hires', 'monthsOperating']),
    min: z.number().optional(),
    max: z.number().optional(),
    oneOf: z.array(z.string()).optional(),
    /** How the condition reads in the verdict ("16—24岁"). */
    says: z.string(),
  })
  .strict();

export const FacetEntry = z
  .object({
    /** One or two sentences, the answer first. Every figure in it must be in a cited clause. */
    answer: z.string().min(4).max(160),
    cite: z.union([ClauseRef, z.array(ClauseRef).min(1)]).transform((c) => (Array.isArray(c) ? c : [c])),
    /** Figures worked out from cited ones, shown with their arithmetic ("20万元×2=40万元"). */
    arithmetic: z.array(z.string()).default([]),
    checks: z.array(Check).default([]),
    /** Whether every check must hold (all, the default) or one is enough (any: 离校2年内 or 16—24岁). */
    mode: z.enum(['all', 'any']).default('all'),
  })
  .strict();
export type FacetEntry = z.infer<typeof FacetEntry>;

const Program = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: z.string().min(2),
    kind: z.enum(['benefit', 'loan', 'service', 'duty', 'right']),
    region: z.enum(REGIONS),
    provider: z.string().optional(),
    /** Everyday names and phrasings that mean this programme, besides its name. */
    aliases: z.array(z.string().min(2)).default([]),
    /** Who it is for, in the persona words of the eval and the calculator. */
    personas: z.array(z.enum(['graduate', 'migrant', 'poverty', 'employer', 'staff', 'other'])).default([]),
    /** The eligibility calculator's programmes (knowledge/rules) that work out this one for a person. */
    calculator: z.array(z.string()).default([]),
    /** What applies to someone who does not qualify (免除反担保 → 反担保): its first facet follows a "不符合". */
    otherwise: z.string().regex(/^[a-z0-9-]+$/).optional(),
    facets: z.partialRecord(z.enum(FACETS), FacetEntry).refine((f) => Object.keys(f).length > 0, 'a programme needs at least one facet'),
  })
  .strict();
export type Program = z.infer<typeof Program>;

const ProgramFile = z.object({ programs: z.array(Program).min(1) }).strict();

export class CatalogueError extends Error {}

export function parseProgramFile(text: string, file: string): Program[] {
  const result = ProgramFile.safeParse(parse(text));
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new CatalogueError(`${file}: ${issues}`);
  }
  return result.data.programs;
}

export function loadCatalogue(dir: string): Program[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  } catch {
    return [];
  }
  const programs = files.flatMap((f) => parseProgramFile(readFileSync(join(dir, f), 'utf8'), f));
  const seen = new Set<string>();
  for (const p of programs) {
    if (seen.has(p.id)) throw new CatalogueError(`programme id ${p.id} appears twice`);
    seen.add(p.id);
  }
  for (const p of programs) if (p.otherwise && !seen.has(p.otherwise)) throw new CatalogueError(`programme ${p.id}: otherwise names unknown programme ${p.otherwise}`);
  return programs;
}
