import { describe, expect, it } from 'vitest';
import { routeIntent } from '../../src/assistant.js';
import type { HandlerName } from '../../src/nlu/intents.js';
import { understand } from '../../src/nlu/understand.js';

const as = (text: string, handler: HandlerName, ambiguous = false) => ({ ...understand(text, { today: '2026-11-23' }), handler, ambiguous });

describe('routing on top of the intent classifier', () => {
  it('when the classifier calls a weather question a complaint, then it goes to retrieval instead of the intake', () => {
    expect(routeIntent(as('后天会下雨不', 'wage_complaint'))).toBe('policy_question');
  });

  it('when a real complaint is classified as one, then the intake starts', () => {
    expect(routeIntent(as('包工头跑了 俺们三个月工钱没拿到', 'wage_complaint'))).toBe('wage_complaint');
  });

  it('when a status enquiry has neither a number nor a word of one, then it goes to retrieval', () => {
    expect(routeIntent(as('快递到哪了', 'ticket_status'))).toBe('policy_question');
    expect(routeIntent(as('查一下 QX261124-AB7K', 'ticket_status'))).toBe('ticket_status');
  });

  it('when a bare fact ("23岁") is classified as a goodbye, then the person is asked what they mean, not sent away', () => {
    expect(routeIntent(as('23岁', 'goodbye'))).toBe('ambiguous');
    expect(routeIntent(as('88', 'goodbye'))).toBe('goodbye');
    expect(routeIntent(as('没啥问的了 再见', 'goodbye'))).toBe('goodbye');
    expect(routeIntent(as('好的 太谢谢你了', 'thanks'))).toBe('thanks');
  });

  it('when a greeting carries a question, then the question is answered', () => {
    expect(routeIntent(as('你好 想找点零活干 有啥渠道', 'greeting'))).toBe('policy_question');
    expect(routeIntent(as('你好', 'greeting'))).toBe('greeting');
  });

  it('when the classifier is unsure and guesses a complaint for a message without a word of one, then retrieval answers it', () => {
    expect(routeIntent(as('考个焊工证政府给报销不', 'wage_complaint', true))).toBe('policy_question');
    expect(routeIntent(as('老板欠俺两个月工资', 'wage_complaint', true))).toBe('wage_complaint');
  });

  it('when the classifier is unsure of a real question, then retrieval decides; a bare word gets the menu', () => {
    expect(routeIntent(as('跟着我在城里上学的孩子 入学要啥证', 'policy_question', true))).toBe('policy_question');
    expect(routeIntent(as('补贴', 'policy_question', true))).toBe('ambiguous');
  });

  it('when the classifier takes a policy term sharing 工 with 人工 for a request for a person, then retrieval answers it', () => {
    expect(routeIntent(as('同工同酬', 'human_handoff'))).toBe('policy_question');
    expect(routeIntent(as('有人工吗', 'human_handoff'))).toBe('human_handoff');
    expect(routeIntent(as('叫个人来', 'human_handoff'))).toBe('human_handoff');
  });
});
