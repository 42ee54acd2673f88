/**
 * The real application for policy-notice tests: the composition root on either backend, an injected
 * clock, the SMS log provider writing into a captured log, and a local stand-in for api.weixin.qq.com
 * reached through WECHAT_API_BASE (a real HTTP server on a free port).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import pino from 'pino';
import { createAssistant, type Assistant } from '../../src/assistant.js';
import { channelRuntime } from '../../src/channels/index.js';
import type { Channel } from '../../src/core/types.js';
import type { Publication } from '../../src/knowledge/publication-events.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { StaffAccounts } from '../../src/staff/accounts.js';
import { deleteKeysWithPrefix } from '../../src/storage/redis/delete-prefix.js';
import { RedisSubscriptionStore, subscriptionKeys } from '../../src/subscriptions/redis-store.js';
import { systemClock } from '../../src/tickets/ticket-store.js';
import { testRedisUrl } from '../helpers/redis.js';
import { TEST_SCRYPT } from '../staff/helper.js';

export type BackendName = 'sqlite' | 'redis';

/** China time → the instant: china('2026-11-24 10:00'). */
export const china = (s: string): Date => new Date(`${s.replace(' ', 'T')}:00+08:00`);

export interface FakeWechat {
  base: string;
  templates: Array<{ touser: string; template_id: string; data: Record<string, { value: string }> }>;
  texts: Array<{ touser: string; content: string }>;
  close(): Promise<void>;
}

export const UNFOLLOWED = 'oWx_unfollowed';

export async function fakeWechat(): Promise<FakeWechat> {
  const templates: FakeWechat['templates'] = [];
  const texts: FakeWechat['texts'] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      res.setHeader('content-type', 'application/json');
      if (url.pathname === '/cgi-bin/token') return res.end(JSON.stringify({ access_token: 'tok-1', expires_in: 7200 }));
      if (url.searchParams.get('access_token') !== 'tok-1') return res.end(JSON.stringify({ errcode: 40001, errmsg: 'invalid credential' }));
      const body = JSON.parse(raw) as Record<string, unknown>;
      // A follower who has since unfollowed the account.
      if (body.touser === UNFOLLOWED) return res.end(JSON.stringify({ errcode: 43004, errmsg: 'require subscribe' }));
      if (url.pathname === '/cgi-bin/message/template/send') {
        templates.push(body as unknown as FakeWechat['templates'][number]);
        return res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', msgid: templates.length }));
      }
      if (url.pathname === '/cgi-bin/message/custom/send') {
        texts.push({ touser: body.touser as string, content: (body.text as { content: string }).content });
        return res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
      }
      res.statusCode = 404;
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, templates, texts, close: () => new Promise((r) => server.close(() => r())) };
}

/** Where one test's data lives; `open()` may be called again over the same data (a restart). */
export interface NoticeData {
  backend: BackendName;
  dataDir: string;
  prefix: string;
  clock: { now: Date };
  wechat: FakeWechat;
  dispose(): Promise<void>;
}

export async function noticeData(backend: BackendName, start: Date): Promise<NoticeData> {
  const dataDir = mkdtempSync(join(tmpdir(), 'epa-notices-'));
  const prefix = `epa-test:${randomUUID()}:`;
  const wechat = await fakeWechat();
  return {
    backend,
    dataDir,
    prefix,
    clock: { now: start },
    wechat,
    async dispose() {
      await wechat.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (backend === 'redis') {
        const redis = new Redis(testRedisUrl());
        await deleteKeysWithPrefix(redis, prefix);
        await redis.quit();
      }
    },
  };
}

export interface NoticeApp {
  app: FastifyInstance;
  assistant: Assistant;
  /** What the SMS log provider logged ("sms (logging only)"). */
  smsLogged(): Array<{ phone: string; content: string }>;
  say(channel: Channel, userId: string, text: string): Promise<string>;
  /** assistant.publications.emit, then waits for the sending it started. */
  emit(p: Publication): Promise<unknown[]>;
  /** A new staff account (random name) on this app's account store. */
  staffUser(): Promise<{ username: string; password: string }>;
  staffAuth(): Promise<{ authorization: string }>;
  close(): Promise<void>;
}

export async function openNoticeApp(d: NoticeData, env: Record<string, string> = {}): Promise<NoticeApp> {
  const config = loadConfig({
    DATA_DIR: d.dataDir,
    LOG_LEVEL: 'info',
    TODAY: '2026-11-24',
    RATE_LIMIT_PER_MINUTE: '1000',
    WECHAT_TOKEN: 'wx-token',
    WECHAT_APP_ID: 'wx-app',
    WECHAT_APP_SECRET: 'wx-secret',
    WECHAT_API_BASE: d.wechat.base,
    WECHAT_NOTICE_TEMPLATE_ID: 'tpl-policy-update',
    SMS_WEBHOOK_TOKEN: 'sms-hook-token-0123456789',
    ...(d.backend === 'redis' ? { REDIS_URL: testRedisUrl() } : {}),
    ...env,
  });
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  const assistant = await createAssistant(config, {
    log,
    clock: () => d.clock.now,
    noticeIntervalMs: 0,
    ...(d.backend === 'redis' ? { subscriptionStore: new RedisSubscriptionStore(new Redis(testRedisUrl()), subscriptionKeys(d.prefix), { ownsConnection: true }) } : {}),
  });
  const app = await buildApp(assistant, { logLevel: 'silent' });
  await app.ready();
  const sms = channelRuntime(assistant)?.sms;
  if (!sms) throw new Error('SMS channel not configured');
  const t: NoticeApp = {
    app,
    assistant,
    smsLogged: () => lines.filter((l) => l.msg === 'sms (logging only)').map((l) => ({ phone: String(l.phone), content: String(l.content) })),
    async say(channel, userId, text) {
      const receivedAt = d.clock.now;
      if (channel === 'sms') return (await sms.receive(assistant.engine, userId, text, receivedAt)).join('\n');
      if (channel === 'web') {
        const res = await app.inject({ method: 'POST', url: '/api/chat', payload: { userId, text } });
        if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${res.body}`);
        return (res.json() as { replies: { text: string }[] }).replies.map((r) => r.text).join('\n');
      }
      const r = await assistant.engine.handle({ channel, userId, text, receivedAt });
      return r.replies.map((x) => x.text).join('\n');
    },
    async emit(p) {
      const errors = await assistant.publications.emit(p);
      // The notices are queued when emit returns; their sending runs in the background.
      await assistant.subscriptions.settled();
      return errors;
    },
    async staffUser() {
      const username = `reach.${randomUUID().slice(0, 8)}`;
      const password = 'reach-viewer-pass-1';
      await new StaffAccounts(assistant.staffAccounts, systemClock, TEST_SCRYPT).create('test', { username, password, role: 'staff', displayName: '触达' });
      return { username, password };
    },
    async staffAuth() {
      const { username, password } = await t.staffUser();
      const res = await app.inject({ method: 'POST', url: '/api/staff/login', payload: { username, password } });
      if (res.statusCode !== 200) throw new Error(`login ${res.statusCode}: ${res.body}`);
      return { authorization: `Bearer ${(res.json() as { token: string }).token}` };
    },
    close: () => app.close(),
  };
  return t;
}

export function publication(p: Partial<Publication> & Pick<Publication, 'docId' | 'title' | 'programmeIds'>): Publication {
  return { region: 'pingdingshan', action: 'published', by: 'zhao.admin', at: new Date().toISOString(), ...p };
}
