/**
 * "Can I get it / how much would I get": a question about one named programme is answered from its
 * clause, with an offer to work out the person's own amount; a general "我能领什么补贴" starts the
 * eligibility questions.
 */
import { answerPolicyQuestion } from '../../answers/policy-answer.js';
import { text, type Handler } from '../turn.js';
import { CONFIDENT_ANSWER_SCORE, type PolicyDeps } from './policy-question.js';

const OFFER = '想知道您自己能领多少？回复“帮我算算”，我问您几个问题后帮您测算。';

export function eligibilityHandler(deps: PolicyDeps, policy: Handler, startCalculator: Handler): Handler {
  return async (ctx) => {
    const probe = answerPolicyQuestion(deps.index, deps.questionTypes, {
      text: ctx.u.normalized,
      region: ctx.u.entities.region ?? ctx.state.region,
      today: ctx.today,
    });
    const specific = probe.answered && (probe.hits[0]?.score ?? 0) >= CONFIDENT_ANSWER_SCORE;
    if (!specific) return startCalculator(ctx);
    const replies = await policy(ctx);
    return [...replies, text(OFFER)];
  };
}
