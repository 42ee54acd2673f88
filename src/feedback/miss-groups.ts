/**
 * What staff review together: answers people marked 没用 and questions the texts did not answer,
 * grouped by similar wording (the sets of their words overlap by half or more) or by the programme
 * the answer was about, so that one fix can be found for the several phrasings of one miss.
 */
import { buildQuery } from '../answers/policy-answer.js';
import type { Citation } from '../core/types.js';
import type { RankedClause } from './staff-fixes.js';

export interface MissItem {
  kind: 'useless' | 'unanswered';
  question: string;
  count: number;
  at: string;
  /** The answer given (null when no snapshot of it is kept any more). */
  answer: string | null;
  answerId: string | null;
  handler: string | null;
  rules: string[];
  source: string | null;
  citations: Citation[];
  /** Why the texts did not answer (unanswered log), e.g. no_match, no_figure, referral:…. */
  reason: string | null;
  nextClauses: RankedClause[];
}

export interface MissGroup {
  label: string;
  programme: string | null;
  count: number;
  items: MissItem[];
}

/** Word sets overlapping by this much (Jaccard) are one group. */
export const SIMILAR = 0.5;

export function wordsOf(question: string): Set<string> {
  return new Set(buildQuery(question).filter((q) => !q.term.startsWith('#') && q.weight >= 1).map((q) => q.term));
}

export function programmeOf(rules: readonly string[]): string | null {
  for (const r of rules) {
    const m = /^(?:program|topic):([a-z0-9-]+)/.exec(r);
    if (m) return m[1]!;
  }
  return null;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}

export function groupMisses(items: MissItem[]): MissGroup[] {
  const groups: Array<MissGroup & { words: Set<string>[] }> = [];
  for (const item of [...items].sort((a, b) => b.at.localeCompare(a.at))) {
    const words = wordsOf(item.question);
    const programme = programmeOf(item.rules);
    const home = groups.find((g) => (programme !== null && g.programme === programme) || g.words.some((w) => jaccard(w, words) >= SIMILAR));
    if (home) {
      home.items.push(item);
      home.words.push(words);
      home.count += item.count;
      home.programme ??= programme;
    } else {
      groups.push({ label: item.question, programme, count: item.count, items: [item], words: [words] });
    }
  }
  return groups.sort((a, b) => b.count - a.count).map(({ words: _words, ...g }) => g);
}
