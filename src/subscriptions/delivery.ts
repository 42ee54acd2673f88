/**
 * How a notice reaches a person on their channel: the web inbox (shown at the next visit), SMS
 * through the registered template (its sender honours "TD"), WeChat Official Account through the
 * configured template message (else a customer-service text, which WeChat allows only within 48
 * hours of the person's last message), wechaty as a chat message. A send that can never succeed
 * (opted out, unfollowed) throws Undeliverable.
 */
import { Undeliverable, type Outbound } from '../complaints/notifier.js';
import type { Channel } from '../core/types.js';
import { undeliverableReason, type WechatClient } from '../channels/wechat-oa/client.js';
import { fill, type SubscriptionWording } from './wording.js';

export interface NoticeMessage {
  /** The whole notice as one short text. */
  text: string;
  title: string;
  topic: string;
  count: number;
  /** China day, YYYY-MM-DD. */
  date: string;
}

export interface NoticeSender {
  send(channel: Channel, userId: string, notice: NoticeMessage): Promise<void>;
}

export interface NoticeSenderOptions {
  /** Push adapters per channel (web inbox, SMS, WeChat text, wechaty). */
  outbound: Partial<Record<Channel, Outbound>>;
  wechat?: { client: WechatClient; templateId: string; url?: string | undefined } | null;
  wording: SubscriptionWording;
}

export function noticeSender(opts: NoticeSenderOptions): NoticeSender {
  return {
    async send(channel, userId, notice) {
      if (channel === 'wechat' && opts.wechat) {
        const values = { text: notice.text, title: notice.title, topic: notice.topic, count: notice.count, date: notice.date };
        const data = Object.fromEntries(Object.entries(opts.wording.wechat_template).map(([k, v]) => [k, fill(v, values)]));
        try {
          await opts.wechat.client.sendTemplate(userId, opts.wechat.templateId, data, opts.wechat.url);
        } catch (err) {
          const reason = undeliverableReason(err);
          throw reason ? new Undeliverable(reason) : err;
        }
        return;
      }
      const out = opts.outbound[channel];
      if (!out) throw new Undeliverable(`渠道 ${channel} 未配置推送`);
      await out.send(channel, userId, notice.text);
    },
  };
}
