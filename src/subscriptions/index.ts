/**
 * 政策找人, put together: the store, the conversation's subscribe / unsubscribe handlers, and the
 * listener that turns a live publication into queued notices and sends the due ones — right after
 * (in the background), and every minute after (notices held by quiet hours or the one-per-day limit go out on a later run, also
 * after a restart: they wait in the store).
 */
import type { Logger } from 'pino';
import type { Outbound } from '../complaints/notifier.js';
import type { Channel } from '../core/types.js';
import type { SessionStore } from '../dialogue/session-store.js';
import type { FormDefinition, Handler } from '../dialogue/turn.js';
import type { PublicationEvents } from '../knowledge/publication-events.js';
import type { Config } from '../server/config.js';
import { loadSmsSettings } from '../channels/sms/config.js';
import type { WechatClient } from '../channels/wechat-oa/client.js';
import { createSubscriptionStore } from './create-store.js';
import { noticeSender } from './delivery.js';
import { subscribeHandler, subscriptionForm, unsubscribeHandler } from './dialogue.js';
import { NoticeDispatcher, type DispatchReport } from './dispatcher.js';
import { parseQuietHours } from './quiet-hours.js';
import { reachOf, type Reach, type SubscriptionStore } from './types.js';
import { loadSubscriptionWording } from './wording.js';

export interface SubscriptionsOptions {
  config: Config;
  sessions: SessionStore;
  publications: PublicationEvents;
  /** Push adapters per channel (the web inbox, SMS, WeChat text, wechaty). */
  outbound: Partial<Record<Channel, Outbound>>;
  wechatClient: WechatClient | null;
  programmeName(id: string): string | undefined;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  clock?: () => Date;
  /** How often due notices are sent (default a minute; 0: only on publications and dispatch()). */
  intervalMs?: number;
  /** The SMS settings' environment (the template notices are fitted to). */
  env?: NodeJS.ProcessEnv;
  store?: SubscriptionStore;
}

export interface Subscriptions {
  store: SubscriptionStore;
  form: FormDefinition;
  handlers: { subscribe: Handler; unsubscribe: Handler };
  /** Sends the due notices now (at the injected clock's time). */
  dispatch(now?: Date): Promise<DispatchReport>;
  /** Resolves when the sending started by a publication (or the timer) has finished. */
  settled(): Promise<void>;
  reach(docId: string): Promise<Reach>;
  reachList(limit: number): Promise<Reach[]>;
  close(): Promise<void>;
}

export function createSubscriptions(opts: SubscriptionsOptions): Subscriptions {
  const { config, log } = opts;
  const clock = opts.clock ?? (() => new Date());
  const store = opts.store ?? createSubscriptionStore({ dataDir: config.DATA_DIR, redisUrl: config.REDIS_URL });
  const wording = loadSubscriptionWording(config.INTENTS_DIR);
  const quiet = parseQuietHours(config.NOTICE_QUIET_HOURS);
  const sms = loadSmsSettings(config.SMS_WEBHOOK_TOKEN ? (opts.env ?? process.env) : {});
  const dispatcher = new NoticeDispatcher({
    store,
    sessions: opts.sessions,
    wording,
    quiet,
    smsTemplate: { signName: sms.SMS_SIGN_NAME, template: sms.SMS_TEMPLATE },
    sender: noticeSender({
      outbound: opts.outbound,
      wording,
      wechat:
        opts.wechatClient && config.WECHAT_NOTICE_TEMPLATE_ID
          ? { client: opts.wechatClient, templateId: config.WECHAT_NOTICE_TEMPLATE_ID, url: config.WECHAT_NOTICE_URL }
          : null,
    }),
    log,
  });
  const deps = { store, wording, quiet, programmeName: opts.programmeName };
  const form = subscriptionForm(deps);

  let running: Promise<DispatchReport> | null = null;
  const dispatch = (now: Date = clock()): Promise<DispatchReport> => {
    // Runs in turn, never two at once in this process (the store lock covers other processes).
    const next = (running ?? Promise.resolve()).catch(() => undefined).then(() => dispatcher.dispatch(now));
    running = next;
    return next;
  };
  const dispatchInBackground = () => {
    dispatch().catch((err: unknown) => log.error({ err: err instanceof Error ? err.message : String(err) }, 'policy notices: dispatch failed'));
  };
  // The publishing flow waits for the notices to be queued (in the store: nothing is lost after
  // that), not for them to be sent — thousands of SMS must not hold up a staff member's request.
  const stopListening = opts.publications.on(async (p) => {
    await dispatcher.queue(p, clock());
    dispatchInBackground();
  });
  const interval = opts.intervalMs ?? 60_000;
  const timer =
    interval > 0
      ? setInterval(dispatchInBackground, interval)
      : null;
  timer?.unref();

  return {
    store,
    form,
    handlers: { subscribe: subscribeHandler(deps, form), unsubscribe: unsubscribeHandler(deps) },
    dispatch,
    settled: async () => {
      await running?.catch(() => undefined);
    },
    reach: async (docId) => reachOf(docId, await store.notices(docId)),
    reachList: async (limit) => Promise.all((await store.docIds()).slice(0, limit).map(async (id) => reachOf(id, await store.notices(id)))),
    async close() {
      stopListening();
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
      await store.close();
    },
  };
}
