/**
 * Multi-turn policy conversations (eval/dev/followups.dev.jsonl): each conversation's turns go to
 * /api/chat in order with one userId, and each turn is scored like a single question against the
 * reply to that turn only. Later turns ("那补贴多少", "那济宁呢") make sense only in context.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Reply } from '../core/types.js';
import { QuestionCase, scoreReply, type QuestionResult } from './questions.js';

/** A turn is scored like a single question: the same expectations, without id, kind or persona of its own. */
const Turn = QuestionCase.pick({ text: true, expect_all: true, expect_any: true, expect_none: true, cites_any: true });
const FollowupCase = z.object({
  id: z.string(),
  persona: z.string(),
  channel: z.string(),
  turns: z.array(Turn).min(1),
  notes: z.string().optional(),
});
export type FollowupCase = z.infer<typeof FollowupCase>;

export interface FollowupReport {
  conversations: number;
  allTurnsCorrect: number;
  turns: number;
  turnsCorrect: number;
  /** Turns after the first: the ones that need the context. */
  laterTurns: number;
  laterTurnsCorrect: number;
  results: Array<QuestionResult & { conversation: string; turn: number }>;
}

export function loadFollowupCases(path: string): FollowupCase[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => FollowupCase.parse(JSON.parse(l)));
}

export async function runFollowupEval(
  cases: FollowupCase[],
  ask: (userId: string, text: string, channel: string) => Promise<Reply[]>,
): Promise<FollowupReport> {
  const results: FollowupReport['results'] = [];
  let allTurnsCorrect = 0;
  for (const c of cases) {
    let all = true;
    for (const [i, t] of c.turns.entries()) {
      const replies = await ask(`eval-${c.id}`, t.text, c.channel);
      const r = scoreReply({ ...t, id: `${c.id}.${i + 1}`, persona: c.persona, channel: c.channel, kind: i === 0 ? 'opening' : 'followup' }, replies);
      results.push({ ...r, conversation: c.id, turn: i + 1 });
      all &&= r.correct;
    }
    if (all) allTurnsCorrect += 1;
  }
  const later = results.filter((r) => r.turn > 1);
  return {
    conversations: cases.length,
    allTurnsCorrect,
    turns: results.length,
    turnsCorrect: results.filter((r) => r.correct).length,
    laterTurns: later.length,
    laterTurnsCorrect: later.filter((r) => r.correct).length,
    results,
  };
}
