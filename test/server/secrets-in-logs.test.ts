/**
 * Secrets in the request log: the WeChat query (signature, timestamp, nonce, msg_signature, echostr,
 * openid) and the SMS uplink's path token never appear in a log line, while the lines are still
 * written (method and path are there). And SMS token rotation: during a rotation both the current
 * and the next token are accepted, any other is a 404.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssistant } from '../../src/assistant.js';
import { channelOutbounds } from '../../src/channels/index.js';
import { sha1Signature } from '../../src/channels/wechat-oa/crypto.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { redactUrl } from '../../src/server/logger.js';
import { createStores, type Stores } from '../../src/storage/create-stores.js';
import { sessionKey, type ConversationState } from '../../src/dialogue/state.js';
import { recordingSender } from '../channels/helpers.js';

const WECHAT_TOKEN = 'wx-token-for-logs';
const SMS_CURRENT = 'sms-current-6f1d2b9a77';
const SMS_NEXT = 'sms-next-0c4e8f31aa';

let app: FastifyInstance;
let dataDir: string;
let stores: Stores;
const lines: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'epa-logs-'));
  const env = { DATA_DIR: dataDir, LOG_LEVEL: 'info', TODAY: '2026-11-23', WECHAT_TOKEN, SMS_WEBHOOK_TOKEN: `${SMS_CURRENT}, ${SMS_NEXT}` };
  const config = loadConfig(env);
  const log = pino({ level: 'silent' });
  stores = createStores({ dataDir, logger: log });
  const outbound = channelOutbounds(config, { sessions: stores.sessions, log, env, smsSender: recordingSender() });
  const assistant = await createAssistant(config, { stores, log, outbound });
  app = await buildApp(assistant, { logLevel: 'info', logStream: { write: (line: string) => void lines.push(line) } });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('request logs', () => {
  it('carry no WeChat signature, timestamp, nonce or openid, and no SMS path token', async () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = '918273645';
    const signature = sha1Signature(WECHAT_TOKEN, timestamp, nonce);
    const xml = `<xml><ToUserName>gh</ToUserName><FromUserName>o-log-user</FromUserName><CreateTime>${timestamp}</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>5550001</MsgId></xml>`;
    const q = new URLSearchParams({ signature, timestamp, nonce, openid: 'o-log-user-openid' });
    const wx = await app.inject({ method: 'POST', url: `/webhooks/wechat?${q}`, headers: { 'content-type': 'text/xml' }, payload: xml });
    expect(wx.statusCode).toBe(200);
    const sms = await app.inject({
      method: 'POST',
      url: `/webhooks/sms/aliyun/${SMS_CURRENT}`,
      payload: [{ phone_number: '13900000001', content: '你好', sequence_id: 42 }],
    });
    expect(sms.statusCode).toBe(200);
    const wrong = await app.inject({ method: 'POST', url: '/webhooks/sms/tencent/a-guessed-token-123', payload: {} });
    expect(wrong.statusCode).toBe(404);

    const log = lines.join('');
    expect(log).toContain('/webhooks/wechat?');
    expect(log).toContain('/webhooks/sms/aliyun/[redacted]');
    for (const secret of [signature, nonce, `timestamp=${timestamp}`, 'o-log-user-openid', SMS_CURRENT, 'a-guessed-token-123']) {
      expect(log, secret).not.toContain(secret);
    }
  });

  it('redactUrl keeps the path and harmless parameters, and hides secret ones however written', () => {
    expect(redactUrl('/webhooks/wechat?signature=abc&timestamp=1&nonce=2&encrypt_type=aes&msg_signature=d')).toBe(
      '/webhooks/wechat?signature=[redacted]&timestamp=[redacted]&nonce=[redacted]&encrypt_type=aes&msg_signature=[redacted]',
    );
    expect(redactUrl('/webhooks/wechat?%6Eonce=2&Signature=x')).toBe('/webhooks/wechat?%6Eonce=[redacted]&Signature=[redacted]');
    expect(redactUrl('/webhooks/sms/tencent/tok?x=1')).toBe('/webhooks/sms/tencent/[redacted]?x=1');
    expect(redactUrl('/api/tickets?status=new')).toBe('/api/tickets?status=new');
  });
});

describe('SMS token rotation', () => {
  it('accepts the current and the next token while both are listed; any other is a 404', async () => {
    const send = (token: string, sequence_id: number) =>
      app.inject({ method: 'POST', url: `/webhooks/sms/aliyun/${token}`, payload: [{ phone_number: '13900000002', content: '你好', sequence_id }] });
    expect((await send(SMS_CURRENT, 1)).statusCode).toBe(200);
    expect((await send(SMS_NEXT, 2)).statusCode).toBe(200);
    expect((await send(`${SMS_CURRENT},${SMS_NEXT}`, 3)).statusCode).toBe(404);
    expect((await send('sms-old', 4)).statusCode).toBe(404);
  });

  it('a sequence id reused for another number is that number\'s own message', async () => {
    const send = (phone: string) =>
      app.inject({ method: 'POST', url: `/webhooks/sms/aliyun/${SMS_CURRENT}`, payload: [{ phone_number: phone, content: '你好', sequence_id: 777 }] });
    expect((await send('13900000003')).statusCode).toBe(200);
    expect((await send('13900000004')).statusCode).toBe(200);
    for (const phone of ['13900000003', '13900000004']) {
      const state = await stores.sessions.get<ConversationState>(sessionKey('sms', phone));
      expect(state?.history.filter((h) => h.from === 'user'), phone).toHaveLength(1);
    }
  });
});
