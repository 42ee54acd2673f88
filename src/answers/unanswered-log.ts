/**
 * Questions the assistant could not answer, kept for staff so they can add knowledge. A capped,
 * de-duplicated list in the session store (shared between gateway processes when on Redis).
 */
import type { SessionStore } from '../dialogue/session-store.js';
import { maskPersonalData } from '../core/privacy.js';
import { KeyedMutex } from '../dialogue/keyed-mutex.js';

export interface UnansweredEntry {
  text: string;
  reason: string;
  channel: string;
  at: string;
  count: number;
}

const KEY = 'unanswered:log';
const CAP = 300;
const KEEP_SECONDS = 180 * 24 * 3600;

export class UnansweredLog {
  private readonly mutex = new KeyedMutex();

  constructor(private readonly store: SessionStore) {}

  async record(q: { text: string; reason: string; channel: string; at: Date }): Promise<void> {
    const text = maskPersonalData(q.text.trim()).slice(0, 200);
    if (!text) return;
    await this.mutex.run(KEY, async () => {
      const list = (await this.store.get<UnansweredEntry[]>(KEY)) ?? [];
      const existing = list.find((e) => e.text === text);
      if (existing) {
        existing.count += 1;
        existing.at = q.at.toISOString();
      } else {
        list.push({ text, reason: q.reason, channel: q.channel, at: q.at.toISOString(), count: 1 });
      }
      list.sort((a, b) => (a.at < b.at ? 1 : -1));
      await this.store.set(KEY, list.slice(0, CAP), KEEP_SECONDS);
    });
  }

  async list(limit = 50): Promise<UnansweredEntry[]> {
    return ((await this.store.get<UnansweredEntry[]>(KEY)) ?? []).slice(0, limit);
  }
}
