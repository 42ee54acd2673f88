/**
 * Channel adapters beyond the web chat (WeChat Official Account, SMS uplinks, wechaty). Each turns its
 * provider's payload into an InboundMessage for the dialogue engine and the replies into what the
 * provider accepts; a channel whose configuration is absent is simply off.
 *
 * `channelOutbounds(config, deps)` builds the push adapters (staff replies, status notices) once per
 * configuration; `registerChannels(app, assistant)` registers the webhooks and starts wechaty with the
 * same instances (found by the assistant's config), or builds them itself when the assistant was
 * created without them.
 */
import type { FastifyInstance } from 'fastify';
import type { Assistant } from '../assistant.js';
import type { Outbound } from '../complaints/notifier.js';
import type { Channel } from '../core/types.js';
import type { SessionStore } from '../dialogue/session-store.js';
import type { Config } from '../server/config.js';
import { allowList, loadSmsSettings, senderFromSettings } from './sms/config.js';
import { smsWebhookPlugin, webhookTokens } from './sms/plugin.js';
import type { SmsSender } from './sms/senders.js';
import { SmsService } from './sms/service.js';
import { fetchHttp, WechatClient, wechatOutbound, type HttpJson } from './wechat-oa/client.js';
import { wechatOaPlugin } from './wechat-oa/plugin.js';
import { WechatyChannel } from './wechaty/bot.js';

type Log = { info(o: object, m?: string): void; warn(o: object, m?: string): void };

export interface ChannelDeps {
  sessions: SessionStore;
  log: Log;
  /** Tests: the SMS sender (default: from SMS_PROVIDER, logging only when unset). */
  smsSender?: SmsSender;
  /** Tests: HTTP for the WeChat API, and its base URL (a local fake server). */
  wechatHttp?: HttpJson;
  wechatApiBase?: string;
  /** Tests: a puppet instance (PuppetMock) instead of the WECHATY_PUPPET package name. */
  wechatyPuppet?: unknown;
  wechatyPaceMs?: number;
  wechatyMaxAgeSeconds?: number;
  wechatyStartWaitMs?: number;
  /** Tests: how long a WeChat push waits for its answer before `success` (default 4 s). */
  wechatReplyDeadlineMs?: number;
  /** Tests: the WeChat webhook's clock (signed official vectors carry old timestamps). */
  wechatNow?: () => Date;
  env?: NodeJS.ProcessEnv;
}

export interface ChannelRuntime {
  deps: ChannelDeps;
  wechatClient: WechatClient | null;
  sms: SmsService | null;
  wechaty: WechatyChannel | null;
  outbound: Partial<Record<Channel, Outbound>>;
}

const runtimes = new WeakMap<Config, ChannelRuntime>();

function buildRuntime(config: Config, deps: ChannelDeps): ChannelRuntime {
  const env = deps.env ?? process.env;
  const outbound: Partial<Record<Channel, Outbound>> = {};
  let wechatClient: WechatClient | null = null;
  if (config.WECHAT_TOKEN && config.WECHAT_APP_ID && config.WECHAT_APP_SECRET) {
    const apiBase = deps.wechatApiBase ?? config.WECHAT_API_BASE;
    wechatClient = new WechatClient({
      appId: config.WECHAT_APP_ID,
      appSecret: config.WECHAT_APP_SECRET,
      http: deps.wechatHttp ?? fetchHttp(),
      ...(apiBase ? { baseUrl: apiBase } : {}),
    });
    outbound.wechat = wechatOutbound(wechatClient);
  }
  let sms: SmsService | null = null;
  if (config.SMS_WEBHOOK_TOKEN) {
    const s = loadSmsSettings(env);
    sms = new SmsService({
      sessions: deps.sessions,
      sender: deps.smsSender ?? senderFromSettings(s, deps.log),
      template: { signName: s.SMS_SIGN_NAME, template: s.SMS_TEMPLATE },
      maxSegments: s.SMS_MAX_SEGMENTS,
      log: deps.log,
    });
    outbound.sms = sms.outbound();
  }
  let wechaty: WechatyChannel | null = null;
  if (config.WECHATY_PUPPET || deps.wechatyPuppet) {
    wechaty = new WechatyChannel({
      puppet: deps.wechatyPuppet ?? config.WECHATY_PUPPET,
      log: deps.log,
      ...(deps.wechatyPaceMs !== undefined ? { paceMs: deps.wechatyPaceMs } : {}),
      ...(deps.wechatyMaxAgeSeconds !== undefined ? { maxAgeSeconds: deps.wechatyMaxAgeSeconds } : {}),
    });
    outbound.wechaty = wechaty.outbound();
  }
  return { deps, wechatClient, sms, wechaty, outbound };
}

/** The push adapters of the configured channels, for `createAssistant(config, { outbound })`. */
export function channelOutbounds(config: Config, deps: ChannelDeps): Partial<Record<Channel, Outbound>> {
  // Built once per configuration: a second call (the composition root after a test built them) reuses them.
  const existing = runtimes.get(config);
  if (existing) return existing.outbound;
  const runtime = buildRuntime(config, deps);
  runtimes.set(config, runtime);
  return runtime.outbound;
}

/** The runtime built for this assistant's configuration (tests reach the wechaty channel through it). */
export function channelRuntime(assistant: Pick<Assistant, 'config'>): ChannelRuntime | undefined {
  return runtimes.get(assistant.config);
}

export async function registerChannels(app: FastifyInstance, assistant: Assistant): Promise<void> {
  const { config, engine, log } = assistant;
  let runtime = runtimes.get(config);
  if (!runtime) {
    runtime = buildRuntime(config, { sessions: assistant.stores.sessions, log });
    runtimes.set(config, runtime);
  }
  const { deps } = runtime;

  if (config.WECHAT_TOKEN) {
    await app.register(wechatOaPlugin, {
      engine,
      token: config.WECHAT_TOKEN,
      appId: config.WECHAT_APP_ID,
      encodingAESKey: config.WECHAT_ENCODING_AES_KEY,
      client: runtime.wechatClient,
      nonces: assistant.stores.sessions,
      log,
      ...(deps.wechatNow ? { now: deps.wechatNow } : {}),
      ...(deps.wechatReplyDeadlineMs !== undefined ? { replyDeadlineMs: deps.wechatReplyDeadlineMs } : {}),
    });
  }
  if (config.SMS_WEBHOOK_TOKEN && runtime.sms) {
    await app.register(smsWebhookPlugin, {
      engine,
      service: runtime.sms,
      sessions: assistant.stores.sessions,
      tokens: webhookTokens(config.SMS_WEBHOOK_TOKEN),
      allowIps: allowList(loadSmsSettings(deps.env ?? process.env)),
      log,
    });
  }
  const wechaty = runtime.wechaty;
  if (wechaty) {
    // Started with the server; a puppet that cannot start is logged, the rest of the server runs.
    // The server does not wait long for a slow puppet (it keeps starting in the background).
    app.addHook('onReady', async () => {
      const started = wechaty.start(engine).catch((err: unknown) => log.error({ err: err instanceof Error ? err.message : String(err) }, 'wechaty did not start'));
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((r) => {
        timer = setTimeout(() => {
          log.warn({}, 'wechaty still starting; the server goes on');
          r();
        }, deps.wechatyStartWaitMs ?? 15_000);
      });
      await Promise.race([started, waited]);
      clearTimeout(timer);
    });
    app.addHook('onClose', async () => wechaty.stop());
  }
}
