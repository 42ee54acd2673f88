/**
 * The programme catalogue against the documents' status: facets citing a withdrawn document are left
 * out of answers, and staff get the list of facets citing a withdrawn, superseded or re-published
 * document to review (knowledge/programs is edited by people, not by the publishing flow).
 */
import type { PolicyDocument } from '../knowledge/types.js';
import type { Program } from './catalogue.js';

export type CitedStatus = 'withdrawn' | 'superseded' | 'changed' | 'missing';

export interface FacetToReview {
  programmeId: string;
  programmeName: string;
  facet: string;
  cite: string;
  docId: string;
  status: CitedStatus;
  /** For a superseded document: the one that replaces it. */
  supersededBy: string | null;
}

const docOf = (ref: string): string => ref.slice(0, ref.indexOf('#'));

/** The catalogue without what cites only withdrawn documents (a facet keeps its other citations). */
export function catalogueWithout(programs: Program[], withdrawn: ReadonlySet<string>): Program[] {
  if (withdrawn.size === 0) return programs;
  const kept: Program[] = [];
  for (const p of programs) {
    const facets: Program['facets'] = {};
    for (const [name, entry] of Object.entries(p.facets) as Array<[keyof Program['facets'], NonNullable<Program['facets'][keyof Program['facets']]>]>) {
      const cite = entry.cite.filter((ref) => !withdrawn.has(docOf(ref)));
      if (cite.length > 0) facets[name] = { ...entry, cite };
    }
    if (Object.keys(facets).length > 0) kept.push({ ...p, facets });
  }
  return kept;
}

/** Facets citing a document that is withdrawn, superseded, re-published from the console, or gone. */
export function facetsToReview(programs: Program[], live: PolicyDocument[], withdrawn: ReadonlySet<string>): FacetToReview[] {
  const byId = new Map(live.map((d) => [d.meta.id, d]));
  const out: FacetToReview[] = [];
  for (const p of programs) {
    for (const [facet, entry] of Object.entries(p.facets)) {
      for (const cite of entry?.cite ?? []) {
        const docId = docOf(cite);
        const doc = byId.get(docId);
        const status: CitedStatus | null = withdrawn.has(docId)
          ? 'withdrawn'
          : !doc
            ? 'missing'
            : doc.meta.supersededBy
              ? 'superseded'
              : doc.meta.source?.file.startsWith('upload:')
                ? 'changed'
                : null;
        if (status) out.push({ programmeId: p.id, programmeName: p.name, facet, cite, docId, status, supersededBy: doc?.meta.supersededBy ?? null });
      }
    }
  }
  return out;
}

/** Programmes whose facets cite the document, or whose name or aliases its text mentions. */
export function programmesConcerning(programs: Program[], doc: PolicyDocument): string[] {
  const text = doc.clauses.map((c) => c.text).join('\n');
  return programs
    .filter(
      (p) =>
        Object.values(p.facets).some((f) => f?.cite.some((ref) => docOf(ref) === doc.meta.id)) ||
        [p.name, ...p.aliases].some((name) => name.length >= 4 && text.includes(name)),
    )
    .map((p) => p.id);
}
