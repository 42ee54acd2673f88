import { inject } from 'vitest';

/** URL of the real Redis the test run uses (its own redis-server unless REDIS_URL was given). */
export function testRedisUrl(): string {
  return inject('redisUrl');
}
