/**
 * The layer around the handlers that answer policy questions: a staff fix for the question's wording
 * answers first (from the clause staff chose); every answer then gets an id and a snapshot
 * (answer-log.ts), and its last reply carries the id so that the page's 有用 / 没用 can refer to it.
 */
import type { Logger } from 'pino';
import type { HandlerName } from '../nlu/intents.js';
import type { Handler } from '../dialogue/turn.js';
import type { AnswerLog } from './answer-log.js';
import type { StaffFixes } from './staff-fixes.js';

export function answeringLayer(deps: { answers: AnswerLog; fixes: StaffFixes; log?: Pick<Logger, 'warn'> }) {
  return (name: HandlerName, inner: Handler): Handler =>
    async (ctx) => {
      await deps.fixes.refresh().catch((err: unknown) => deps.log?.warn({ err }, 'staff fixes: reload failed; answering with the fixes held'));
      const fixed = deps.fixes.answerFor(ctx.msg.text);
      let replies;
      if (fixed) {
        (ctx.trace ??= []).push(`staff-fix:clause ${fixed.clauseId} (by ${fixed.by})`);
        ctx.state.lastTopic = { query: ctx.u.normalized, region: ctx.u.entities.region ?? ctx.state.region };
        replies = [fixed.reply];
      } else {
        replies = await inner(ctx);
      }
      // The calculator's questions (a form just started) are no answer to rate.
      if (replies.length === 0 || ctx.state.form) return replies;
      const answerId = await deps.answers.remember({
        channel: ctx.msg.channel,
        userId: ctx.msg.userId,
        question: ctx.msg.text,
        answer: replies.map((r) => r.text).join('\n'),
        citations: replies.flatMap((r) => r.citations),
        handler: name,
        rules: ctx.trace ?? [],
        at: ctx.now,
      });
      return replies.map((r, i) => (i === replies.length - 1 ? { ...r, answerId } : r));
    };
}
