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
  close(): Promise<void>;
}
