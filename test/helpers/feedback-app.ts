/**
 * The real application on either backend for the feedback and staff-fix tests: the composition root
 * over a fresh data directory, with its session and ticket stores on SQLite or on the run's real
 * Redis under a key prefix of its own (two apps given the same prefix are two gateways sharing it).
 * An administrator and a staff member exist; `as(role)` logs in and returns the header.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { FastifyInstance } from 'fastify';
import { createAssistant, type Assistant } from '../../src/assistant.js';
import type { Reply } from '../../src/core/types.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { StaffAccounts } from '../../src/staff/accounts.js';
import { createStores } from '../../src/storage/create-stores.js';
import { deleteKeysWithPrefix } from '../../src/storage/redis/delete-prefix.js';
import { TEST_SCRYPT } from '../staff/helper.js';
import { testRedisUrl } from './redis.js';

export type Backend = 'sqlite' | 'redis';

export const ADMIN = { username: 'zhao.admin', password: 'Ping-ding-2026-admin', role: 'admin' as const };
export const STAFF = { username: 'qian.staff', password: 'Ping-ding-2026-staff', role: 'staff' as const };

export interface FeedbackApp {
  app: FastifyInstance;
  assistant: Assistant;
  dataDir: string;
  prefix: string;
  chat(userId: string, text: string): Promise<Reply[]>;
  as(who: typeof ADMIN | typeof STAFF): Promise<{ authorization: string }>;
  close(): Promise<void>;
}

export function newPrefix(): string {
  return `epa-test:${randomUUID()}:`;
}

export async function openFeedbackApp(backend: Backend, prefix = newPrefix()): Promise<FeedbackApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'epa-feedback-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', TODAY: '2026-11-23' });
  const stores = backend === 'redis' ? createStores({ dataDir, redisUrl: testRedisUrl(), redisKeyPrefix: prefix }) : undefined;
  const assistant = await createAssistant(config, stores ? { stores } : {});
  const app = await buildApp(assistant, { logLevel: 'silent' });
  const manage = new StaffAccounts(assistant.staffAccounts, () => new Date(), TEST_SCRYPT);
  for (const u of [ADMIN, STAFF]) await manage.create('test', u);
  const tokens = new Map<string, string>();
  return {
    app,
    assistant,
    dataDir,
    prefix,
    async chat(userId, text) {
      const res = await app.inject({ method: 'POST', url: '/api/chat', payload: { userId, text } });
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${res.body}`);
      return (res.json() as { replies: Reply[] }).replies;
    },
    async as(who) {
      let token = tokens.get(who.username);
      if (!token) {
        const res = await app.inject({ method: 'POST', url: '/api/staff/login', payload: { username: who.username, password: who.password } });
        if (res.statusCode !== 200) throw new Error(`login ${who.username}: ${res.statusCode} ${res.body}`);
        token = (res.json() as { token: string }).token;
        tokens.set(who.username, token);
      }
      return { authorization: `Bearer ${token}` };
    },
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Removes what a Redis-backed test app left under its prefix. */
export async function dropPrefix(prefix: string): Promise<void> {
  const redis = new Redis(testRedisUrl());
  await deleteKeysWithPrefix(redis, prefix);
  await redis.quit();
}
