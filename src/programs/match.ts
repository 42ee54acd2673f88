/**
 * Which programme of the catalogue a question is about. Three kinds of evidence, each recorded in the
 * trace so that staff and the log can see why:
 * - `alias`: the question contains one of the programme's names or everyday aliases;
 * - `terms`: the question's words (and the policy terms its colloquial words stand for) overlap the
 *   programme's names, each word weighted by how rare it is across the catalogue;
 * - `clause`: the clause index ranks a clause that one of the programme's facets cites among the
 *   best for the question — the index has seen every word of the texts, the aliases only a few.
 */
import type { Region } from '../core/types.js';
import type { ClauseIndex, Hit, QueryTerm, SearchBoost } from '../knowledge/clause-index.js';
import type { Clause } from '../knowledge/types.js';
import type { Program } from './catalogue.js';
import type { ClauseLookup } from './grounding.js';

export interface Candidate {
  program: Program;
  score: number;
  /** The evidence, named: "alias:见习补贴", "terms:3.2", "clause:pds-…#一、（三）@1". */
  why: string[];
  /** Whether any alias or name of the programme is in the question. */
  named: boolean;
}

/** How much an alias found in the question counts, plus its length (longer names say more). */
const ALIAS_BASE = 4;
/** Share of a name's characters its words must cover for the words alone to name it. */
const NAME_WORDS_COVER = 0.75;
/** What a name pieced together with synonyms of the question's words counts for, per character. */
const PIECED_WEIGHT = 0.5;
/** How much the best clause of the index counts for a programme citing it; lower ranks count less. */
const CLAUSE_VOTE = 6;
/** A programme for the kind of person the asker says they are (脱贫户, 小微企业, 毕业生) counts this much more. */
const PERSONA_BONUS = 3;
const CLAUSE_RANKS = 5;

const compact = (s: string): string => s.replace(/[\s，。？?！!、]/g, '');

/** Jining's rules never answer for Pingdingshan and the reverse (as for clauses). */
export function programFits(region: Region, asked: Region | null): boolean {
  if (asked === '济宁市') return region === '济宁市' || region === '全国';
  return region !== '济宁市';
}

interface Profile {
  program: Program;
  names: string[];
  /** Each name as its words: "小微企业创业担保贷款" is found in "小微企业申请创业担保贷款" too. */
  nameWords: Array<{ name: string; words: string[] }>;
  terms: Map<string, number>;
  clauses: Clause[];
}

export class ProgrammeMatcher {
  private readonly profiles: Profile[];
  private readonly idf = new Map<string, number>();
  /** term → the profiles whose names carry it, with its weight there (the overlap is summed from these). */
  private readonly byTerm = new Map<string, Array<{ profile: number; weight: number }>>();
  /** document id → the profiles citing a clause of it (only they can take a clause vote for a hit there). */
  private readonly byDoc = new Map<string, number[]>();
  /** A name's first two characters → the profiles' names starting so (a name is looked for only when they occur). */
  private readonly byNameStart = new Map<string, Array<{ profile: number; name: string }>>();
  /** Names shorter than two characters, looked for in every question. */
  private readonly shortNames: Array<{ profile: number; name: string }> = [];
  /** A name's first word → the profiles' names made of words starting with it. */
  private readonly byNameWord = new Map<string, Array<{ profile: number; name: string; words: string[] }>>();

