/** Scores single questions as eval/dev/README.md describes (fully correct = facts + citation). */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Citation, Reply } from '../core/types.js';

export const QuestionCase = z.object({
  id: z.string(),
  persona: z.string(),
  channel: z.string(),
  text: z.string(),
  expect_all: z.array(z.string()),
  expect_any: z.array(z.string()),
  expect_none: z.array(z.string()),
  cites_any: z.array(z.string()),
  kind: z.string(),
  source: z.string().optional(),
});
export type QuestionCase = z.infer<typeof QuestionCase>;

export interface QuestionResult {
  id: string;
  kind: string;
  persona: string;
  text: string;
  facts: boolean;
  cited: boolean;
  correct: boolean;
  reply: string;
  problems: string[];
}

export interface RateTable {
  [group: string]: { total: number; correct: number; rate: number };
}

export interface QuestionReport {
  total: number;
  correct: number;
  fullyCorrectRate: number;
  factsRate: number;
  citationRate: number;
  byKind: RateTable;
  byPersona: RateTable;
  results: QuestionResult[];
}

export function loadQuestionCases(path: string): QuestionCase[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => QuestionCase.parse(JSON.parse(l)));
}

const normaliseRef = (s: string): string =>
  s.replace(/\s+/g, '').replace(/[〔［【\[（(]/g, '(').replace(/[〕］】\]）)]/g, ')');

export function scoreReply(c: QuestionCase, replies: Reply[]): QuestionResult {
  const text = replies.map((r) => r.text).join('\n');
  const citations: Citation[] = replies.flatMap((r) => r.citations);
  const problems: string[] = [];
  for (const re of c.expect_all) if (!new RegExp(re).test(text)) problems.push(`missing: ${re}`);
  if (c.expect_any.length > 0 && !c.expect_any.some((re) => new RegExp(re).test(text))) {
    problems.push(`none of: ${c.expect_any.join(' | ')}`);
  }
  for (const re of c.expect_none) if (new RegExp(re).test(text)) problems.push(`must not match: ${re}`);
  const facts = problems.length === 0;
  const haystacks = [text, ...citations.flatMap((ct) => [ct.title, ct.docNo ?? ''])].map(normaliseRef);
  const cited =
    c.cites_any.length === 0 || c.cites_any.some((ref) => haystacks.some((h) => h.includes(normaliseRef(ref))));
  if (!cited) problems.push(`no citation of: ${c.cites_any.join(' | ')}`);
  return { id: c.id, kind: c.kind, persona: c.persona, text: c.text, facts, cited, correct: facts && cited, reply: text, problems };
}

function rates(results: QuestionResult[], key: 'kind' | 'persona'): RateTable {
  const table: RateTable = {};
  for (const r of results) {
    const row = (table[r[key]] ??= { total: 0, correct: 0, rate: 0 });
    row.total += 1;
    if (r.correct) row.correct += 1;
  }
  for (const row of Object.values(table)) row.rate = row.correct / row.total;
  return table;
}

export async function runQuestionEval(
  cases: QuestionCase[],
  ask: (userId: string, text: string, channel: string) => Promise<Reply[]>,
): Promise<QuestionReport> {
  const results: QuestionResult[] = [];
  for (const c of cases) results.push(scoreReply(c, await ask(`eval-${c.id}`, c.text, c.channel)));
  const n = results.length || 1;
  return {
    total: results.length,
    correct: results.filter((r) => r.correct).length,
    fullyCorrectRate: results.filter((r) => r.correct).length / n,
    factsRate: results.filter((r) => r.facts).length / n,
    citationRate: results.filter((r) => r.cited).length / n,
    byKind: rates(results, 'kind'),
    byPersona: rates(results, 'persona'),
    results,
  };
}
