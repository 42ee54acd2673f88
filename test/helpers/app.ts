/**
 * The real application for tests: the composition root over a fresh data directory (embedded
 * storage) or the test run's real Redis, served through fastify's inject.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createAssistant, type Assistant } from '../../src/assistant.js';
import type { Reply } from '../../src/core/types.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';

export interface TestApp {
  app: FastifyInstance;
  assistant: Assistant;
  dataDir: string;
  chat(userId: string, text: string): Promise<Reply[]>;
  close(): Promise<void>;
}

export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'epa-app-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', TODAY: '2026-11-23', ...env });
  const assistant = await createAssistant(config);
  const app = await buildApp(assistant, { logLevel: 'silent' });
  return {
    app,
    assistant,
    dataDir,
    async chat(userId, text) {
      const res = await app.inject({ method: 'POST', url: '/api/chat', payload: { userId, text } });
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${res.body}`);
      return (res.json() as { replies: Reply[] }).replies;
    },
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const joined = (replies: Reply[]): string => replies.map((r) => r.text).join('\n');
