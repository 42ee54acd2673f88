/**
 * The web chat channel: `POST /api/chat` (also what the chat page at `/` calls).
 *
 * - `messageId` (optional, per user): a retry of a message already handled gets the original replies
 *   again (the response to the first try may have been lost), and is not handled twice.
 * - Staff replies waiting in the web inbox come first in `replies` on every turn until the page
 *   acknowledges them: the response lists their ids in `ack`; the page sends them back with
 *   `POST /api/chat/ack` (or as `ack` on its next message).
 * - Over the per-sender limit: 429 with Retry-After and the message to show.
 * - "查询 编号 手机后四位" in the chat (or `POST /api/tickets/lookup`) shows a complaint's status on a
 *   device other than the one it was filed from (see ticket-lookup.ts).
 *
 * The page remembers (issue 14, item 3): `GET /api/chat/history?userId=` returns that conversation's
 * recent turns (the page's own random id reads only its own conversation; there is no other lookup),
 * and `GET /api/chat/inbox?userId=` returns the staff replies waiting, without removing them: the page
 * polls it, shows them and acknowledges them with `POST /api/chat/ack`.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RATE_LIMITED_TEXT, type DialogueEngine } from '../../dialogue/engine.js';
import type { SessionStore } from '../../dialogue/session-store.js';
import { ConversationLock } from '../../dialogue/conversation-lock.js';
import { HISTORY_LIMIT, newState, sessionKey, type ConversationState, type Turn } from '../../dialogue/state.js';
import { ApiError } from '../../server/errors.js';
import { parseLookup, type TicketLookup } from './ticket-lookup.js';
import type { WebInbox } from './web-inbox.js';
import type { Citation, Reply } from '../../core/types.js';
import { displayTitle } from '../../knowledge/citation-text.js';
import type { PolicySources } from './sources.js';

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

/** A citation as the page shows it: the title as cited, and where its clause opens (docId + anchor). */
const CitationSchema = z.object({
  title: z.string(),
  docNo: z.string().nullable(),
  clause: z.string().nullable(),
  docId: z.string().optional(),
  anchor: z.string().nullable().optional(),
});
const QuickReplies = z.array(z.string()).max(8);
const ChatResponse = z.object({
  replies: z.array(z.object({ text: z.string(), citations: z.array(CitationSchema), answerId: z.string().optional() })),
  ack: AckIds.optional(),
  /** What the page offers to tap next, from the conversation's state (src/dialogue/quick-replies.ts). */
  quickReplies: QuickReplies.optional(),
});

const TurnSchema = z.object({ from: z.enum(['user', 'assistant']), text: z.string(), at: z.string() });
const InboxSchema = z.object({ messages: z.array(z.object({ id: z.string(), text: z.string() })) });

export interface ChatRouteOptions {
  engine: DialogueEngine;
  sessions: SessionStore;
  inbox: WebInbox;
  lookup: TicketLookup;
  /** How long a conversation is kept (the engine's session ttl). */
  sessionTtlSeconds: number;
  /** Opens citations in place (docId + clause anchor); without it citations carry no link. */
  sources?: PolicySources;
  /** The quick replies for a conversation's state; without it the responses carry none. */
  quickReplies?: (state: ConversationState | null) => string[];
}

