/**
 * When may the Redis ticket store tell a worker "your ticket number is …"? Only once the write is on
 * disk. The deployment runs redis-server with `appendonly yes` and `appendfsync always`: Redis then
 * fsyncs the AOF before it sends the reply, so an acknowledged script call survives kill -9 and a
 * power cut, and nothing more is needed (this is the case on the Redis 7.0 we run).
 *
 * If the server is configured more loosely (everysec) and is 7.2 or newer, the store calls
 * `WAITAOF 1 0 <timeout>` after each write: it blocks until the local AOF holds the write. On an older
 * server with a loose configuration there is no way to wait, and we log a warning once. Managed Redis
 * often forbids CONFIG GET; then we cannot tell and trust the operator (also warned once).
 */
import type { Redis } from 'ioredis';

export type DurabilityMode = 'fsync-always' | 'waitaof' | 'unverified';

export interface DurabilityReport {
  mode: DurabilityMode;
  detail: string;
}

export async function detectDurability(redis: Redis): Promise<DurabilityReport> {
  const info = await redis.info('server');
  const version = /redis_version:(\S+)/.exec(info)?.[1] ?? '0.0.0';
  let appendonly = '';
  let appendfsync = '';
  try {
    appendonly = configValue(await redis.config('GET', 'appendonly'));
    appendfsync = configValue(await redis.config('GET', 'appendfsync'));
  } catch (err) {
    return { mode: 'unverified', detail: `CONFIG GET refused (${(err as Error).message}); Redis ${version}` };
  }
  if (appendonly === 'yes' && appendfsync === 'always') {
    return { mode: 'fsync-always', detail: `Redis ${version}, appendonly yes, appendfsync always` };
  }
  if (appendonly === 'yes' && versionAtLeast(version, [7, 2])) {
    return { mode: 'waitaof', detail: `Redis ${version}, appendfsync ${appendfsync}: WAITAOF after each write` };
  }
  return {
    mode: 'unverified',
    detail: `Redis ${version}, appendonly ${appendonly}, appendfsync ${appendfsync}: acknowledged tickets may be lost on a crash`,
  };
}

/** Blocks until the local AOF has fsynced this connection's writes (Redis ≥ 7.2). */
export async function waitAof(redis: Redis, timeoutMs = 1000): Promise<void> {
  const reply = (await redis.call('WAITAOF', 1, 0, timeoutMs)) as [number, number];
  if (!Array.isArray(reply) || Number(reply[0]) < 1) {
    throw new Error('WAITAOF: the write did not reach the local AOF in time');
  }
}

function configValue(reply: unknown): string {
  return Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : '';
}

function versionAtLeast(version: string, [major, minor]: [number, number]): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}
