/**
 * The web chat has no push: messages for a web user (a staff reply, a status change) wait in an
 * inbox in the session store and are shown at the top of each of the user's turns until the page
 * acknowledges them by id (POST /api/chat/ack, or `ack` on the next /api/chat). A response lost on
 * the way to the browser therefore loses nothing: the message is shown again.
 *
 * Every change of the inbox holds the inbox's short lock in the store, so gateway processes sharing
 * it (the notifier of one, the chat turn of another) never overwrite each other's writes.
 */
import { randomUUID } from 'node:crypto';
import type { Outbound } from '../../complaints/notifier.js';
import { ConversationLock } from '../../dialogue/conversation-lock.js';
import type { SessionStore } from '../../dialogue/session-store.js';

const KEEP_SECONDS = 30 * 24 * 3600;
/** At most this many messages wait; the oldest give way (a staff member writing 50 replies unseen). */
const MAX_WAITING = 50;
const keyOf = (userId: string) => `inbox:web:${userId}`;

export interface InboxMessage {
  id: string;
  text: string;
}

export class WebInbox implements Outbound {
  private readonly lock: ConversationLock;

  constructor(private readonly store: SessionStore) {
    this.lock = new ConversationLock(store);
  }

  async send(_channel: string, userId: string, text: string): Promise<void> {
    await this.lock.run(keyOf(userId), async () => {
      const list = await this.read(userId);
      list.push({ id: randomUUID(), text });
      await this.store.set(keyOf(userId), list.slice(-MAX_WAITING), KEEP_SECONDS);
    });
  }

  /** Everything waiting for the user, oldest first; nothing is removed. */
  async peek(userId: string): Promise<InboxMessage[]> {
    return this.read(userId);
  }

  /** Removes the acknowledged messages (unknown ids are ignored). */
  async ack(userId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const done = new Set(ids);
    await this.lock.run(keyOf(userId), async () => {
      const list = await this.read(userId);
      const left = list.filter((m) => !done.has(m.id));
      if (left.length === list.length) return;
      if (left.length === 0) await this.store.delete(keyOf(userId));
      else await this.store.set(keyOf(userId), left, KEEP_SECONDS);
    });
  }

  private async read(userId: string): Promise<InboxMessage[]> {
    const raw = (await this.store.get<unknown[]>(keyOf(userId))) ?? [];
    // Inboxes written before messages had ids held plain strings: give them a stable id.
    return raw.flatMap((m, i): InboxMessage[] => {
      if (typeof m === 'string') return [{ id: `legacy-${i}-${m.length}`, text: m }];
      if (m && typeof m === 'object' && typeof (m as InboxMessage).id === 'string' && typeof (m as InboxMessage).text === 'string') {
        return [{ id: (m as InboxMessage).id, text: (m as InboxMessage).text }];
      }
      return [];
    });
  }
}
