/**
 * The dialogue engine: one inbound message in, the replies out. Drops duplicates, limits the rate per
 * sender, loads the conversation, continues an active form or routes by intent, saves the conversation.
 */
import type { Logger } from 'pino';
import type { InboundMessage, Reply } from '../core/types.js';
import type { HandlerName } from '../nlu/intents.js';
import type { Understanding } from '../nlu/understand.js';
import { continueForm, reopenForm, resumeForm } from './form-runner.js';
import type { SessionStore } from './session-store.js';
import { newState, remember, sessionKey, type ConversationState } from './state.js';
import { text, type FormDefinition, type Handler, type TurnContext } from './turn.js';
import { ConversationLock, type ConversationLockOptions } from './conversation-lock.js';

export type { HandlerName };

export interface EngineDeps {
  sessions: SessionStore;
  understand(text: string, today: string): Understanding;
  /**
   * Which handler serves a classified message, given the conversation (an open policy topic makes
   * "那补贴多少" a follow-up). Returns the rule that decided, for the log.
   */
  handlerFor(
    u: Understanding,
    state: ConversationState,
    now: Date,
  ): HandlerName | { handler: HandlerName; rule?: string | null; reason?: string | null; offer?: string | null };
  /**
   * Whether this message, said while a form is open, must interrupt it (a complaint always does): the
   * handler that serves it, and why; the open form is set aside and offered again afterwards.
   */
  interrupts?(u: Understanding, state: ConversationState, now: Date): { handler: HandlerName; reason: string } | null;
  handlers: Record<HandlerName, Handler>;
  forms: Record<string, FormDefinition>;
  sessionTtlSeconds: number;
  today(now: Date): string;
  rateLimitPerMinute: number;
  /**
   * Messages waiting for a user of a channel without push (web chat), shown before the reply of every
   * turn until the page acknowledges them by id (so a lost response does not lose a staff reply).
   */
  inbox?: InboxLike;
  /** The per-conversation lock across processes (tests shorten the waits). */
  lock?: ConversationLockOptions;
  log?: Logger;
}

export interface InboxLike {
  peek(userId: string): Promise<Array<{ id: string; text: string }>>;
  ack(userId: string, ids: readonly string[]): Promise<void>;
}

export interface EngineResult {
  replies: Reply[];
  /** True when the message was a retry or replay already handled: send nothing. */
  duplicate: boolean;
  intent: string | null;
  /** Set when the sender is over the per-sender limit (the API answers 429 with Retry-After). */
  rateLimited?: { retryAfterSeconds: number };
  /** Ids of the inbox messages at the top of the replies, for the page to acknowledge once shown. */
  ack?: string[];
}

/** What a handled message left behind for a retry of the same messageId (the original replies). */
interface StoredResult {
  replies: Reply[];
  intent: string | null;
  ack?: string[];
}

/** Taking up a form set aside by an interruption. */
const RESUME_SUSPENDED = /^(继续|接着|接着来|接着算|继续算|继续吧|接着吧|好的?继续|好 继续)[。！!]?$/;

/** A message older than this resumes an unfinished form with a reminder. */
const RESUME_AFTER_MS = 30 * 60_000;
/** A finished form's answers are taken up again only this soon after it ended (see FormDefinition.reopens). */
const REOPEN_WITHIN_MS = 30 * 60_000;
/** Provider retries arrive within minutes; replays after a restart within a day. */
const DEDUPE_TTL_SECONDS = 24 * 3600;
/** The per-sender rate limit's window. */
const RATE_WINDOW_SECONDS = 60;
export const RATE_LIMITED_TEXT = '您发送得太快了，请稍等一分钟再发。';

/**
 * The dedupe id of a message: scoped to its sender, so that two people whose clients number their
 * messages alike ("m-1") never drop or see each other's messages. The user id is length-prefixed so
 * that no user id / message id pair can be mistaken for another.
 */
export function dedupeId(userId: string, messageId: string): string {
  return `${userId.length}:${userId}:${messageId}`;
}

export class DialogueEngine {
  private readonly locks: ConversationLock;

  constructor(private readonly deps: EngineDeps) {
    this.locks = new ConversationLock(deps.sessions, deps.lock);
  }

