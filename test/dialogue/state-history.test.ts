/** What a conversation remembers of each exchange (the state is written on every turn). */
import { describe, expect, it } from 'vitest';
import { ASSISTANT_TEXT_KEPT, HISTORY_LIMIT, newState, remember } from '../../src/dialogue/state.js';

const at = new Date('2026-03-02T02:00:00Z');

describe('remember', () => {
  it("keeps the person's words whole, and a long reply as its opening and the source it cites", () => {
    const state = newState('web', 'u1', at);
    const question = `我想问一下${'创业补贴'.repeat(100)}`;
    const reply = `一次性创业补贴：${'条款原文'.repeat(300)}`;
    const citations = [{ title: '关于进一步做好就业创业工作的通知', docNo: '平政〔2023〕9号', clause: '第三条（二）' }];
    remember(state, question, [{ text: reply, citations }, { text: '还有什么可以帮您？', citations: [] }], at);

    expect(state.history.map((t) => t.from)).toEqual(['user', 'assistant', 'assistant']);
    expect(state.history[0]!.text).toBe(question);
    expect(state.history[1]!.text).toBe(
      `${reply.slice(0, ASSISTANT_TEXT_KEPT)}…〔出处：《关于进一步做好就业创业工作的通知》（平政〔2023〕9号） 第三条（二）〕`,
    );
    expect(state.history[2]!.text).toBe('还有什么可以帮您？');
    expect(state.updatedAt).toBe(at.toISOString());
  });

  it(`keeps only the last ${HISTORY_LIMIT} messages`, () => {
    const state = newState('web', 'u1', at);
    for (let i = 0; i < 10; i++) remember(state, `问题${i}`, [{ text: `答复${i}`, citations: [] }], at);
    expect(state.history).toHaveLength(HISTORY_LIMIT);
    expect(state.history.at(-1)!.text).toBe('答复9');
    expect(state.history[0]!.text).toBe(`问题${10 - HISTORY_LIMIT / 2}`);
  });
});
