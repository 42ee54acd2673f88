/**
 * The staff account store on both backends, like test/storage/backends.ts for tickets: a fresh
 * temporary database file, or a fresh key prefix on the run's real Redis. `open()` may be called
 * several times to get independent stores over the same data (several gateway processes).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { StaffAccountStore } from '../../src/staff/account-store.js';
import { RedisStaffAccountStore } from '../../src/staff/redis-account-store.js';
import { createStaffRedisKeys } from '../../src/staff/redis-keys.js';
import { SqliteStaffAccountStore } from '../../src/staff/sqlite-account-store.js';
import { testRedisUrl } from '../helpers/redis.js';
import { deleteKeysWithPrefix } from '../../src/storage/redis/delete-prefix.js';

export type BackendName = 'sqlite' | 'redis';
export const BACKENDS: BackendName[] = ['sqlite', 'redis'];

export interface StaffBackend {
  /** The data location: a directory (sqlite) or a key prefix (redis). */
  where: string;
  open(): StaffAccountStore;
  dispose(): Promise<void>;
}

export function staffBackend(name: BackendName): StaffBackend {
  const opened: StaffAccountStore[] = [];
  if (name === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'epa-staff-'));
    return {
      where: dir,
      open: () => {
        const s = new SqliteStaffAccountStore(join(dir, 'assistant.db'));
        opened.push(s);
        return s;
      },
      dispose: async () => {
        for (const s of opened) await s.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const prefix = `epa-test:${randomUUID()}:`;
  const keys = createStaffRedisKeys(prefix);
  return {
    where: prefix,
    open: () => {
      const s = new RedisStaffAccountStore(new Redis(testRedisUrl()), keys, { ownsConnection: true });
      opened.push(s);
      return s;
    },
    dispose: async () => {
      for (const s of opened) await s.close();
      const redis = new Redis(testRedisUrl());
      await deleteKeysWithPrefix(redis, prefix);
      await redis.quit();
    },
  };
}
