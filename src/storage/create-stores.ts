/**
 * Chooses the storage backend once, at start-up: Redis when a URL is given (several gateway processes
 * share sessions, dedupe marks, rate limits and the ticket queue), otherwise the embedded SQLite file
 * `${dataDir}/assistant.db` (the directory is created).
 */
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { newRedis } from './redis/connect.js';
import { pino, type Logger } from 'pino';
import type { SessionStore } from '../dialogue/session-store.js';
import { loggerOptions } from '../server/logger.js';
import type { Clock, TicketStore } from '../tickets/ticket-store.js';
import { createRedisKeys, DEFAULT_KEY_PREFIX } from './redis/keys.js';
import { quietQuit, RedisSessionStore } from './redis/session-store.js';
import { RedisTicketStore } from './redis/ticket-store.js';
import { SqliteSessionStore } from './sqlite/session-store.js';
import { SqliteTicketStore } from './sqlite/ticket-store.js';

export interface StoresOptions {
  dataDir: string;
  redisUrl?: string | undefined;
  /** Prefix of every Redis key (default "epa:"). */
  redisKeyPrefix?: string;
  clock?: Clock;
  logger?: Pick<Logger, 'warn'>;
}

export interface Stores {
  backend: 'redis' | 'sqlite';
  sessions: SessionStore;
  tickets: TicketStore;
  /** Resolves when the backend answers (Redis PING); for readiness checks. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export const DB_FILE_NAME = 'assistant.db';

export function createStores(options: StoresOptions): Stores {
  const clock = options.clock ? { clock: options.clock } : {};
  if (options.redisUrl) {
    const logger = options.logger ?? pino(loggerOptions(process.env.LOG_LEVEL ?? 'info'));
    // Commands fail fast while Redis is away (the caller answers "try again"); ioredis keeps reconnecting.
    // Reconnect attempts at most 500 ms apart (ioredis default: up to 2 s), so that while Redis is
    // away a request gets its 503 within about 1.5 s, and service resumes soon after Redis is back.
    // Auto-pipelining: the commands that concurrent requests issue in the same tick go out in one
    // write (they are single commands or Lua scripts; nothing here relies on connection state).
    const redis = newRedis(options.redisUrl, {
      maxRetriesPerRequest: 3,
      retryStrategy: (times) => Math.min(times * 50, 500),
      enableAutoPipelining: true,
    });
    redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis connection error'));
    // A dropped connection does not always come with an error (the server closed it); say so anyway.
    redis.on('reconnecting', (delayMs: number) => logger.warn({ delayMs }, 'redis connection lost, reconnecting'));
    const keys = createRedisKeys(options.redisKeyPrefix ?? DEFAULT_KEY_PREFIX);
    return {
      backend: 'redis',
      sessions: new RedisSessionStore(redis, keys),
      tickets: new RedisTicketStore(redis, keys, { ...clock, logger }),
      ready: async () => {
        await redis.ping();
      },
      close: () => quietQuit(redis),
    };
  }
  const file = join(options.dataDir, DB_FILE_NAME);
  // One gateway process on the embedded store: its rate-limit counters and conversation locks live in
  // memory, so a chat turn writes once (its conversation state).
  const sessions = new SqliteSessionStore(file, { hitsInMemory: true, locksInMemory: true });
  const tickets = new SqliteTicketStore(file, clock);
  return {
    backend: 'sqlite',
    sessions,
    tickets,
    ready: async () => {},
    close: async () => {
      await sessions.close();
      await tickets.close();
    },
  };
}
