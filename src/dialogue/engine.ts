/**
 * The dialogue engine: one inbound message in, the replies out. Drops duplicates, limits the rate per
 * sender, loads the conversation, continues an active form or routes by intent, saves the conversation.
 */
import type { Logger } from 'pino';
import type { InboundMessage, Reply } from '../core/types.js';
import type { HandlerName } from '../nlu/intents.js';
import type { Understanding } from '../nlu/understand.js';
import { continueForm, reopenForm } from './form-runner.js';
import type { SessionStore } from './session-store.js';
import { newState, remember, sessionKey, type ConversationState } from './state.js';
import { text, type FormDefinition, type Handler, type TurnContext } from './turn.js';
import { KeyedMutex } from './keyed-mutex.js';

export type { HandlerName };

export interface EngineDeps {
  sessions: SessionStore;
  understand(text: string, today: string): Understanding;
  /**
   * Which handler serves a classified message, given the conversation (an open policy topic makes
   * "那补贴多少" a follow-up). Returns the rule that decided, for the log.
   */
  handlerFor(u: Understanding, state: ConversationState, now: Date): HandlerName | { handler: HandlerName; rule?: string | null; reason?: string | null };
  handlers: Record<HandlerName, Handler>;
  forms: Record<string, FormDefinition>;
  sessionTtlSeconds: number;
  today(now: Date): string;
  rateLimitPerMinute: number;
  /** Messages waiting for a user of a channel without push (web chat), shown before the reply. */
  inbox?: { take(userId: string): Promise<string[]> };
  log?: Logger;
}

export interface EngineResult {
  replies: Reply[];
  /** True when the message was a retry or replay already handled: send nothing. */
  duplicate: boolean;
  intent: string | null;
}

/** A message older than this resumes an unfinished form with a reminder. */
const RESUME_AFTER_MS = 30 * 60_000;
/** A finished form's answers are taken up again only this soon after it ended (see FormDefinition.reopens). */
const REOPEN_WITHIN_MS = 30 * 60_000;
/** Provider retries arrive within minutes; replays after a restart within a day. */
const DEDUPE_TTL_SECONDS = 24 * 3600;

export class DialogueEngine {
  private readonly locks = new KeyedMutex();

  constructor(private readonly deps: EngineDeps) {}

  async handle(msg: InboundMessage): Promise<EngineResult> {
    const { sessions } = this.deps;
    if (msg.messageId && !(await sessions.markSeen(`msg:${msg.channel}`, msg.messageId, DEDUPE_TTL_SECONDS))) {
      this.deps.log?.info({ channel: msg.channel, messageId: msg.messageId }, 'duplicate message dropped');
      return { replies: [], duplicate: true, intent: null };
    }
    const rate = await sessions.hit(`rate:${msg.channel}:${msg.userId}`, 60, this.deps.rateLimitPerMinute);
    if (!rate.allowed) {
      // Say it once per window, then stay quiet so a flood does not become a flood of replies.
      const replies = rate.count === this.deps.rateLimitPerMinute + 1 ? [text('您发送得太快了，请稍等一分钟再发。')] : [];
      return { replies, duplicate: false, intent: null };
    }
    // One turn at a time per conversation, so two quick messages do not overwrite each other's state.
    const key = sessionKey(msg.channel, msg.userId);
    try {
      return await this.locks.run(key, () => this.turn(msg, key));
    } catch (err) {
      // Nothing was saved for this turn: let the provider's retry of the same message be handled.
      if (msg.messageId) await sessions.forgetSeen(`msg:${msg.channel}`, msg.messageId).catch(() => undefined);
      throw err;
    }
  }

  private async turn(msg: InboundMessage, key: string): Promise<EngineResult> {
    const now = msg.receivedAt;
    const today = this.deps.today(now);
    const state = (await this.deps.sessions.get<ConversationState>(key)) ?? newState(msg.channel, msg.userId, now);
    const lastSeen = new Date(state.updatedAt).getTime();

    let input = msg.text;
    // A bare number picks an option of the menu the assistant just offered.
    const choice = /^\s*([1-9])\s*$/.exec(input);
    if (choice && state.menu && !state.form) {
      const option = state.menu[Number(choice[1]) - 1];
      if (option) input = option;
    }
    state.menu = null;

    const u = this.deps.understand(input, today);
    const ctx: TurnContext = { msg: { ...msg, text: input }, state, u, today, now };
    let replies: Reply[];
    let intent: string | null = u.intent;
    const form = state.form ? this.deps.forms[state.form.name] : undefined;
    if (state.form && form) {
      const resuming = now.getTime() - lastSeen > RESUME_AFTER_MS;
      replies = await continueForm(ctx, form, this.deps.handlers.policy_question);
      if (resuming && state.form) replies = [text('欢迎回来，我们接着上次没有完成的登记。'), ...replies];
      intent = `form:${form.name}`;
    } else {
      state.form = null;
      const finished = state.finished && now.getTime() - Date.parse(state.finished.endedAt) < REOPEN_WITHIN_MS ? state.finished : null;
      const again = finished ? this.deps.forms[finished.name] : undefined;
      if (finished && again?.reopens?.(ctx, finished)) {
        replies = await reopenForm(ctx, again, finished);
        intent = `form:${again.name}`;
      } else {
        const decided = this.deps.handlerFor(u, state, now);
        const route = typeof decided === 'string' ? { handler: decided, rule: null, reason: null } : decided;
        if (route.rule) (ctx.trace ??= []).push(`route:${route.rule} → ${route.handler} (${route.reason ?? ''})`);
        replies = await this.deps.handlers[route.handler](ctx);
        intent = route.handler;
      }
    }

    if (msg.channel === 'web' && this.deps.inbox) {
      const waiting = await this.deps.inbox.take(msg.userId);
      if (waiting.length > 0) replies = [...waiting.map((t) => text(t)), ...replies];
    }

    if (ctx.trace?.length) this.deps.log?.debug({ channel: msg.channel, intent, trace: ctx.trace }, 'rules fired');
    remember(state, msg.text, replies, now);
    await this.deps.sessions.set(key, state, this.deps.sessionTtlSeconds);
    return { replies, duplicate: false, intent };
  }
}
