/**
 * A bare "没用" / "不对" right after an answer (routing rule answer-verdict, intents/routing.yaml):
 * recorded as 没用 for that answer, and the person is thanked and shown the way on (12333, 转人工).
 * Without an answer just given, the message is no verdict and gets the ordinary reply for a vague one.
 */
import type { AnswerLog } from '../../feedback/answer-log.js';
import type { Responses } from '../responses.js';
import { text, type Handler } from '../turn.js';

export function answerFeedbackHandler(deps: { answers: AnswerLog; responses: Responses }, otherwise: Handler): Handler {
  return async (ctx) => {
    const last = await deps.answers.last(ctx.msg.channel, ctx.msg.userId);
    if (!last) return otherwise(ctx);
    const outcome = await deps.answers.verdict(last.id, ctx.msg, 'useless', 'typed', ctx.now);
    (ctx.trace ??= []).push(`feedback:${outcome.kind} ${last.id}`);
    return [text(deps.responses.answer_feedback)];
  };
}