  async handle(msg: InboundMessage): Promise<EngineResult> {
    const { sessions } = this.deps;
    const scope = `msg:${msg.channel}`;
    const id = msg.messageId ? dedupeId(msg.userId, msg.messageId) : null;
    const key = sessionKey(msg.channel, msg.userId);
    if (id && !(await sessions.markSeen(scope, id, DEDUPE_TTL_SECONDS))) {
      this.deps.log?.info({ channel: msg.channel, messageId: msg.messageId }, 'duplicate message dropped');
      // After the original turn (same conversation lock), its replies for a client whose response was lost.
      const stored = await this.locks.run(key, () => sessions.get<StoredResult>(`reply:${msg.channel}:${id}`));
      return { replies: stored?.replies ?? [], duplicate: true, intent: null, ...(stored?.ack?.length ? { ack: stored.ack } : {}) };
    }
    const rate = await sessions.hit(`rate:${msg.channel}:${msg.userId}`, RATE_WINDOW_SECONDS, this.deps.rateLimitPerMinute);
    if (!rate.allowed) {
      // Nothing was handled: a retry of this message after the pause is a new message, not a duplicate.
      if (id) await sessions.forgetSeen(scope, id).catch(() => undefined);
      // Say it once per window, then stay quiet so a flood does not become a flood of replies.
      const replies = rate.count === this.deps.rateLimitPerMinute + 1 ? [text(RATE_LIMITED_TEXT)] : [];
      return { replies, duplicate: false, intent: null, rateLimited: { retryAfterSeconds: RATE_WINDOW_SECONDS } };
    }
    // One turn at a time per conversation, across processes, so two quick messages do not overwrite
    // each other's state.
    try {
      return await this.locks.run(key, () => this.turn(msg, key, id));
    } catch (err) {
      // Nothing was saved for this turn: let the provider's retry of the same message be handled.
      if (id) await sessions.forgetSeen(scope, id).catch(() => undefined);
      throw err;
    }
  }

  /** The page has shown these inbox messages: they are not repeated on the next turn. */
  async acknowledge(userId: string, ids: readonly string[]): Promise<void> {
    if (ids.length > 0 && this.deps.inbox) await this.deps.inbox.ack(userId, ids);
  }

  private async turn(msg: InboundMessage, key: string, id: string | null): Promise<EngineResult> {
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
    const interrupt = state.form && form ? (this.deps.interrupts?.(u, state, now) ?? null) : null;
    const suspendedDef = state.suspended ? this.deps.forms[state.suspended.name] : undefined;
    if (interrupt && state.form) {
      // "老板欠了我三个月工资" in the middle of the calculator: the complaint now, the calculator after.
      (ctx.trace ??= []).push(`interrupt:${state.form.name} → ${interrupt.handler} (${interrupt.reason})`);
      state.suspended = { ...state.form, offered: false };
      state.form = null;
      replies = await this.deps.handlers[interrupt.handler](ctx);
      intent = interrupt.handler;
    } else if (!state.form && state.suspended && suspendedDef && RESUME_SUSPENDED.test(input.trim())) {
      const held = state.suspended;
      state.suspended = null;
      replies = [text(`好的，我们接着刚才的${suspendedDef.title ?? '问题'}。`), ...(await resumeForm(ctx, suspendedDef, held))];
      intent = `form:${suspendedDef.name}`;
    } else if (state.form && form) {
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
        // The next step the rule offers (already a text here), unless the handler opened a form.
        if (route.offer && !state.form) replies = [...replies, text(route.offer)];
        intent = route.handler;
      }
    }

    // The interrupting form is done (filed or dropped): say once that the one set aside can go on.
    const setAside = state.suspended ? this.deps.forms[state.suspended.name] : undefined;
    if (!state.form && state.suspended && setAside && !state.suspended.offered) {
      state.suspended.offered = true;
      replies = [...replies, text(`刚才的${setAside.title ?? '登记'}还没做完，回“继续”接着来。`)];
    }

    let ack: string[] = [];
    if (msg.channel === 'web' && this.deps.inbox) {
      const waiting = await this.deps.inbox.peek(msg.userId);
      if (waiting.length > 0) replies = [...waiting.map((w) => text(w.text)), ...replies];
      ack = waiting.map((w) => w.id);
    }

    if (ctx.trace?.length) this.deps.log?.debug({ channel: msg.channel, intent, trace: ctx.trace }, 'rules fired');
    remember(state, msg.text, replies, now);
    // Only the web chat asks again for a lost response (providers' retries are answered by their
    // adapters), so only its replies are kept for a retry of the same messageId.
    // Both writes are issued together, so the embedded store commits them as one (GroupCommit).
    const writes = [this.deps.sessions.set(key, state, this.deps.sessionTtlSeconds)];
    if (id && msg.channel === 'web') {
      const stored: StoredResult = { replies, intent, ...(ack.length ? { ack } : {}) };
      writes.push(this.deps.sessions.set(`reply:${msg.channel}:${id}`, stored, DEDUPE_TTL_SECONDS));
    }
    await Promise.all(writes);
    return { replies, duplicate: false, intent, ...(ack.length ? { ack } : {}) };
  }
}
