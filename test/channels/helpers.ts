/** The real app with the channel adapters built from the configuration and test doubles injected. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { createAssistant, type Assistant } from '../../src/assistant.js';
import { channelOutbounds, type ChannelDeps } from '../../src/channels/index.js';
import type { SmsSender } from '../../src/channels/sms/senders.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { createStores } from '../../src/storage/create-stores.js';

export interface ChannelTestApp {
  app: FastifyInstance;
  assistant: Assistant;
  close(): Promise<void>;
}

export async function createChannelApp(env: Record<string, string>, deps: Partial<ChannelDeps> = {}): Promise<ChannelTestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'epa-ch-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', TODAY: '2026-11-23', ...env });
  const log = pino({ level: 'silent' });
  const stores = createStores({ dataDir, logger: log });
  const outbound = channelOutbounds(config, { sessions: stores.sessions, log, env: { ...env }, ...deps });
  const assistant = await createAssistant(config, { stores, log, outbound });
  const app = await buildApp(assistant, { logLevel: 'silent' });
  await app.ready();
  return {
    app,
    assistant,
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const fixture = (name: string): string => readFileSync(join(import.meta.dirname, '../fixtures/channels', name), 'utf8');

/** An SMS sender that records what would have been sent. */
export function recordingSender(): SmsSender & { sent: { phone: string; content: string }[]; to(phone: string): string[] } {
  const sent: { phone: string; content: string }[] = [];
  return {
    sent,
    async send(phone, content) {
      sent.push({ phone, content });
    },
    to(phone) {
      return sent.filter((s) => s.phone === phone).map((s) => s.content);
    },
  };
}

/** A local stand-in for api.weixin.qq.com on 127.0.0.1. */
export interface FakeWechatApi {
  base: string;
  tokenCalls: number;
  messages: { touser: string; content: string; token: string }[];
  close(): Promise<void>;
}

export async function fakeWechatApi(): Promise<FakeWechatApi> {
  const state = { tokenCalls: 0, messages: [] as FakeWechatApi['messages'] };
  const body = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let b = '';
      req.on('data', (c: Buffer) => (b += c.toString('utf8')));
      req.on('end', () => resolve(b));
    });
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      res.setHeader('content-type', 'application/json');
      if (url.pathname === '/cgi-bin/token') {
        state.tokenCalls++;
        res.end(JSON.stringify({ access_token: `tok-${state.tokenCalls}`, expires_in: 7200 }));
        return;
      }
      if (url.pathname === '/cgi-bin/message/custom/send') {
        const json = JSON.parse(await body(req)) as { touser: string; text: { content: string } };
        state.messages.push({ touser: json.touser, content: json.text.content, token: url.searchParams.get('access_token') ?? '' });
        res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
        return;
      }
      res.statusCode = 404;
      res.end('{}');
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    base: `http://127.0.0.1:${port}`,
    get tokenCalls() {
      return state.tokenCalls;
    },
    messages: state.messages,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
