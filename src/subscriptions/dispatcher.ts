/**
 * From a publication to the notices: every subscriber the publication concerns (matching.ts) gets a
 * notice queued in the store, once per (publication, subscriber) however often the publication is
 * emitted; the dispatcher then sends what is due.
 *
 * Sending rules, in order:
 *   - during quiet hours nothing is sent (notices wait; the next run after the quiet period sends);
 *   - a person who unsubscribed, or who no longer follows the notice's programme, is skipped (dropped);
 *   - at most one notice per person per China day: a person already notified today keeps the new
 *     ones pending, and the next day's run sends them together as ONE notice ("…有N项更新"); nothing
 *     is dropped for the limit;
 *   - an opt-out found while sending (SMS "TD", WeChat unfollow) drops the notice with the reason;
 *     other failures are retried on later runs, and given up after MAX_ATTEMPTS.
 * One run at a time across gateway processes (a short lock in the session store). A notice is marked
 * sent after its send returns: a process killed between the two may send it again once.
 */
import type { Logger } from 'pino';
import { Undeliverable } from '../complaints/notifier.js';
import { maskPersonalData } from '../core/privacy.js';
import type { SessionStore } from '../dialogue/session-store.js';
import type { Publication } from '../knowledge/publication-events.js';
import { lengthBudget, templateOverhead, type SmsTemplate } from '../channels/sms/length.js';
import type { NoticeSender } from './delivery.js';
import { matchPublication } from './matching.js';
import { chinaDay, isQuiet, type QuietHours } from './quiet-hours.js';
import type { Notice, Subscription, SubscriptionStore } from './types.js';
import { fitNotice, shortTitle, type SubscriptionWording } from './wording.js';

export const MAX_ATTEMPTS = 5;
const LOCK = 'subscriptions:dispatch';
const LOCK_MS = 120_000;

export interface DispatchReport {
  sent: number;
  /** Notices that went out inside another one's message (several publications, one notice). */
  merged: number;
  /** Left pending: quiet hours, already notified today, or a failure to retry. */
  held: number;
  dropped: number;
  failed: number;
}

export interface DispatcherOptions {
  store: SubscriptionStore;
  sessions: Pick<SessionStore, 'tryLock' | 'unlock'>;
  sender: NoticeSender;
  wording: SubscriptionWording;
  quiet: QuietHours | null;
  /** The SMS template the notices go through: they are fitted to one segment with it. */
  smsTemplate: SmsTemplate;
  log?: Pick<Logger, 'info' | 'warn'>;
}

export class NoticeDispatcher {
  /** Characters a notice may have so that it is one SMS segment with the signature and template. */
  readonly budget: number;

  constructor(private readonly opts: DispatcherOptions) {
    this.budget = lengthBudget(1) - templateOverhead(opts.smsTemplate);
  }

  /** Queues a notice for every subscriber the publication concerns; returns how many were new. */
  async queue(p: Publication, now: Date): Promise<number> {
    const { store, wording } = this.opts;
    const notices: Notice[] = [];
    for (const sub of await store.list()) {
      const m = matchPublication(sub, p, wording);
      if (!m) continue;
      notices.push({
        docId: p.docId,
        channel: sub.channel,
        userId: sub.userId,
        title: p.title,
        topic: m.topic,
        reason: m.reason,
        status: 'pending',
        queuedAt: now.toISOString(),
        attempts: 0,
      });
    }
    const queued = await store.enqueueAll(notices);
    this.opts.log?.info({ docId: p.docId, queued }, 'policy notices queued');
    return queued;
  }

  /** Sends what is due at `now`. */
  async dispatch(now: Date): Promise<DispatchReport> {
    const report: DispatchReport = { sent: 0, merged: 0, held: 0, dropped: 0, failed: 0 };
    const token = await this.opts.sessions.tryLock(LOCK, LOCK_MS);
    if (token === null) return report; // another process is sending
    try {
      const pending = await this.opts.store.pending();
      if (isQuiet(this.opts.quiet, now)) {
        report.held = pending.length;
        return report;
      }
      const byPerson = new Map<string, Notice[]>();
      for (const n of pending) {
        const k = `${n.channel}:${n.userId}`;
        byPerson.set(k, [...(byPerson.get(k) ?? []), n]);
      }
      for (const notices of byPerson.values()) await this.sendToPerson(notices, now, report);
      return report;
    } finally {
      await this.opts.sessions.unlock(LOCK, token);
    }
  }

  private async sendToPerson(notices: Notice[], now: Date, report: DispatchReport): Promise<void> {
    const { store } = this.opts;
    const { channel, userId } = notices[0]!;
    const sub = await store.get(channel, userId);
    const wanted: Notice[] = [];
    for (const n of notices) {
      if (sub && stillFollowed(sub, n)) wanted.push(n);
      else {
        await store.update({ ...n, status: 'dropped', note: sub ? '已退订该主题' : '已退订' });
        report.dropped++;
      }
    }
    if (wanted.length === 0) return;
    const today = chinaDay(now);
    if ((await store.lastNoticeDay(channel, userId)) === today) {
      report.held += wanted.length;
      return;
    }
    const latest = wanted[wanted.length - 1]!;
    const message = this.message(wanted, today);
    try {
      await this.opts.sender.send(channel, userId, message);
    } catch (err) {
      const undeliverable = err instanceof Undeliverable;
      for (const n of wanted) {
        const attempts = n.attempts + 1;
        const status = undeliverable ? 'dropped' : attempts >= MAX_ATTEMPTS ? 'failed' : 'pending';
        const note = undeliverable ? err.reason : err instanceof Error ? err.message : String(err);
        await store.update({ ...n, attempts, status, note });
        if (status === 'dropped') report.dropped++;
        else if (status === 'failed') report.failed++;
        else report.held++;
      }
      this.opts.log?.warn({ channel, userId: maskPersonalData(userId), err: err instanceof Error ? err.message : String(err) }, 'policy notice not sent');
      return;
    }
    const at = now.toISOString();
    for (const n of wanted) {
      const carried = n === latest ? {} : { carriedBy: latest.docId };
      await store.update({ ...n, attempts: n.attempts + 1, status: 'sent', sentAt: at, ...carried });
    }
    await store.setLastNoticeDay(channel, userId, today);
    report.sent++;
    report.merged += wanted.length - 1;
  }

  /** One notice for one publication, or one for several naming the latest. */
  private message(notices: Notice[], date: string) {
    const latest = notices[notices.length - 1]!;
    const title = shortTitle(latest.title);
    const values = { title, topic: latest.topic, count: notices.length };
    const template = notices.length === 1 ? this.opts.wording.notice_one : this.opts.wording.notice_many;
    const text = fitNotice(template, values, this.budget);
    const shown = /《([^《》]*)》/.exec(text)?.[1] ?? title;
    return { text, title: shown, topic: latest.topic, count: notices.length, date };
  }
}

/** A notice for a programme the person has since unsubscribed from is not sent. */
function stillFollowed(sub: Subscription, n: Notice): boolean {
  const [rule, what] = n.reason.split(':');
  if (rule === 'programme') return sub.topics.some((t) => t.programme === what);
  if (rule === 'facts') return sub.topics.some((t) => t.persona === what);
  return sub.topics.some((t) => t.label === n.topic);
}
