/** Policy questions: answered from the knowledge base with the source named (src/answers). */
import { answerPolicyQuestion } from '../../answers/policy-answer.js';
import type { UnansweredLog } from '../../answers/unanswered-log.js';
import type { ClauseIndex } from '../../knowledge/clause-index.js';
import type { Responses } from '../responses.js';
import { text, type Handler } from '../turn.js';

/** A short message that only makes sense with the previous question: "那济宁呢", "要啥材料". */
const FOLLOW_UP = /^(那|那么|还有|另外)|呢[?？]?$|^(要|需要)(啥|什么|哪些)材料|^(去)?哪(里|儿)?(申请|办)/;

export function policyQuestionHandler(deps: { index: ClauseIndex; unanswered: UnansweredLog; responses: Responses }): Handler {
  return async (ctx) => {
    const { u, state } = ctx;
    if (u.entities.otherRegion && !u.entities.region) {
      const place = u.entities.places[0]?.name ?? '当地';
      await deps.unanswered.record({ text: ctx.msg.text, reason: 'other_region', channel: ctx.msg.channel, at: ctx.now });
      return [text(deps.responses.other_region.replace('{place}', place))];
    }
    if (u.entities.region) state.region = u.entities.region;
    const region = u.entities.region ?? state.region;

    let query = u.normalized;
    if (state.lastTopic && query.length <= 12 && FOLLOW_UP.test(query)) query = `${state.lastTopic.query} ${query}`;

    const answer = answerPolicyQuestion(deps.index, { text: query, region, today: ctx.today });
    if (!answer.answered) {
      await deps.unanswered.record({ text: ctx.msg.text, reason: answer.gap ?? 'no_match', channel: ctx.msg.channel, at: ctx.now });
    } else {
      state.lastTopic = { query, region };
    }
    return answer.replies;
  };
}

export function outOfScopeHandler(deps: { unanswered: UnansweredLog; responses: Responses }): Handler {
  return async (ctx) => {
    await deps.unanswered.record({ text: ctx.msg.text, reason: 'out_of_scope', channel: ctx.msg.channel, at: ctx.now });
    return [text(deps.responses.out_of_scope)];
  };
}