export const chatRoute: FastifyPluginAsync<ChatRouteOptions> = async (app, { engine, sessions, inbox, lookup, sessionTtlSeconds, sources, quickReplies }) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const linked = (c: Citation) => {
    const link = sources?.resolve(c);
    return { ...c, title: displayTitle(c.title), ...(link ? { docId: link.docId, anchor: link.anchor } : {}) };
  };
  const forPage = (replies: readonly Reply[]) => replies.map((r) => ({ text: r.text, citations: r.citations.map(linked), ...(r.answerId ? { answerId: r.answerId } : {}) }));
  const chipsFor = async (userId: string): Promise<{ quickReplies?: string[] }> =>
    quickReplies ? { quickReplies: quickReplies(await sessions.get<ConversationState>(sessionKey('web', userId))) } : {};
  // The engine's turns take the same lock (in the store) for the conversation's state.
  const locks = new ConversationLock(sessions);
  const addToHistory = async (userId: string, turns: Array<{ from: Turn['from']; text: string }>, lock = true): Promise<void> => {
    if (turns.length === 0) return;
    const key = sessionKey('web', userId);
    const write = async () => {
      const now = new Date();
      const state = (await sessions.get<ConversationState>(key)) ?? newState('web', userId, now);
      for (const t of turns) state.history.push({ ...t, at: now.toISOString() });
      if (state.history.length > HISTORY_LIMIT) state.history = state.history.slice(-HISTORY_LIMIT);
      await sessions.set(key, state, sessionTtlSeconds);
    };
    await (lock ? locks.run(key, write) : write());
  };
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
      // A complaint's number with the phone's last four digits: its status, for any device.
      const asked = parseLookup(text);
      if (asked) {
        const found = await lookup.lookup(`ip:${req.ip}`, asked.id, asked.phoneLast4);
        // Kept in this page's conversation like any turn, so a reload shows it.
        await addToHistory(userId, [{ from: 'user', text }, { from: 'assistant', text: found.text }]);
        return { replies: [{ text: found.text, citations: [] }], ...(await chipsFor(userId)) };
      }
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
      return { replies: forPage(result.replies), ...(result.ack?.length ? { ack: result.ack } : {}), ...(await chipsFor(userId)) };
    },
  );

  api.post(
    '/api/chat/ack',
    {
      schema: {
        summary: '确认已显示工作人员的留言（之后不再重复显示）',
        body: z.object({
          userId: UserId,
          ack: AckIds,
          /**
           * 'inbox': the page showed these from its inbox poll, outside any chat turn; they are kept
           * in the conversation's history so that a reload shows them too. (Messages shown at the top
           * of a chat reply are in the history already.)
           */
          shown: z.literal('inbox').optional(),
        }),
        response: { 200: z.object({ ok: z.literal(true) }) },
      },
    },
    async (req) => {
      const { userId, ack, shown } = req.body;
      if (shown === 'inbox' && ack.length > 0) {
        const key = sessionKey('web', userId);
        await locks.run(key, async () => {
          const wanted = new Set(ack);
          // Only what is still waiting: a repeated ack records nothing twice.
          const shownNow = (await inbox.peek(userId)).filter((m) => wanted.has(m.id));
          await addToHistory(userId, shownNow.map((m) => ({ from: 'assistant' as const, text: m.text })), false);
          await engine.acknowledge(userId, ack);
        });
      } else {
        await engine.acknowledge(userId, ack);
      }
      return { ok: true as const };
    },
  );

  api.get(
    '/api/chat/history',
    {
      schema: {
        summary: '本页对话的最近记录（刷新页面后显示）',
        querystring: z.object({ userId: UserId }),
        response: { 200: z.object({ turns: z.array(TurnSchema).max(HISTORY_LIMIT), quickReplies: QuickReplies.optional() }) },
      },
    },
    async (req) => {
      const state = await sessions.get<ConversationState>(sessionKey('web', req.query.userId));
      const turns = (state?.history ?? []).slice(-HISTORY_LIMIT).map((t) => ({ from: t.from, text: t.text, at: t.at }));
      return { turns, ...(quickReplies ? { quickReplies: quickReplies(state) } : {}) };
    },
  );

  api.get(
    '/api/chat/inbox',
    {
      schema: {
        summary: '等待显示的工作人员留言（不删除；显示后用 /api/chat/ack 确认）',
        querystring: z.object({ userId: UserId }),
        response: { 200: InboxSchema },
      },
    },
    async (req) => ({ messages: await inbox.peek(req.query.userId) }),
  );

  api.post(
    '/api/tickets/lookup',
    {
      schema: {
        summary: '凭投诉编号和登记手机号后四位查询进度（换了手机也能查）',
        body: z.object({
          id: z.string().trim().min(1).max(40),
          phoneLast4: z.string().regex(/^\d{4}$/, 'phoneLast4 应为4位数字'),
        }),
        response: { 200: z.object({ found: z.boolean(), text: z.string() }) },
      },
    },
    async (req, reply) => {
      const found = await lookup.lookup(`ip:${req.ip}`, req.body.id, req.body.phoneLast4);
      if (found.kind === 'throttled') {
        reply.header('retry-after', '600');
        throw new ApiError('RATE_LIMITED', found.text);
      }
      return { found: found.kind === 'found', text: found.text };
    },
  );
};
