/**
 * Redis keys of the staff module, built on the project's key prefix (src/storage/redis/keys.ts) so
 * that one prefix still isolates a deployment or a test run.
 */
import { DEFAULT_KEY_PREFIX } from '../storage/redis/keys.js';

export type StaffRedisKeys = ReturnType<typeof createStaffRedisKeys>;

export function createStaffRedisKeys(prefix: string = DEFAULT_KEY_PREFIX) {
  const p = `${prefix}staff:`;
  return {
    prefix: p,
    /** Hash username → account JSON. */
    accounts: () => `${p}accounts`,
    /** Session JSON under the token's SHA-256, expiring with the session (PXAT). */
    session: (id: string) => `${p}session:${id}`,
    /** Set of one account's session ids, to end them all at once. */
    userSessions: (username: string) => `${p}user-sessions:${username}`,
    /** Failed log-in counter of a fixed window (PEXPIRE NX). */
    failures: (key: string) => `${p}failures:${key}`,
    /** Audit entries as JSON, newest first (LPUSH + LTRIM). */
    audit: () => `${p}audit`,
  };
}
