/**
 * The WeChat personal-account channel through wechaty: private chats are answered; in groups only
 * messages that @-mention the bot; the bot's own messages (they come back as `message` events) are
 * ignored; a message delivered twice is handled once (the engine dedupes by message id); messages
 * older than `maxAgeSeconds` (replayed after a restart) are dropped; sends are paced.
 */
import type { Reply } from '../../core/types.js';
import type { Outbound } from '../../complaints/notifier.js';
import { maskPersonalData } from '../../core/privacy.js';
import { repliesToText, UNSUPPORTED_MESSAGE_TEXT } from '../reply-text.js';
import { Pacer } from './pacer.js';

export interface WechatyEngine {
  handle(msg: { channel: 'wechaty'; userId: string; text: string; messageId?: string; receivedAt: Date }): Promise<{ replies: Reply[]; duplicate: boolean }>;
}

type Log = { info(o: object, m?: string): void; warn(o: object, m?: string): void };

export interface WechatyChannelOptions {
  /** A puppet instance (tests: PuppetMock) or a puppet package name (WECHATY_PUPPET). */
  puppet: unknown;
  name?: string;
  maxAgeSeconds?: number;
  paceMs?: number;
  log?: Log;
}

/** The slice of wechaty's API this channel uses (keeps wechaty's types out of the rest of the code). */
interface WechatyMessage {
  id: string;
  self(): boolean;
  age(): number;
  type(): number;
  text(): string;
  talker(): { id: string };
  room(): { id: string; say(text: string, ...mentions: unknown[]): Promise<unknown> } | undefined;
  mentionSelf(): Promise<boolean>;
  mentionText(): Promise<string>;
  say(text: string): Promise<unknown>;
}
interface WechatyBot {
  on(event: 'message', l: (m: WechatyMessage) => void): unknown;
  on(event: 'error', l: (e: unknown) => void): unknown;
  on(event: 'scan', l: (qrcode: string, status: number) => void): unknown;
  on(event: 'login', l: (user: { id: string }) => void): unknown;
  start(): Promise<void>;
  stop(): Promise<void>;
  Contact: { find(q: { id: string }): Promise<{ say(text: string): Promise<unknown> } | undefined> };
  Message: { Type: { Text: number; Audio: number } };
}

export class WechatyChannel {
  private bot: WechatyBot | null = null;
  private readonly pacer: Pacer;
  private readonly maxAge: number;
  private readonly inFlight = new Set<Promise<void>>();
  private engine: WechatyEngine | null = null;
  private readonly seen = new Set<string>();

  constructor(private readonly opts: WechatyChannelOptions) {
    this.pacer = new Pacer(opts.paceMs ?? 1_500);
    this.maxAge = opts.maxAgeSeconds ?? 120;
  }

  async start(engine: WechatyEngine): Promise<void> {
    if (this.bot) return;
    this.engine = engine;
    const { WechatyBuilder } = await import('wechaty');
    const bot = WechatyBuilder.build({
      name: this.opts.name ?? 'employment-policy-assistant',
      puppet: this.opts.puppet as never,
    }) as unknown as WechatyBot;
    bot.on('message', (m) => {
      const p = this.onMessage(m).catch((err: unknown) => {
        this.opts.log?.warn({ err: maskPersonalData(err instanceof Error ? err.message : String(err)) }, 'wechaty message failed');
      });
      this.inFlight.add(p);
      void p.finally(() => this.inFlight.delete(p));
    });
    bot.on('error', (e) => this.opts.log?.warn({ err: e instanceof Error ? e.message : String(e) }, 'wechaty error'));
    bot.on('scan', (qrcode) => this.opts.log?.info({ qrcode }, 'wechaty: scan to log in'));
    bot.on('login', (user) => this.opts.log?.info({ user: user.id }, 'wechaty logged in'));
    // Known before start() resolves, so that stop() can stop a puppet still starting.
    this.bot = bot;
    try {
      await bot.start();
    } catch (err) {
      this.bot = null;
      throw err;
    }
  }

  /** Waits for the messages being handled and the sends queued (tests; graceful stop). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    await this.pacer.idle();
  }

  async stop(): Promise<void> {
    if (!this.bot) return;
    await this.settle().catch(() => undefined);
    await this.bot.stop();
    this.bot = null;
  }

  private async onMessage(m: WechatyMessage): Promise<void> {
    const bot = this.bot;
    if (!bot || !this.engine) return;
    if (m.self()) return;
    // Twice-delivered messages: the engine dedupes text turns; this also covers the non-text ones.
    // Keyed by sender and id, like every dedupe key (one sender's id never hides another's message).
    const seenKey = `${m.talker().id}:${m.id}`;
    if (this.seen.has(seenKey)) return;
    this.seen.add(seenKey);
    if (this.seen.size > 5_000) this.seen.delete(this.seen.values().next().value as string);
    if (m.age() > this.maxAge) {
      this.opts.log?.info({ messageId: m.id, age: m.age() }, 'old wechaty message dropped (replay)');
      return;
    }
    const room = m.room();
    if (room && !(await m.mentionSelf())) return;
    const talker = m.talker();
    const isText = m.type() === bot.Message.Type.Text;
    let text = isText ? (room ? await m.mentionText() : m.text()).trim() : '';
    if (text.length > 2000) text = text.slice(0, 2000);
    const say = (t: string) => this.pacer.run(async () => void (await (room ? room.say(t, talker) : m.say(t))));
    if (!text) {
      await say(UNSUPPORTED_MESSAGE_TEXT);
      return;
    }
    // In a group, each member has their own conversation; replies go to the group with an @.
    const result = await this.engine.handle({ channel: 'wechaty', userId: talker.id, text, messageId: m.id, receivedAt: new Date() });
    if (result.duplicate) return;
    const reply = repliesToText(result.replies);
    if (reply) await say(reply);
  }

  /** Staff replies and status notices, to the contact's private chat. */
  outbound(): Outbound {
    return {
      send: async (_channel, userId, text) => {
        const bot = this.bot;
        if (!bot) throw new Error('wechaty not started');
        const contact = await bot.Contact.find({ id: userId });
        if (!contact) throw new Error('wechaty contact not found');
        await this.pacer.run(async () => void (await contact.say(text)));
      },
    };
  }
}
