/**
 * Chooses where staff accounts live, the same way createStores chooses for tickets: Redis when a URL
 * is given, otherwise the embedded database file `${dataDir}/assistant.db`.
 */
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { newRedis } from '../storage/redis/connect.js';
import { DB_FILE_NAME } from '../storage/create-stores.js';
import { DEFAULT_KEY_PREFIX } from '../storage/redis/keys.js';
import type { StaffAccountStore } from './account-store.js';
import { RedisStaffAccountStore } from './redis-account-store.js';
import { createStaffRedisKeys } from './redis-keys.js';
import { SqliteStaffAccountStore } from './sqlite-account-store.js';

export interface StaffAccountStoreOptions {
  dataDir: string;
  redisUrl?: string | undefined;
  /** Prefix of every Redis key (default "epa:"), as for createStores. */
  redisKeyPrefix?: string;
}

export function createStaffAccountStore(options: StaffAccountStoreOptions): StaffAccountStore {
  if (options.redisUrl) {
    const redis = newRedis(options.redisUrl, { maxRetriesPerRequest: 3 });
    redis.on('error', () => {
      // Reported by the ticket store's connection; commands fail fast meanwhile.
    });
    const keys = createStaffRedisKeys(options.redisKeyPrefix ?? DEFAULT_KEY_PREFIX);
    return new RedisStaffAccountStore(redis, keys, { ownsConnection: true });
  }
  return new SqliteStaffAccountStore(join(options.dataDir, DB_FILE_NAME));
}
