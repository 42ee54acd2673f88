/**
 * The web chat has no push: messages for a web user (a staff reply, a status change) wait in an
 * inbox in the session store and are shown at the top of the user's next turn.
 */
import type { Outbound } from '../../complaints/notifier.js';
import type { SessionStore } from '../../dialogue/session-store.js';
import { KeyedMutex } from '../../dialogue/keyed-mutex.js';

const KEEP_SECONDS = 30 * 24 * 3600;
const keyOf = (userId: string) => `inbox:web:${userId}`;

export class WebInbox implements Outbound {
  private readonly mutex = new KeyedMutex();

  constructor(private readonly store: SessionStore) {}

  async send(_channel: string, userId: string, text: string): Promise<void> {
    await this.mutex.run(keyOf(userId), async () => {
      const list = (await this.store.get<string[]>(keyOf(userId))) ?? [];
      list.push(text);
      await this.store.set(keyOf(userId), list, KEEP_SECONDS);
    });
  }

  /** Everything waiting for the user, oldest first; the inbox is emptied. */
  async take(userId: string): Promise<string[]> {
    return this.mutex.run(keyOf(userId), async () => {
      const list = (await this.store.get<string[]>(keyOf(userId))) ?? [];
      if (list.length > 0) await this.store.delete(keyOf(userId));
      return list;
    });
  }
}
