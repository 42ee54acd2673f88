/**
 * One turn at a time per conversation, across every gateway process that shares the session store:
 * an in-process queue (KeyedMutex, so turns of this process wait without polling the store), then a
 * short lock in the store (Redis SET NX PX, or a row in the embedded database) held for the turn.
 *
 * The lock's ttl bounds how long a crashed holder blocks the conversation; a turn normally takes far
 * less. A turn that cannot get the lock within `waitMs` fails with ConversationBusyError, which the
 * HTTP layer answers 503 (try again), and the channel's retry is handled normally.
 */
import type { SessionStore } from './session-store.js';
import { KeyedMutex } from './keyed-mutex.js';

export class ConversationBusyError extends Error {
  constructor(key: string) {
    super(`conversation busy: ${key}`);
    this.name = 'ConversationBusyError';
  }
}

export interface ConversationLockOptions {
  /** How long the store keeps a lock whose holder never released it. */
  ttlMs?: number;
  /** How long a turn waits for another process's turn of the same conversation. */
  waitMs?: number;
}

export class ConversationLock {
  private readonly local = new KeyedMutex();
  private readonly ttlMs: number;
  private readonly waitMs: number;

  constructor(
    private readonly store: Pick<SessionStore, 'tryLock' | 'unlock'>,
    opts: ConversationLockOptions = {},
  ) {
    // A turn takes well under a second; a holder that died (a gateway killed, Redis restarted
    // mid-turn) blocks its conversation for at most the ttl, and a waiter outlasts the ttl.
    this.ttlMs = opts.ttlMs ?? 10_000;
    this.waitMs = opts.waitMs ?? 12_000;
  }

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.local.run(key, async () => {
      const lockKey = `turn:${key}`;
      const token = await this.acquire(lockKey);
      try {
        return await work();
      } finally {
        await this.store.unlock(lockKey, token).catch(() => undefined);
      }
    });
  }

  private async acquire(lockKey: string): Promise<string> {
    const deadline = Date.now() + this.waitMs;
    let pause = 5;
    for (;;) {
      const token = await this.store.tryLock(lockKey, this.ttlMs);
      if (token) return token;
      if (Date.now() >= deadline) throw new ConversationBusyError(lockKey);
      // Jittered backoff: the other process's turn usually ends within tens of milliseconds.
      await new Promise((r) => setTimeout(r, pause + Math.random() * pause));
      pause = Math.min(pause * 2, 100);
    }
  }
}
