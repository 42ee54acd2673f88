/**
 * `POST /api/chat/feedback`: the chat page's 有用 / 没用 buttons under an answer. The answer id comes
 * with the reply (`answerId` on its last reply); only the conversation it was given in may rate it,
 * once.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AnswerLog } from '../../feedback/answer-log.js';
import { ApiError } from '../../server/errors.js';

const FeedbackBody = z.object({
  userId: z.string().trim().min(1, 'userId 不能为空').max(128, 'userId 最长128个字符'),
  answerId: z.uuid('answerId 应为回答附带的编号'),
  verdict: z.enum(['useful', 'useless'], 'verdict 应为 useful 或 useless'),
});

export const feedbackRoute: FastifyPluginAsync<{ answers: AnswerLog }> = async (app, { answers }) => {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/chat/feedback',
    {
      schema: {
        summary: '对一条回答的评价：有用 / 没用',
        body: FeedbackBody,
        response: { 200: z.object({ recorded: z.boolean(), text: z.string() }) },
      },
    },
    async (req) => {
      const { userId, answerId, verdict } = req.body;
      const outcome = await answers.verdict(answerId, { channel: 'web', userId }, verdict, 'button', new Date());
      if (outcome.kind === 'unknown') throw new ApiError('NOT_FOUND', '没有找到这条回答（可能已过期）');
      return { recorded: outcome.kind === 'recorded', text: outcome.kind === 'recorded' ? '谢谢您的评价' : '您已评价过这条回答' };
    },
  );
};