  constructor(
    programs: Program[],
    private readonly kb: ClauseLookup,
    private readonly buildQuery: (text: string) => QueryTerm[],
    /**
     * Words that say nothing of which programme is meant: who the person is (脱贫户, 大专) and money
     * in general (补贴). A name pieced from its words needs one word besides these ("招脱贫户补贴" is
     * not named by "脱贫户 … 补贴").
     */
    private readonly unspecific: (word: string) => boolean = () => false,
  ) {
    this.profiles = programs.map((program) => {
      const names = [program.name, ...program.aliases].map(compact);
      const terms = new Map<string, number>();
      for (const n of names) for (const q of buildQuery(n)) terms.set(q.term, Math.max(terms.get(q.term) ?? 0, q.weight));
      const clauses = Object.values(program.facets).flatMap((f) => (f?.cite ?? []).flatMap((ref) => kb.clauses(ref)));
      const nameWords = names
        .map((name) => ({ name, words: buildQuery(name).filter((q) => !q.term.startsWith('#') && q.weight === 1).map((q) => q.term) }))
        // Only a name whose words say most of it: "在哪登记失业" without 在哪 is 登记+失业, which any
        // message about hiring the registered unemployed has.
        .filter((n) => n.words.length > 1 && n.words.join('').length >= NAME_WORDS_COVER * n.name.length);
      return { program, names, nameWords, terms, clauses };
    });
    const df = new Map<string, number>();
    for (const p of this.profiles) for (const t of p.terms.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    const n = this.profiles.length;
    for (const [t, d] of df) this.idf.set(t, Math.log(1 + (n - d + 0.5) / (d + 0.5)));
    this.profiles.forEach((p, i) => {
      for (const [term, weight] of p.terms) {
        let list = this.byTerm.get(term);
        if (!list) this.byTerm.set(term, (list = []));
        list.push({ profile: i, weight });
      }
      for (const name of p.names) {
        if (name.length < 2) this.shortNames.push({ profile: i, name });
        else push(this.byNameStart, name.slice(0, 2), { profile: i, name });
      }
      for (const nw of p.nameWords) push(this.byNameWord, nw.words[0]!, { profile: i, ...nw });
      for (const docId of new Set(p.clauses.map((c) => c.docId))) {
        let list = this.byDoc.get(docId);
        if (!list) this.byDoc.set(docId, (list = []));
        list.push(i);
      }
    });
  }

  get size(): number {
    return this.profiles.length;
  }

  /**
   * Programmes the question may be about, best first, with the evidence for each. The term overlap and
   * the clause votes are gathered from the question's terms and hits (byTerm, byDoc) rather than by
   * visiting every programme with every term and hit: the same sums in the same order, so the same scores.
   */
  rank(text: string, opts: { region: Region | null; hits: Hit[]; persona?: string | null }): Candidate[] {
    const question = compact(text);
    const query = this.buildQuery(text);
    // The question's words and the policy terms its colloquial words stand for (不用担保 → 免除反担保).
    const words = new Set(query.filter((q) => !q.term.startsWith('#')).map((q) => q.term));
    const ownWords = new Set(query.filter((q) => !q.term.startsWith('#') && q.weight >= 1).map((q) => q.term));
    const top = opts.hits[0]?.score ?? 0;
    const overlaps = new Float64Array(this.profiles.length);
    for (const q of query) {
      const postings = this.byTerm.get(q.term);
      if (!postings) continue;
      const idf = this.idf.get(q.term) ?? 0;
      for (const { profile, weight } of postings) overlaps[profile]! += q.weight * Math.min(1, weight) * idf;
    }
    // Each programme's vote: the best-ranked hit that one of its cited clauses covers.
    const votes = new Map<number, { rank: number; cited: Clause }>();
    if (top > 0) {
      opts.hits.slice(0, CLAUSE_RANKS).forEach((hit, rank) => {
        for (const i of this.byDoc.get(hit.clause.docId) ?? []) {
          if (votes.has(i)) continue;
          const cited = this.profiles[i]!.clauses.find((c) => related(c, hit.clause));
          if (cited) votes.set(i, { rank, cited });
        }
      });
    }
    // Names in the question, and names all of whose words it has, by programme.
    const found = new Map<number, Set<string>>();
    const note = (profile: number, name: string) => {
      let names = found.get(profile);
      if (!names) found.set(profile, (names = new Set()));
      names.add(name);
    };
    for (const n of this.shortNames) if (question.includes(n.name)) note(n.profile, n.name);
    const starts = new Set<string>();
    for (let k = 0; k + 1 < question.length; k++) starts.add(question.slice(k, k + 2));
    for (const start of starts) for (const n of this.byNameStart.get(start) ?? []) if (question.includes(n.name)) note(n.profile, n.name);
    const foundWords = new Map<number, Set<string>>();
    for (const w of words) {
      for (const n of this.byNameWord.get(w) ?? []) {
        if (!n.words.every((x) => words.has(x))) continue;
        let names = foundWords.get(n.profile);
        if (!names) foundWords.set(n.profile, (names = new Set()));
        names.add(n.name);
      }
    }
    // Only programmes with some evidence can score; visited in catalogue order, as the sort is stable.
    const visit = new Set<number>([...found.keys(), ...foundWords.keys(), ...votes.keys()]);
    overlaps.forEach((o, i) => o > 0 && visit.add(i));
    const out: Candidate[] = [];
    for (const i of [...visit].sort((a, b) => a - b)) {
      const p = this.profiles[i]!;
      if (!programFits(p.program.region, opts.region)) continue;
      const why: string[] = [];
      let score = 0;
      // The longest name found (names said before names pieced from their words, on a tie). A name
      // pieced together with the synonyms of the question's words (招了 → 吸纳就业补贴) counts for less
      // than one said, or pieced from the words said (个人 … 创业担保贷款).
      const names = found.get(i);
      const nameWords = foundWords.get(i);
      const candidates: Array<{ name: string; weight: number }> = [];
      if (names) for (const n of p.names) if (names.has(n)) candidates.push({ name: n, weight: 1 });
      if (nameWords) {
        for (const n of p.nameWords) {
          if (!nameWords.has(n.name) || !n.words.some((w) => !this.unspecific(w))) continue;
          candidates.push({ name: n.name, weight: n.words.every((w) => ownWords.has(w)) ? 1 : PIECED_WEIGHT });
        }
      }
      const named = candidates.sort((a, b) => b.name.length * b.weight - a.name.length * a.weight)[0];
      const alias = named?.name;
      if (named) {
        score += ALIAS_BASE + named.name.length * named.weight;
        why.push(`alias:${named.name}`);
        if (named.weight < 1) why.push('pieced-with-synonyms');
      }
      const overlap = overlaps[i]!;
      if (overlap > 0) {
        score += overlap;
        why.push(`terms:${overlap.toFixed(1)}`);
      }
      const vote = votes.get(i);
      if (vote) {
        score += (CLAUSE_VOTE * opts.hits[vote.rank]!.score) / top / (vote.rank + 1);
        why.push(`clause:${vote.cited.docId}#${vote.cited.label}@${vote.rank + 1}`);
      }
      if (score > 0 && opts.persona && p.program.personas.includes(opts.persona as never)) {
        score += PERSONA_BONUS;
        why.push(`persona:${opts.persona}`);
      }
      if (score > 0) out.push({ program: p.program, score, why, named: alias !== undefined });
    }
    return out.sort((a, b) => b.score - a.score);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The same clause, or one inside the other (a facet citing 第七条 covers the hit 第七条1.（3）). */
export function sameOrWithin(a: Clause, b: Clause): boolean {
  if (a.docId !== b.docId) return false;
  const [short, long] = a.path.length <= b.path.length ? [a.path, b.path] : [b.path, a.path];
  return short.every((m, i) => long[i] === m);
}

/** As sameOrWithin, but a preamble (no path) is inside nothing: it would cover the whole document. */
const related = (a: Clause, b: Clause): boolean => a.path.length > 0 && b.path.length > 0 && sameOrWithin(a, b);

export type { SearchBoost };
