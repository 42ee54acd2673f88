/** Where subscriptions live, chosen as for tickets: Redis when a URL is given, else the embedded file. */
import { join } from 'node:path';
import { DB_FILE_NAME } from '../storage/create-stores.js';
import { newRedis } from '../storage/redis/connect.js';
import { DEFAULT_KEY_PREFIX } from '../storage/redis/keys.js';
import { RedisSubscriptionStore, subscriptionKeys } from './redis-store.js';
import { SqliteSubscriptionStore } from './sqlite-store.js';
import type { SubscriptionStore } from './types.js';

export function createSubscriptionStore(options: { dataDir: string; redisUrl?: string | undefined; redisKeyPrefix?: string }): SubscriptionStore {
  if (options.redisUrl) {
    const redis = newRedis(options.redisUrl, { maxRetriesPerRequest: 3 });
    redis.on('error', () => {
      // Reported by the ticket store's connection; commands fail fast meanwhile.
    });
    return new RedisSubscriptionStore(redis, subscriptionKeys(options.redisKeyPrefix ?? DEFAULT_KEY_PREFIX), { ownsConnection: true });
  }
  return new SqliteSubscriptionStore(join(options.dataDir, DB_FILE_NAME));
}
