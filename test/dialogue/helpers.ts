/**
 * A real dialogue engine for the flow tests: SQLite session store in a temporary directory, the real
 * understanding layer and calculator, the eligibility form, and small real handlers for the rest
 * (policy questions answer with a fixed marker so a test can see a side question was answered).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reply } from '../../src/core/types.js';
import { DialogueEngine, type EngineResult, type HandlerName } from '../../src/dialogue/engine.js';
import { eligibilityForm } from '../../src/dialogue/forms/eligibility-form.js';
import { text, type Handler } from '../../src/dialogue/turn.js';
import { defaultEvaluator } from '../../src/eligibility/evaluate.js';
import { understand } from '../../src/nlu/understand.js';
import { SqliteSessionStore } from '../../src/storage/sqlite/session-store.js';

export const TODAY = '2025-06-10';
/** 10:00 China time on TODAY. */
export const T0 = new Date('2025-06-10T02:00:00Z');
export const SIDE_ANSWER = '【政策解答】';

export interface EngineOptions {
  sessionTtlSeconds?: number;
  rateLimitPerMinute?: number;
}

export interface Harness {
  dir: string;
  file: string;
  store: SqliteSessionStore;
  engine: DialogueEngine;
  /** Sends a message from `user` at `at` (default: T0 plus one minute per message sent so far). */
  say(message: string, opts?: { user?: string; at?: Date; messageId?: string }): Promise<EngineResult>;
  /** The replies' text joined, for assertions. */
  text(r: EngineResult): string;
  /** A new engine over the same SQLite file, as after a server restart. */
  restart(opts?: EngineOptions): Promise<void>;
  close(): Promise<void>;
}

function handlers(start: Handler): Record<HandlerName, Handler> {
  const fixed = (t: string): Handler => async () => [text(t)];
  return {
    policy_question: async (ctx) => [text(`${SIDE_ANSWER}${ctx.u.normalized}`)],
    eligibility: start,
    wage_complaint: fixed('【欠薪投诉】'),
    ticket_status: fixed('【查询进度】'),
    human_handoff: fixed('【转人工】'),
    greeting: fixed('【欢迎】'),
    help: fixed('【帮助】'),
    out_of_scope: fixed('【不在范围】'),
    thanks: fixed('【不客气】'),
    goodbye: fixed('【再见】'),
    cancel: fixed('好的。还有什么可以帮您？'),
    ambiguous: fixed('【请问您想了解哪方面】'),
    answer_feedback: fixed('【谢谢反馈】'),
    subscribe: fixed('【订阅】'),
    unsubscribe: fixed('【退订】'),
  };
}

export async function harness(opts: EngineOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'epa-dialogue-'));
  const file = join(dir, 'assistant.db');
  const evaluator = defaultEvaluator();
  const build = (o: EngineOptions) => {
    const store = new SqliteSessionStore(file);
    const { form, start } = eligibilityForm({ evaluator });
    const engine = new DialogueEngine({
      sessions: store,
      understand: (t, today) => understand(t, { today }),
      handlerFor: (u) => u.handler,
      handlers: handlers(start),
      forms: { [form.name]: form },
      sessionTtlSeconds: o.sessionTtlSeconds ?? 7 * 24 * 3600,
      today: () => TODAY,
      rateLimitPerMinute: o.rateLimitPerMinute ?? 30,
    });
    return { store, engine };
  };
  let current = build(opts);
  let sent = 0;
  const h: Harness = {
    dir,
    file,
    get store() {
      return current.store;
    },
    get engine() {
      return current.engine;
    },
    async say(message, o = {}) {
      const at = o.at ?? new Date(T0.getTime() + sent * 60_000);
      sent++;
      return current.engine.handle({
        channel: 'web',
        userId: o.user ?? 'u1',
        text: message,
        receivedAt: at,
        ...(o.messageId ? { messageId: o.messageId } : {}),
      });
    },
    text: (r) => r.replies.map((x: Reply) => x.text).join('\n'),
    async restart(o = {}) {
      await current.store.close();
      current = build({ ...opts, ...o });
    },
    async close() {
      await current.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}
