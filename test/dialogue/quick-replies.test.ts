/** The quick replies come from the conversation's state (issue 19, item 3). */
import { describe, expect, it } from 'vitest';
import { loadQuickReplyWords, quickRepliesFor } from '../../src/dialogue/quick-replies.js';
import { newState, type ActiveForm } from '../../src/dialogue/state.js';

const words = loadQuickReplyWords('intents/quick-replies.yaml');
const facets = (id: string) => (id === 'loan' ? ['overview', 'who', 'amount', 'materials', 'where', 'apply'] : []);
const form = (awaitingConfirmation: boolean): ActiveForm => ({ name: 'wage_complaint', slots: {}, asking: awaitingConfirmation ? null : 'phone', retries: 0, awaitingConfirmation, startedAt: '', memo: {} });

describe('quick replies', () => {
  it('offers the starters before any topic, and for a new conversation', () => {
    expect(quickRepliesFor(null, words, facets)).toEqual(words.start);
    expect(quickRepliesFor(newState('web', 'u', new Date()), words, facets)).toEqual(words.start);
  });

  it('offers 对 / 不对 / 取消 at a read-back, 取消 in another step of a form', () => {
    const s = newState('web', 'u', new Date());
    s.form = form(true);
    expect(quickRepliesFor(s, words, facets)).toEqual(['对', '不对', '取消']);
    s.form = form(false);
    expect(quickRepliesFor(s, words, facets)).toEqual(['取消']);
  });

  it("after an answer, the programme's other facets in the configured order, the answered one left out", () => {
    const s = newState('web', 'u', new Date());
    s.lastTopic = { query: '创业担保贷款能贷多少', region: null, program: 'loan', facets: ['amount'] };
    expect(quickRepliesFor(s, words, facets)).toEqual(['要带啥材料', '去哪办', '怎么申请', '要什么条件']);
    s.lastTopic = { query: 'x', region: null, program: 'unknown', facets: ['amount'] };
    expect(quickRepliesFor(s, words, facets)).toEqual(words.start);
  });
});
