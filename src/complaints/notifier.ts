/**
 * Telling the worker when staff reply or change the status of a ticket, on the channel they used.
 *
 * The ticket store writes an outbox entry in the same commit as the change (ticket-store.ts); this
 * module delivers them: `deliverPending` sends every pending entry through an `Outbound` and marks it
 * delivered only after the send resolved — at-least-once (a crash between the two sends it again;
 * a failed send stays pending for the next round). Channel adapters (SMS, WeChat customer-service
 * messages, wechaty) implement `Outbound`; `routeByChannel` picks theirs, the logging one otherwise.
 *
 * A notification that cannot reach the person (they opted out of SMS, unfollowed the account, or
 * WeChat's 48-hour window for customer-service messages has closed), or that has failed for
 * GIVE_UP_AFTER_DAYS, is not retried for ever: it is settled and the ticket gets a note saying what
 * was not delivered and why, so the staff member handling it phones the worker instead.
 */
import type { Channel } from '../core/types.js';
import { maskPersonalData } from '../core/privacy.js';
import type { TicketStore } from '../tickets/ticket-store.js';

export interface Outbound {
  send(channel: Channel, userId: string, text: string): Promise<void>;
}

/** A send that can never succeed as asked: retrying would only repeat it. */
export class Undeliverable extends Error {
  constructor(readonly reason: string) {
    super(`undeliverable: ${reason}`);
  }
}

/** A notification still failing this long after it was written is given up. */
export const GIVE_UP_AFTER_DAYS = 3;

export interface OutboundLog {
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
}

/** The default: writes the message to the log, phone and ID numbers masked. Sends nothing. */
export function loggingOutbound(log: Pick<OutboundLog, 'info'>): Outbound {
  return {
    async send(channel, userId, text) {
      log.info({ channel, userId: maskPersonalData(userId), text: maskPersonalData(text) }, 'outbound message (logging only)');
    },
  };
}

/** Sends through the adapter of the message's channel, or the fallback when that channel has none. */
export function routeByChannel(adapters: Partial<Record<Channel, Outbound>>, fallback: Outbound): Outbound {
  return {
    send(channel, userId, text) {
      return (adapters[channel] ?? fallback).send(channel, userId, text);
    },
  };
}

export type DeliveryOutcome = 'sent' | 'failed' | 'undeliverable';

export interface DeliveryReport {
  sent: number;
  /** Failed this round, left pending for the next. */
  failed: number;
  /** Given up: settled, and the ticket notes it for staff. */
  undeliverable: number;
}

/** What staff read on the ticket when a notification could not reach the worker. */
export function undeliveredNote(reason: string, text: string): string {
  return `通知未送达（${reason}），请改用电话等方式告知当事人。未送达的内容：${text}`;
}

/** One round: every pending notification (oldest first, up to `limit`) sent, then marked delivered. */
export async function deliverPending(
  store: TicketStore,
  outbound: Outbound,
  opts: {
    limit?: number;
    log?: Pick<OutboundLog, 'warn'>;
    now?: () => Date;
    /** Told of each notification's outcome (the poller's running totals, for /metrics). */
    onOutcome?: (channel: Channel, outcome: DeliveryOutcome) => void;
  } = {},
): Promise<DeliveryReport> {
  const pending = await store.pendingNotifications(opts.limit ?? 100);
  const now = (opts.now ?? (() => new Date()))().getTime();
  const report: DeliveryReport = { sent: 0, failed: 0, undeliverable: 0 };
  for (const n of pending) {
    try {
      await outbound.send(n.channel, n.userId, n.text);
    } catch (err) {
      const message = maskPersonalData(err instanceof Error ? err.message : String(err));
      const context = { notificationId: n.id, ticketId: n.ticketId, channel: n.channel, err: message };
      const reason =
        err instanceof Undeliverable
          ? err.reason
          : now - Date.parse(n.createdAt) > GIVE_UP_AFTER_DAYS * 86_400_000
            ? `${GIVE_UP_AFTER_DAYS}天内多次发送均失败`
            : null;
      if (reason === null) {
        report.failed++;
        opts.onOutcome?.(n.channel, 'failed');
        opts.log?.warn(context, 'notification not delivered; will retry');
        continue;
      }
      // Note first: a crash in between sends it again (one more note), never loses the note.
      await store.addNote(n.ticketId, 'system', undeliveredNote(reason, n.text));
      await store.markDelivered(n.id);
      report.undeliverable++;
      opts.onOutcome?.(n.channel, 'undeliverable');
      opts.log?.warn({ ...context, reason }, 'notification undeliverable; staff told on the ticket');
      continue;
    }
    await store.markDelivered(n.id);
    report.sent++;
    opts.onOutcome?.(n.channel, 'sent');
  }
  return report;
}

export interface Poller {
  /** Stops polling; resolves when a round in progress has finished. */
  stop(): Promise<void>;
  /** Notifications this process has handled since it started, by channel and outcome. */
  totals(): Array<{ channel: Channel; outcome: DeliveryOutcome; count: number }>;
}

/**
 * Runs `deliverPending` every `intervalMs` (rounds never overlap). Errors of a round (store away) are
 * logged and the next round tries again.
 */
export function startNotificationPoller(
  store: TicketStore,
  outbound: Outbound,
  opts: { intervalMs?: number; limit?: number; log?: Pick<OutboundLog, 'warn'> } = {},
): Poller {
  const interval = opts.intervalMs ?? 5_000;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const totals = new Map<string, { channel: Channel; outcome: DeliveryOutcome; count: number }>();
  const onOutcome = (channel: Channel, outcome: DeliveryOutcome): void => {
    const key = `${channel} ${outcome}`;
    const entry = totals.get(key) ?? { channel, outcome, count: 0 };
    entry.count++;
    totals.set(key, entry);
  };
  const round = async (): Promise<void> => {
    try {
      await deliverPending(store, outbound, {
        onOutcome,
        ...(opts.limit ? { limit: opts.limit } : {}),
        ...(opts.log ? { log: opts.log } : {}),
      });
    } catch (err) {
      opts.log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'notification round failed');
    }
  };
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = round().then(schedule);
    }, interval);
    timer.unref?.();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
    totals: () => [...totals.values()].map((t) => ({ ...t })),
  };
}
