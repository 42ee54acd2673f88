/**
 * Races across two real gateway processes sharing one real redis-server (issue 16, item 9, and the
 * nonce memory of item 1):
 * - turns of one conversation sent to both gateways at the same moment are serialised by the
 *   per-conversation lock in Redis: no turn overwrites another's session (every message is in the
 *   history);
 * - the unanswered-questions log counts every occurrence recorded by either gateway (atomic tally);
 * - a WeChat nonce used at one gateway cannot be replayed with another body at the other.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { UnansweredLog } from '../../src/answers/unanswered-log.js';
import { sha1Signature } from '../../src/channels/wechat-oa/crypto.js';
import { sessionKey, type ConversationState } from '../../src/dialogue/state.js';
import { createStores, type Stores } from '../../src/storage/create-stores.js';
import { chat, startGateway, startRedis, type Gateway, type RedisProcess } from './processes.js';

const WECHAT_TOKEN = 'cross-gateway-token';
let redis: RedisProcess;
let a: Gateway;
let b: Gateway;
let stores: Stores;

beforeAll(async () => {
  redis = await startRedis();
  const env = { REDIS_URL: redis.url, WECHAT_TOKEN, RATE_LIMIT_PER_MINUTE: '1000', RATE_LIMIT_IP_PER_MINUTE: '0' };
  [a, b] = await Promise.all([startGateway(env), startGateway(env)]);
  stores = createStores({ dataDir: a.dataDir, redisUrl: redis.url });
}, 120_000);

afterAll(async () => {
  await stores?.close();
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.stop();
});

it('messages of one conversation sent to both gateways at once all land in its session', async () => {
  const users = Array.from({ length: 12 }, (_, i) => `race-${i}-${Date.now()}`);
  const texts = ['创业担保贷款能贷多少', '就业见习补贴标准', '一次性创业补贴多少钱'];
  await Promise.all(
    users.flatMap((u) =>
      texts.map(async (text, i) => {
        const res = await chat(i % 2 ? b : a, u, text, `${u}-m${i}`);
        expect(res.status, res.text).toBe(200);
      }),
    ),
  );
  const lost: string[] = [];
  for (const u of users) {
    const state = await stores.sessions.get<ConversationState>(sessionKey('web', u));
    const said = new Set(state?.history.filter((h) => h.from === 'user').map((h) => h.text));
    for (const t of texts) if (!said.has(t)) lost.push(`${u}: ${t}`);
  }
  console.log(`cross-gateway: ${users.length * texts.length} concurrent turns over 2 gateways, ${lost.length} lost`);
  expect(lost).toEqual([]);
}, 120_000);

it('the unanswered log counts every occurrence recorded by either gateway', async () => {
  const question = '火星上的最低工资是多少';
  const log = new UnansweredLog(stores.sessions);
  const before = (await log.list(300)).find((e) => e.text === question)?.count ?? 0;
  const n = 16;
  await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const res = await chat(i % 2 ? b : a, `unanswered-${i}-${Date.now()}`, question);
      expect(res.status).toBe(200);
    }),
  );
  const entry = (await log.list(300)).find((e) => e.text === question);
  expect(entry, 'the question was recorded as unanswered').toBeDefined();
  expect(entry!.count - before).toBe(n);
}, 120_000);

it('a WeChat nonce used at one gateway cannot be replayed with another body at the other', async () => {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9));
  const url = (gw: Gateway) => `${gw.url}/webhooks/wechat?${new URLSearchParams({ signature: sha1Signature(WECHAT_TOKEN, timestamp, nonce), timestamp, nonce })}`;
  const xml = (from: string, content: string, id: string) =>
    `<xml><ToUserName>gh</ToUserName><FromUserName>${from}</FromUserName><CreateTime>${timestamp}</CreateTime><MsgType>text</MsgType><Content>${content}</Content><MsgId>${id}</MsgId></xml>`;
  const post = (gw: Gateway, body: string) => fetch(url(gw), { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
  const original = xml('o-victim', '你好', '9001');
  expect((await post(a, original)).status).toBe(200);
  // WeChat's retry of the very same push reaching the other gateway: accepted (and not a second turn).
  expect((await post(b, original)).status).toBe(200);
  // The captured URL with a forged message, at the other gateway: refused.
  expect((await post(b, xml('o-impostor', '老板欠我3个月工资', '9002'))).status).toBe(401);
  expect(await stores.sessions.get(sessionKey('wechat', 'o-impostor'))).toBeNull();
}, 60_000);
