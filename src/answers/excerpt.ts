/**
 * Picks, inside a clause, the sentences that answer the question, so a reply quotes the policy's own
 * words (and so its own figures) instead of paraphrasing them.
 */
import type { Hit } from '../knowledge/clause-index.js';

/** A passage this short is quoted whole. */
const WHOLE_PASSAGE_CHARS = 200;
const BUDGET_CHARS = 300;
/** Sentences scoring below this share of the best one are left out. */
const KEEP_RATIO = 0.35;

export function excerpt(hit: Hit): string {
  const { sentences, sentenceScores } = hit;
  if (hit.passage.length <= WHOLE_PASSAGE_CHARS) return joinSentences(sentences.map((s, i) => ({ s, i })));
  let best = 0;
  for (const v of sentenceScores) if (v > best) best = v;
  const ranked: Array<{ s: string; i: number; score: number }> = [];
  sentences.forEach((s, i) => {
    const score = sentenceScores[i] ?? 0;
    if (score > 0 && score >= best * KEEP_RATIO) ranked.push({ s, i, score });
  });
  ranked.sort((a, b) => b.score - a.score || a.i - b.i);
  const chosen: Array<{ s: string; i: number }> = [];
  let length = 0;
  for (const x of ranked) {
    if (chosen.length > 0 && length + x.s.length > BUDGET_CHARS) continue;
    chosen.push(x);
    length += x.s.length;
  }
  if (chosen.length === 0 && sentences[0]) chosen.push({ s: sentences[0], i: 0 });
  // A short lead sentence names the subject ("（一）务工奖补。"): keep it for context.
  const lead = sentences[0];
  if (lead && lead.length <= 30 && !chosen.some((c) => c.i === 0)) chosen.push({ s: lead, i: 0 });
  chosen.sort((a, b) => a.i - b.i);
  return joinSentences(chosen);
}

/** Prose sentences run on; table rows and list lines keep their own line; gaps are marked "……". */
function joinSentences(parts: Array<{ s: string; i: number }>): string {
  let out = '';
  let prev = -1;
  for (const { s, i } of parts) {
    if (out === '') out = s;
    else if (i > prev + 1) out += `……${s}`;
    else out += /[。；！？]$/.test(out) ? s : `\n${s}`;
    prev = i;
  }
  return out;
}
