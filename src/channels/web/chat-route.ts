/** The web chat channel: `POST /api/chat` (also what the chat page at `/` calls). */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DialogueEngine } from '../../dialogue/engine.js';

export const MAX_MESSAGE_CHARS = 2000;

const ChatBody = z.object({
  userId: z.string().trim().min(1, 'userId 不能为空').max(128, 'userId 最长128个字符'),
  text: z.string().max(MAX_MESSAGE_CHARS, `text 最长${MAX_MESSAGE_CHARS}个字符`),
  channel: z.literal('web').optional(),
  messageId: z.string().min(1).max(128).optional(),
});

const CitationSchema = z.object({ title: z.string(), docNo: z.string().nullable(), clause: z.string().nullable() });
const ChatResponse = z.object({
  replies: z.array(z.object({ text: z.string(), citations: z.array(CitationSchema) })),
});

export const chatRoute: FastifyPluginAsync<{ engine: DialogueEngine }> = async (app, { engine }) => {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/chat',
    {
      schema: {
        summary: '与助手对话（网页聊天）',
        body: ChatBody,
        response: { 200: ChatResponse },
      },
    },
    async (req) => {
      const { userId, text, messageId } = req.body;
      const result = await engine.handle({
        channel: 'web',
        userId,
        text,
        ...(messageId ? { messageId } : {}),
        receivedAt: new Date(),
      });
      return { replies: result.replies };
    },
  );
};
