/**
 * The SMS conversation around the dialogue engine: opt-out words, the ambiguous "取消", "1" for the
 * next page of a long answer, and outbound text fitted to the template and paged by length.
 */
import { Undeliverable, type Outbound } from '../../complaints/notifier.js';
import type { Reply } from '../../core/types.js';
import { maskPersonalData } from '../../core/privacy.js';
import type { SessionStore } from '../../dialogue/session-store.js';
import { sessionKey, type ConversationState } from '../../dialogue/state.js';
import { repliesToText } from '../reply-text.js';
import { lengthBudget, paginate, templateOverhead, type SmsTemplate } from './length.js';
import type { SmsSender } from './senders.js';

export interface SmsEngine {
  handle(msg: { channel: 'sms'; userId: string; text: string; receivedAt: Date }): Promise<{ replies: Reply[]; duplicate: boolean }>;
}

export interface SmsServiceOptions {
  sessions: SessionStore;
  sender: SmsSender;
  template: SmsTemplate;
  maxSegments: number;
  log?: { info(o: object, m?: string): void; warn(o: object, m?: string): void };
}

const OPT_OUT = /^(td|t|n|r|退订)$/i;
const RESUME = /^(恢复|订阅|恢复接收)$/;
const NEXT = /^[1１]$/;
const LONG_TTL = 10 * 365 * 24 * 3600;
const MORE_TTL = 24 * 3600;

export const OPT_OUT_CONFIRMATION = '您已退订，本号码将不再收到我们的短信。如需恢复，请回复“恢复”。';
export const RESUMED = '已恢复接收短信。请直接发送您的问题。';
export const CANCEL_QUESTION = '请问您是想退订、以后不再收到我们的短信吗？是的话请回复TD；如有其他问题，请直接发送。';

const bare = (text: string) => text.trim().replace(/[\s。.!！?？,，、~～]+/g, '');

export class SmsService {
  private readonly budget: number;

  constructor(private readonly opts: SmsServiceOptions) {
    this.budget = lengthBudget(opts.maxSegments) - templateOverhead(opts.template);
    if (this.budget < 30) throw new Error('SMS template too long for the segment budget');
  }

  async isOptedOut(phone: string): Promise<boolean> {
    return (await this.opts.sessions.get(`sms:optout:${phone}`)) !== null;
  }

  /** One inbound SMS (already deduplicated). Returns the texts sent (for tests and logs). */
  async receive(engine: SmsEngine, phone: string, text: string, receivedAt: Date): Promise<string[]> {
    const word = bare(text);
    const { sessions } = this.opts;
    if (OPT_OUT.test(word)) {
      if (await this.isOptedOut(phone)) return []; // confirmed once already
      // Confirm before recording, so the confirmation is the last message this number gets.
      await this.opts.sender.send(phone, OPT_OUT_CONFIRMATION);
      await sessions.set(`sms:optout:${phone}`, { at: receivedAt.toISOString() }, LONG_TTL);
      await sessions.delete(`sms:more:${phone}`);
      return [OPT_OUT_CONFIRMATION];
    }
    if (await this.isOptedOut(phone)) {
      if (!RESUME.test(word)) {
        this.opts.log?.info({ phone: maskPersonalData(phone) }, 'sms from an opted-out number not answered');
        return [];
      }
      await sessions.delete(`sms:optout:${phone}`);
      return this.deliver(phone, RESUMED);
    }
    if (NEXT.test(word)) {
      const more = await sessions.get<{ pages: string[] }>(`sms:more:${phone}`);
      if (more && more.pages.length > 0) return this.sendPages(phone, more.pages);
    }
    if (word === '取消') {
      const state = await sessions.get<ConversationState>(sessionKey('sms', phone));
      // Inside a form "取消" leaves it (the engine does that); on its own it may mean "no more messages".
      if (!state?.form) return this.deliver(phone, CANCEL_QUESTION);
    }
    const result = await engine.handle({ channel: 'sms', userId: phone, text, receivedAt });
    if (result.duplicate || result.replies.length === 0) return [];
    return this.deliver(phone, repliesToText(result.replies));
  }

  /** Sends a text as pages: the first now, the rest kept for "1". Nothing to an opted-out number. */
  async deliver(phone: string, text: string): Promise<string[]> {
    if (await this.isOptedOut(phone)) return [];
    const pages = paginate(text, this.budget);
    if (pages.length === 0) return [];
    return this.sendPages(phone, pages);
  }

  private async sendPages(phone: string, pages: string[]): Promise<string[]> {
    const [first, ...rest] = pages;
    if (rest.length > 0) await this.opts.sessions.set(`sms:more:${phone}`, { pages: rest }, MORE_TTL);
    else await this.opts.sessions.delete(`sms:more:${phone}`);
    await this.opts.sender.send(phone, first!);
    return [first!];
  }

  /** Staff replies and status notices to SMS users; an opted-out number is told nothing. */
  outbound(): Outbound {
    return {
      send: async (_channel, userId, text) => {
        if (await this.isOptedOut(userId)) throw new Undeliverable('该号码已退订短信');
        await this.deliver(userId, text);
      },
    };
  }
}
