/**
 * Picks, inside a clause, the sentences that answer the question, so a reply quotes the policy's own
 * words (and so its own figures) instead of paraphrasing them.
 */
import { analyze, type QueryTerm } from '../knowledge/clause-index.js';

const SENTENCE_END = /(?<=[。；！？])|\n+/;
/** A clause this short is quoted whole. */
const WHOLE_CLAUSE_CHARS = 240;
const BUDGET_CHARS = 320;

export function splitSentences(text: string): string[] {
  return text
    .split(SENTENCE_END)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export interface Excerpt {
  text: string;
  /** How much of the query the chosen sentences cover (idf-weighted), for ranking and thresholds. */
  coverage: number;
}

export function excerpt(clauseText: string, query: QueryTerm[], idf: (t: string) => number): Excerpt {
  const sentences = splitSentences(clauseText);
  const weights = new Map(query.map((q) => [q.term, q.weight * idf(q.term)]));
  const total = [...weights.values()].reduce((a, w) => a + w, 0) || 1;
  const scored = sentences.map((s, i) => {
    const terms = new Set(analyze(s));
    let score = 0;
    for (const [t, w] of weights) if (terms.has(t)) score += w;
    return { i, s, score };
  });
  const coverOf = (chosen: typeof scored): number => {
    const terms = new Set(chosen.flatMap((c) => analyze(c.s)));
    let covered = 0;
    for (const [t, w] of weights) if (terms.has(t)) covered += w;
    return covered / total;
  };
  if (clauseText.length <= WHOLE_CLAUSE_CHARS) return { text: sentences.join(joinerFor(clauseText)), coverage: coverOf(scored) };

  const ranked = [...scored].filter((s) => s.score > 0).sort((a, b) => b.score - a.score || a.i - b.i);
  const chosen: typeof scored = [];
  let length = 0;
  for (const s of ranked) {
    if (chosen.length > 0 && length + s.s.length > BUDGET_CHARS) continue;
    chosen.push(s);
    length += s.s.length;
  }
  if (chosen.length === 0 && scored[0]) chosen.push(scored[0]);
  chosen.sort((a, b) => a.i - b.i);
  // Keep the clause's lead sentence when it names the subject ("（一）强化稳岗扶持政策。").
  const lead = scored[0];
  if (lead && lead.s.length <= 24 && !chosen.includes(lead)) chosen.unshift(lead);
  const parts: string[] = [];
  for (let k = 0; k < chosen.length; k++) {
    const cur = chosen[k]!;
    const prev = chosen[k - 1];
    if (prev && cur.i > prev.i + 1) parts.push('……');
    parts.push(cur.s);
  }
  let out = '';
  for (const p of parts) out += out === '' || /[。；！？…]$/.test(out) || p === '……' ? p : `\n${p}`;
  return { text: out, coverage: coverOf(chosen) };
}

/** Tables and lists keep their lines; prose is joined back into one paragraph. */
function joinerFor(text: string): string {
  return /\n/.test(text.trim()) ? '\n' : '';
}
