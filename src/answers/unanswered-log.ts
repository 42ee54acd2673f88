/**
 * Questions the assistant could not answer, kept for staff so they can add knowledge: a capped,
 * de-duplicated tally in the session store. Each record is one atomic step in the store (a Lua script
 * on Redis, one SQL transaction embedded), so gateway processes sharing the store never lose each
 * other's entries or counts (no read-modify-write of a list).
 */
import { z } from 'zod';
import type { SessionStore } from '../dialogue/session-store.js';
import { maskPersonalData } from '../core/privacy.js';

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

/** Reason and channel of the first occurrence, stored beside the count. */
const Info = z.object({ reason: z.string(), channel: z.string() });

export class UnansweredLog {
  constructor(private readonly store: SessionStore) {}

  async record(q: { text: string; reason: string; channel: string; at: Date }): Promise<void> {
    const text = maskPersonalData(q.text.trim()).slice(0, 200);
    if (!text) return;
    const info = JSON.stringify({ reason: q.reason, channel: q.channel });
    await this.store.tally(KEY, text, q.at, info, { cap: CAP, ttlSeconds: KEEP_SECONDS });
  }

  async list(limit = 50): Promise<UnansweredEntry[]> {
    return (await this.store.tallies(KEY, Math.min(limit, CAP))).map((e) => {
      let info: z.infer<typeof Info> = { reason: '', channel: '' };
      try {
        info = Info.parse(JSON.parse(e.info));
      } catch {
        // an entry without readable info still counts
      }
      return { text: e.member, reason: info.reason, channel: info.channel, at: e.at, count: e.count };
    });
  }
}
