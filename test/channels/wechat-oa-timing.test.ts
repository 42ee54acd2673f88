/**
 * The 5-second rule with a controllable engine: a retry that arrives while the first push is still
 * being answered waits for the same turn (no second turn) and takes the answer passively; a failed
 * turn is answered 503 (never `success`, which would lose the message) and WeChat's retry is handled
 * afresh; the access token is refreshed when WeChat says it expired.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WechatClient, wechatOutbound, type HttpJson } from '../../src/channels/wechat-oa/client.js';
import { Undeliverable } from '../../src/complaints/notifier.js';
import { sha1Signature } from '../../src/channels/wechat-oa/crypto.js';
import { wechatOaPlugin, type EngineLike } from '../../src/channels/wechat-oa/plugin.js';
import { parseWechatMessage } from '../../src/channels/wechat-oa/xml.js';
import { installErrorHandler } from '../../src/server/error-handler.js';

const deferred = <T>() => {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

/** The session store's markSeen/forgetSeen, in memory, for the plugin alone. */
const memoryNonces = () => {
  const seen = new Set<string>();
  return {
    markSeen: async (scope: string, id: string) => (seen.has(`${scope}|${id}`) ? false : (seen.add(`${scope}|${id}`), true)),
    forgetSeen: async (scope: string, id: string) => void seen.delete(`${scope}|${id}`),
  };
};

let app: FastifyInstance;
afterEach(async () => app?.close());

async function build(engine: EngineLike, client: WechatClient | null, deadlineMs: number) {
  app = Fastify();
  installErrorHandler(app);
  // The pushes are dated timestamp=1: the webhook's clock says it is then.
  await app.register(wechatOaPlugin, { engine, token: 'tk', client, replyDeadlineMs: deadlineMs, nonces: memoryNonces(), now: () => new Date(1000) });
  await app.ready();
  return (content: string, msgId: string) => {
    const q = new URLSearchParams({ signature: sha1Signature('tk', '1', '2'), timestamp: '1', nonce: '2' });
    return app.inject({
      method: 'POST',
      url: `/webhooks/wechat?${q}`,
      headers: { 'content-type': 'text/xml' },
      payload: `<xml><ToUserName>gh</ToUserName><FromUserName>o-1</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>${content}</Content><MsgId>${msgId}</MsgId></xml>`,
    });
  };
}

describe('WeChat passive reply timing', () => {
  it('a retry during a slow turn attaches to it and receives the answer passively', async () => {
    const calls: string[] = [];
    const d = deferred<{ replies: { text: string; citations: [] }[]; duplicate: boolean }>();
    const sends: string[] = [];
    const client = { sendText: async (_o: string, t: string) => void sends.push(t) } as unknown as WechatClient;
    const post = await build({ handle: async (m) => (calls.push(m.text), d.promise) }, client, 50);
    expect((await post('123', '1')).body).toBe('success'); // first push: too slow
    const retry = post('123', '1'); // WeChat's retry while the turn still runs
    await new Promise((r) => setTimeout(r, 10));
    d.resolve({ replies: [{ text: '答复', citations: [] }], duplicate: false });
    expect(parseWechatMessage((await retry).body)?.Content).toBe('答复');
    expect(calls).toEqual(['123']); // Content "123" reached the engine as a string, once
    expect(sends).toEqual([]); // answered passively, not also as a customer-service message
  });

  it('a failed turn (storage down) is answered 503, not success, and the retry is handled', async () => {
    let n = 0;
    const post = await build(
      {
        handle: async () => {
          n++;
          if (n === 1) throw new Error('store away');
          return { replies: [{ text: '好的', citations: [] }], duplicate: false };
        },
      },
      null,
      1_000,
    );
    const failed = await post('你好', '2');
    expect(failed.statusCode).toBe(503);
    expect(failed.body).not.toBe('success');
    expect(parseWechatMessage((await post('你好', '2')).body)?.Content).toBe('好的');
    expect(n).toBe(2);
  });
});

describe('a turn that fails after WeChat was answered success', () => {
  it('is handled again by the gateway and answered as a customer-service message', async () => {
    let n = 0;
    const sends: string[] = [];
    const client = { sendText: async (_o: string, t: string) => void sends.push(t) } as unknown as WechatClient;
    const post = await build(
      {
        handle: async () => {
          n++;
          // The first try fails only after the passive deadline (storage timing out).
          if (n === 1) await new Promise((r) => setTimeout(r, 100)).then(() => Promise.reject(new Error('store away')));
          return { replies: [{ text: '补上的答复', citations: [] }], duplicate: false };
        },
      },
      client,
      20,
    );
    expect((await post('你好', '3')).body).toBe('success'); // too slow: WeChat will not retry
    await vi.waitFor(() => expect(sends).toEqual(['补上的答复']), { timeout: 15_000, interval: 100 });
    expect(n).toBe(2);
  });
});

describe('WeChat API client', () => {
  it('caches the access token and fetches a new one when WeChat says it expired', async () => {
    const log: string[] = [];
    let tokens = 0;
    let failOnce = true;
    const http: HttpJson = {
      async request(method, url) {
        const u = new URL(url);
        log.push(`${method} ${u.pathname}`);
        if (u.pathname === '/cgi-bin/token') return { access_token: `t${++tokens}`, expires_in: 7200 };
        if (failOnce) {
          failOnce = false;
          return { errcode: 42001, errmsg: 'access_token expired' };
        }
        return { errcode: 0, errmsg: 'ok' };
      },
    };
    const c = new WechatClient({ appId: 'a', appSecret: 's', http, baseUrl: 'http://127.0.0.1:1' });
    await c.sendText('o', '一');
    await c.sendText('o', '二');
    expect(tokens).toBe(2);
    expect(log.filter((l) => l.endsWith('/token'))).toHaveLength(2);
    const errors: HttpJson = { request: async (_m, u) => (u.includes('/token') ? { errcode: 40125, errmsg: 'invalid appsecret' } : {}) };
    await expect(new WechatClient({ appId: 'a', appSecret: 'bad', http: errors }).sendText('o', 'x')).rejects.toThrow(/40125/);
  });

  it('a customer-service message WeChat refuses for good (48-hour window, unfollowed) is undeliverable; other errors stay retryable', async () => {
    const answer = (errcode: number): HttpJson => ({
      request: async (_m, u) => (u.includes('/token') ? { access_token: 't', expires_in: 7200 } : { errcode, errmsg: 'x' }),
    });
    const send = (errcode: number) =>
      wechatOutbound(new WechatClient({ appId: 'a', appSecret: 's', http: answer(errcode) })).send('wechat', 'o_1', '您的工单已受理');
    await expect(send(45015)).rejects.toThrow(new Undeliverable('用户超过48小时未与公众号互动，微信不允许再发客服消息'));
    await expect(send(43004)).rejects.toBeInstanceOf(Undeliverable);
    const busy = await send(45009).catch((e: unknown) => e);
    expect(busy).not.toBeInstanceOf(Undeliverable);
    expect(String(busy)).toMatch(/45009/);
    await expect(send(0)).resolves.toBeUndefined();
  });
});
