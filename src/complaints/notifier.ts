/**
 * Telling the worker when staff reply or change the status of a ticket, on the channel they used.
 *
 * The ticket store writes an outbox entry in the same commit as the change (ticket-store.ts); this
 * module delivers them: `deliverPending` sends every pending entry through an `Outbound` and marks it
 * delivered only after the send resolved — at-least-once (a crash between the two sends it again;
 * a failed send stays pending for the next round). Channel adapters (SMS, WeChat customer-service
 * messages, wechaty) implement `Outbound`; `routeByChannel` picks theirs, the logging one otherwise.
 */
import type { Channel } from '../core/types.js';
import { maskPersonalData } from '../core/privacy.js';
import type { TicketStore } from '../tickets/ticket-store.js';

export interface Outbound {
  send(channel: Channel, userId: string, text: string): Promise<void>;
}

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

export interface DeliveryReport {
  sent: number;
  failed: number;
}

/** One round: every pending notification (oldest first, up to `limit`) sent, then marked delivered. */
export async function deliverPending(
  store: TicketStore,
  outbound: Outbound,
  opts: { limit?: number; log?: Pick<OutboundLog, 'warn'> } = {},
): Promise<DeliveryReport> {
  const pending = await store.pendingNotifications(opts.limit ?? 100);
  let sent = 0;
  let failed = 0;
  for (const n of pending) {
    try {
      await outbound.send(n.channel, n.userId, n.text);
    } catch (err) {
      failed++;
      opts.log?.warn(
        { notificationId: n.id, ticketId: n.ticketId, channel: n.channel, err: maskPersonalData(err instanceof Error ? err.message : String(err)) },
        'notification not delivered; will retry',
      );
      continue;
    }
    await store.markDelivered(n.id);
    sent++;
  }
  return { sent, failed };
}

export interface Poller {
  /** Stops polling; resolves when a round in progress has finished. */
  stop(): Promise<void>;
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
  const round = async (): Promise<void> => {
    try {
      await deliverPending(store, outbound, { ...(opts.limit ? { limit: opts.limit } : {}), ...(opts.log ? { log: opts.log } : {}) });
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
  };
}
