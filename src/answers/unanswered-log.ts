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
/** Where the log was kept before it became a tally (a JSON list, read-modify-written). */
const LEGACY_KEY = 'unanswered:log';
const CAP = 300;
const KEEP_SECONDS = 180 * 24 * 3600;

/** Reason and channel of the first occurrence, stored beside the count. */
const Info = z.object({ reason: z.string(), channel: z.string() });

export class UnansweredLog {
  private migrated: Promise<void> | null = null;

  constructor(private readonly store: SessionStore) {}

  /** Once: carries entries of the legacy list over into the tally (one process does it). */
  private migrate(): Promise<void> {
    this.migrated ??= (async () => {
      const legacy = await this.store.get<UnansweredEntry[]>(LEGACY_KEY);
      if (!legacy || !Array.isArray(legacy)) return;
      if (await this.store.markSeen('migration', 'unanswered-tally', KEEP_SECONDS)) {
        for (const e of legacy) {
          if (!e || typeof e.text !== 'string' || !e.text) continue;
          const at = new Date(e.at);
          await this.store.tally(KEY, e.text, Number.isNaN(at.getTime()) ? new Date() : at, JSON.stringify({ reason: e.reason, channel: e.channel }), {
            cap: CAP,
            ttlSeconds: KEEP_SECONDS,
            by: Number.isInteger(e.count) && e.count > 0 ? e.count : 1,
          });
        }
      }
      await this.store.delete(LEGACY_KEY);
    })().catch((err: unknown) => {
      this.migrated = null; // try again on the next call
      throw err;
    });
    return this.migrated;
  }

  async record(q: { text: string; reason: string; channel: string; at: Date }): Promise<void> {
    const text = maskPersonalData(q.text.trim()).slice(0, 200);
    if (!text) return;
    await this.migrate();
    const info = JSON.stringify({ reason: q.reason, channel: q.channel });
    await this.store.tally(KEY, text, q.at, info, { cap: CAP, ttlSeconds: KEEP_SECONDS });
  }

  async list(limit = 50): Promise<UnansweredEntry[]> {
    await this.migrate();
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
