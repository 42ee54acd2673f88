/**
 * The two storage backends as the contract suites see them. Each `backend()` call gets its own data
 * (a fresh temporary directory, or a fresh Redis key prefix on the run's real Redis); `open*()` may be
 * called several times to get independent store instances over the same data, as several gateway
 * processes would.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { SessionStore } from '../../src/dialogue/session-store.js';
import { createRedisKeys } from '../../src/storage/redis/keys.js';
import { RedisSessionStore } from '../../src/storage/redis/session-store.js';
import { RedisTicketStore } from '../../src/storage/redis/ticket-store.js';
import { SqliteSessionStore } from '../../src/storage/sqlite/session-store.js';
import { SqliteTicketStore } from '../../src/storage/sqlite/ticket-store.js';
import type { TicketStore, TicketStoreOptions } from '../../src/tickets/ticket-store.js';
import { testRedisUrl } from '../helpers/redis.js';
import { deleteKeysWithPrefix } from '../../src/storage/redis/delete-prefix.js';

export type BackendName = 'sqlite' | 'redis';
export const BACKENDS: BackendName[] = ['sqlite', 'redis'];

export interface Backend {
  openSessions(): SessionStore;
  openTickets(options?: TicketStoreOptions): TicketStore;
  /** Closes every store opened here and removes the data. */
  dispose(): Promise<void>;
}

export function backend(name: BackendName): Backend {
  const opened: Array<{ close(): Promise<void> }> = [];
  const track = <T extends { close(): Promise<void> }>(store: T): T => {
    opened.push(store);
    return store;
  };
  if (name === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'epa-store-'));
    const file = join(dir, 'assistant.db');
    return {
      openSessions: () => track(new SqliteSessionStore(file)),
      openTickets: (options = {}) => track(new SqliteTicketStore(file, options)),
      dispose: async () => {
        for (const s of opened) await s.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const keys = createRedisKeys(`epa-test:${randomUUID()}:`);
  const connect = () => new Redis(testRedisUrl());
  return {
    openSessions: () => track(new RedisSessionStore(connect(), keys, { ownsConnection: true })),
    openTickets: (options = {}) => track(new RedisTicketStore(connect(), keys, { ...options, ownsConnection: true })),
    dispose: async () => {
      for (const s of opened) await s.close();
      const redis = connect();
      await deleteKeysWithPrefix(redis, keys.prefix);
      await redis.quit();
    },
  };
}
