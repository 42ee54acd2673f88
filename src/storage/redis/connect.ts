/**
 * ioredis, loaded on first use: a process on the embedded store (no REDIS_URL) never loads it
 * (~19 MB of memory). Modules that only need its types import them with `import type`.
 */
import { createRequire } from 'node:module';
import type { Redis, RedisOptions } from 'ioredis';

let RedisClass: typeof Redis | undefined;

export function newRedis(url: string, options: RedisOptions = {}): Redis {
  RedisClass ??= (createRequire(import.meta.url)('ioredis') as typeof import('ioredis')).Redis;
  return new RedisClass(url, options);
}
