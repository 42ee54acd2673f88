/**
 * Conversation state and the small per-sender counters the gateway needs, behind one contract with
 * two implementations: embedded (SQLite under DATA_DIR, default) and Redis (when REDIS_URL is set).
 */
export interface SessionStore {
  /** The stored JSON value for a session key, or null when absent or expired. */
  get<T>(key: string): Promise<T | null>;
  /** Store a JSON-serialisable value; it expires ttlSeconds after this write. */
  set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Remember that `id` was seen in `scope` for ttlSeconds. Returns true the first time, false for a
   * repeat (provider retries, replays). Atomic across processes sharing the store.
   */
  markSeen(scope: string, id: string, ttlSeconds: number): Promise<boolean>;
  /** Undoes markSeen, so that a retry of a message whose handling failed is handled again. */
  forgetSeen(scope: string, id: string): Promise<void>;
  /** Fixed-window counter for rate limits: counts this hit, says whether it is within `limit`. */
  hit(key: string, windowSeconds: number, limit: number): Promise<{ allowed: boolean; count: number }>;
  /**
   * Takes the short lock `key` for ttlMs unless another holder has it: returns this holder's token,
   * or null when the lock is taken. Atomic across processes sharing the store; a holder that dies
   * loses the lock when the ttl ends.
   */
  tryLock(key: string, ttlMs: number): Promise<string | null>;
  /** Releases the lock if `token` still holds it (never someone else's after the ttl ran out). */
  unlock(key: string, token: string): Promise<void>;
  /**
   * A capped tally of recent items under `key`, in one atomic step: counts `member` once more (or `by`), dates it
   * `at` (the latest wins), keeps the `info` of its first occurrence, and keeps only the `cap` most
   * recently dated members. The whole tally expires ttlSeconds after its last write.
   */
  tally(key: string, member: string, at: Date, info: string, options: { cap: number; ttlSeconds: number; by?: number }): Promise<void>;
  /** The tally's members, most recently dated first. */
  tallies(key: string, limit: number): Promise<TallyEntry[]>;
  close(): Promise<void>;
}

export interface TallyEntry {
  member: string;
  count: number;
  /** ISO instant of the latest occurrence. */
  at: string;
  info: string;
}
