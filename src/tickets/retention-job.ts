/**
 * The retention job: once at start and then every interval (a day by default), anonymises the tickets
 * closed more than TICKET_RETENTION_DAYS ago (retention.ts, TicketStore.anonymiseClosed). Safe to run
 * in every gateway process at once: a ticket already anonymised is skipped.
 */
import type { Clock, TicketStore } from './ticket-store.js';
import { retentionCutoff } from './retention.js';

export interface RetentionJob {
  /** One run now; resolves with the ids anonymised. */
  runOnce(): Promise<string[]>;
  stop(): Promise<void>;
}

export function startRetentionJob(
  tickets: TicketStore,
  opts: {
    days: number;
    intervalMs?: number;
    clock?: Clock;
    log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  },
): RetentionJob {
  const clock = opts.clock ?? (() => new Date());
  let running: Promise<string[]> = Promise.resolve([]);
  let stopped = false;
  const runOnce = (): Promise<string[]> => {
    running = running.then(async () => {
      if (stopped) return [];
      try {
        const ids = await tickets.anonymiseClosed(retentionCutoff(clock(), opts.days), opts.days);
        if (ids.length > 0) opts.log?.info({ count: ids.length, days: opts.days }, 'personal data of closed tickets deleted (retention)');
        return ids;
      } catch (err) {
        opts.log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'retention run failed; the next run tries again');
        return [];
      }
    });
    return running;
  };
  const timer = setInterval(() => void runOnce(), opts.intervalMs ?? 24 * 3600_000);
  timer.unref();
  void runOnce();
  return {
    runOnce,
    // A run already started finishes (it commits ticket by ticket); none starts after.
    stop: async () => {
      clearInterval(timer);
      await running;
      stopped = true;
    },
  };
}
