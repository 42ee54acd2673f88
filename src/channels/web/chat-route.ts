/**
 * The web chat channel: `POST /api/chat` (also what the chat page at `/` calls).
 *
 * - `messageId` (optional, per user): a retry of a message already handled gets the original replies
 *   again (the response to the first try may have been lost), and is not handled twice.
 * - Staff replies waiting in the web inbox come first in `replies` on every turn until the page
 *   acknowledges them: the response lists their ids in `ack`; the page sends them back with
 *   `POST /api/chat/ack` (or as `ack` on its next message).
 * - Over the per-sender limit: 429 with Retry-After and the message to show.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RATE_LIMITED_TEXT, type DialogueEngine } from '../../dialogue/engine.js';
import { ApiError } from '../../server/errors.js';

export const MAX_MESSAGE_CHARS = 2000;

const UserId = z.string().trim().min(1, 'userId 不能为空').max(128, 'userId 最长128个字符');
const AckIds = z.array(z.string().min(1).max(64)).max(100);

const ChatBody = z.object({
  userId: UserId,
  text: z.string().max(MAX_MESSAGE_CHARS, `text 最长${MAX_MESSAGE_CHARS}个字符`),
  channel: z.literal('web').optional(),
  messageId: z.string().min(1).max(128).optional(),
  /** Inbox messages the page has shown (ids from an earlier response's `ack`). */
  ack: AckIds.optional(),
});

const CitationSchema = z.object({ title: z.string(), docNo: z.string().nullable(), clause: z.string().nullable() });
const ChatResponse = z.object({
  replies: z.array(z.object({ text: z.string(), citations: z.array(CitationSchema) })),
  ack: AckIds.optional(),
});

export const chatRoute: FastifyPluginAsync<{ engine: DialogueEngine }> = async (app, { engine }) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post(
    '/api/chat',
    {
      schema: {
        summary: '与助手对话（网页聊天）',
        body: ChatBody,
        response: { 200: ChatResponse },
      },
    },
    async (req, reply) => {
      const { userId, text, messageId, ack } = req.body;
      if (ack?.length) await engine.acknowledge(userId, ack);
      const result = await engine.handle({
        channel: 'web',
        userId,
        text,
        ...(messageId ? { messageId } : {}),
        receivedAt: new Date(),
      });
      if (result.rateLimited) {
        reply.header('retry-after', String(result.rateLimited.retryAfterSeconds));
        throw new ApiError('RATE_LIMITED', RATE_LIMITED_TEXT);
      }
      return { replies: result.replies, ...(result.ack?.length ? { ack: result.ack } : {}) };
    },
  );

  api.post(
    '/api/chat/ack',
    {
      schema: {
        summary: '确认已显示工作人员的留言（之后不再重复显示）',
        body: z.object({ userId: UserId, ack: AckIds }),
        response: { 200: z.object({ ok: z.literal(true) }) },
      },
    },
    async (req) => {
      await engine.acknowledge(req.body.userId, req.body.ack);
      return { ok: true as const };
    },
  );
};
