/**
 * The complaint intake as production runs it, minus the HTTP layer: the real DialogueEngine, the real
 * understanding layer (normalise, classify, entities) and the composition root's routing, real SQLite
 * session and ticket stores in a temporary directory, and this feature's handlers and form.
 *
 * The handlers of other features (policy answers, menus, eligibility …) are replaced by one that
 * answers "[handler:name]": these tests only assert what the complaint handlers do, and that a
 * message was routed elsewhere (e.g. a side question answered without losing the form).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { routeIntent } from '../../src/assistant.js';
import type { Channel, Reply } from '../../src/core/types.js';
import { DialogueEngine, type HandlerName } from '../../src/dialogue/engine.js';
import { sessionKey, type ConversationState } from '../../src/dialogue/state.js';
import type { Handler } from '../../src/dialogue/turn.js';
import { complaintHandlers, type ComplaintHandlers } from '../../src/complaints/index.js';
import { HANDLERS } from '../../src/nlu/intents.js';
import { understand } from '../../src/nlu/understand.js';
import { createStores, type Stores } from '../../src/storage/create-stores.js';
import { harnessAnswer } from '../../src/eval/dialogues.js';
import type { Clock, TicketStore } from '../../src/tickets/ticket-store.js';

export const TODAY = '2026-11-20';

export interface Harness {
  stores: Stores;
  complaints: ComplaintHandlers;
  engine: DialogueEngine;
  /** Sends one message; returns the replies joined. */
  say(text: string, opts?: { channel?: Channel; userId?: string; messageId?: string; at?: Date }): Promise<string>;
  replies(text: string, opts?: { channel?: Channel; userId?: string; messageId?: string; at?: Date }): Promise<Reply[]>;
  state(channel: Channel, userId: string): Promise<ConversationState | null>;
  /** A second engine over the same stores, as another gateway process would run. */
  secondEngine(): DialogueEngine;
  close(): Promise<void>;
}

export interface HarnessOptions {
  channel?: Channel;
  userId?: string;
  clock?: Clock;
  /** Wraps the real ticket store the handlers use (e.g. to make one filing fail). */
  wrapTickets?: (t: TicketStore) => TicketStore;
}

let seq = 0;

export function createHarness(opts: HarnessOptions = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'epa-complaints-'));
  const clock = opts.clock ?? (() => new Date(`${TODAY}T02:00:00Z`));
  const stores = createStores({ dataDir: dir, clock });
  const complaints = complaintHandlers({ tickets: opts.wrapTickets ? opts.wrapTickets(stores.tickets) : stores.tickets });
  const elsewhere = (name: string): Handler => async () => [{ text: `[handler:${name}]`, citations: [] }];
  const handlers = Object.fromEntries(HANDLERS.map((h) => [h, elsewhere(h)])) as Record<HandlerName, Handler>;
  handlers.wage_complaint = complaints.wage_complaint;
  handlers.ticket_status = complaints.ticket_status;
  const makeEngine = (): DialogueEngine =>
    new DialogueEngine({
      sessions: stores.sessions,
      understand: (t, today) => understand(t, { today }),
      handlerFor: routeIntent,
      handlers,
      forms: { [complaints.form.name]: complaints.form },
      sessionTtlSeconds: 3600,
      today: () => TODAY,
      rateLimitPerMinute: 1000,
    });
  const engine = makeEngine();
  const channel = opts.channel ?? 'wechat';
  const userId = opts.userId ?? 'o_wx_user_1';
  const replies: Harness['replies'] = async (text, o = {}) => {
    const r = await engine.handle({
      channel: o.channel ?? channel,
      userId: o.userId ?? userId,
      text,
      messageId: o.messageId ?? `m${++seq}`,
      receivedAt: o.at ?? clock(),
    });
    return r.replies;
  };
  return {
    stores,
    complaints,
    engine,
    replies,
    say: async (text, o) => (await replies(text, o)).map((r) => r.text).join('\n'),
    state: (c, u) => stores.sessions.get<ConversationState>(sessionKey(c, u)),
    secondEngine: makeEngine,
    close: async () => {
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What eval/dev/README.md says the dev harness does after the scripted turns (src/eval/dialogues.ts). */
export { ASKS_CONFIRMATION, ASKS_EVIDENCE, ASKS_NAME, ASKS_SOMETHING } from '../../src/eval/dialogues.js';

/** Answers as the dev harness does; returns how many messages it added. */
export async function finishLikeTheDevHarness(
  h: Harness,
  last: string,
  who: { channel: Channel; userId: string },
  log: string[] = [],
): Promise<number> {
  let added = 0;
  for (; added < 8; added++) {
    if ((await h.stores.tickets.findForOwner(who.channel, who.userId)).length > 0) break;
    const answer = harnessAnswer(last);
    if (answer === null) break;
    log.push(`> ${answer}`);
    last = await h.say(answer, who);
    log.push(last);
  }
  return added;
}
