import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sha1Signature, WechatCrypto } from '../../src/channels/wechat-oa/crypto.js';
import { parseWechatMessage, parseXmlRoot } from '../../src/channels/wechat-oa/xml.js';
import { UNSUPPORTED_MESSAGE_TEXT } from '../../src/channels/reply-text.js';
import { sessionKey, type ConversationState } from '../../src/dialogue/state.js';
import { createChannelApp, fakeWechatApi, fixture, type ChannelTestApp, type FakeWechatApi } from './helpers.js';

const verify = JSON.parse(fixture('wechat_get_verify_official.json')) as {
  token: string;
  query: Record<string, string>;
  expect_body: string;
};
const safe = JSON.parse(fixture('wechat_encrypted_official_demo.json')) as {
  token: string;
  encodingAESKey: string;
  appid: string;
  query: Record<string, string>;
  encrypt: string;
  decrypted_plain: string;
};

describe('WeChat crypto with the official vectors', () => {
  it('the GET verification signature of the docs matches', () => {
    const q = verify.query;
    expect(sha1Signature(verify.token, q.timestamp!, q.nonce!)).toBe(q.signature);
  });

  it('the safe-mode demo: msg_signature matches and Encrypt decrypts to the documented XML', () => {
    const c = new WechatCrypto(safe.token, safe.encodingAESKey, safe.appid);
    expect(c.msgSignature(safe.query.timestamp!, safe.query.nonce!, safe.encrypt)).toBe(safe.query.msg_signature);
    expect(c.decrypt(safe.encrypt)).toBe(safe.decrypted_plain);
    expect(c.decrypt(c.encrypt('<xml>你好</xml>'))).toBe('<xml>你好</xml>');
    expect(() => new WechatCrypto(safe.token, safe.encodingAESKey, 'wx-other').decrypt(safe.encrypt)).toThrow();
  });

  it('MsgId and a numeric Content stay strings', () => {
    const m = parseWechatMessage(safe.decrypted_plain.replace('abcdteT', '123'));
    expect(m?.MsgId).toBe('6054768590064713728');
    expect(m?.Content).toBe('123');
    expect(parseXmlRoot('<xml><a>1</a>')).toBeNull();
    expect(parseWechatMessage('<xml><MsgType>text</MsgType></xml>')).toBeNull();
  });
});

const TOKEN = 'AAAAA';
const signed = (extra: Record<string, string> = {}, token = TOKEN) => {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9));
  return new URLSearchParams({ signature: sha1Signature(token, timestamp, nonce), timestamp, nonce, ...extra }).toString();
};
const textXml = (from: string, content: string, msgId: string, type = 'text') =>
  `<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>1348831860</CreateTime><MsgType><![CDATA[${type}]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`;
const contentOf = (xml: string) => parseWechatMessage(xml)?.Content ?? '';

describe('the Official Account webhook, plain mode', () => {
  let t: ChannelTestApp;
  let api: FakeWechatApi;
  /** The webhook's clock: the real one, or the time of a signed official vector. */
  let clock: Date | null = null;
  const post = (xml: string, query = signed()) =>
    t.app.inject({ method: 'POST', url: `/webhooks/wechat?${query}`, headers: { 'content-type': 'text/xml' }, payload: xml });
  const turns = async (openid: string) =>
    (await t.assistant.stores.sessions.get<ConversationState>(sessionKey('wechat', openid)))?.history.filter((h) => h.from === 'user').length ?? 0;

  beforeAll(async () => {
    api = await fakeWechatApi();
    t = await createChannelApp(
      { WECHAT_TOKEN: TOKEN, WECHAT_APP_ID: 'wx-test', WECHAT_APP_SECRET: 'secret' },
      { wechatApiBase: api.base, wechatNow: () => clock ?? new Date() },
    );
  });
  afterAll(async () => {
    await t.close();
    await api.close();
  });

  it('answers the official GET handshake with echostr, and refuses a forged one', async () => {
    clock = new Date(Number(verify.query.timestamp) * 1000 + 30_000);
    const ok = await t.app.inject({ method: 'GET', url: `/webhooks/wechat?${new URLSearchParams(verify.query)}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe(verify.expect_body);
    const forged = await t.app.inject({ method: 'GET', url: `/webhooks/wechat?${new URLSearchParams({ ...verify.query, nonce: '1' })}` });
    expect(forged.statusCode).toBe(401);
    expect(forged.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    expect((await t.app.inject({ method: 'GET', url: '/webhooks/wechat' })).statusCode).toBe(400);
    clock = null;
    // The same signed handshake, now that its timestamp is long past: refused.
    const old = await t.app.inject({ method: 'GET', url: `/webhooks/wechat?${new URLSearchParams(verify.query)}` });
    expect(old.statusCode).toBe(401);
  });

  it('refuses a correctly signed push dated more than 5 minutes away (2012, or the future)', async () => {
    const at = (seconds: number) => {
      const timestamp = String(seconds);
      const nonce = String(Math.floor(Math.random() * 1e9));
      return new URLSearchParams({ signature: sha1Signature(TOKEN, timestamp, nonce), timestamp, nonce }).toString();
    };
    const xml = textXml('o-replay-2012', '老板欠我工资', '2012');
    const nowS = Math.floor(Date.now() / 1000);
    expect((await post(xml, at(1348831860))).statusCode).toBe(401);
    expect((await post(xml, at(nowS + 6 * 60))).statusCode).toBe(401);
    expect((await post(xml, at(nowS - 6 * 60))).statusCode).toBe(401);
    expect(await turns('o-replay-2012')).toBe(0);
    // Within the window (WeChat's clock a little off ours): accepted.
    expect((await post(xml, at(nowS - 60))).statusCode).toBe(200);
    expect(await turns('o-replay-2012')).toBe(1);
  });

  it('accepts a nonce again only for the identical push (a retry); with another body it is a forgery', async () => {
    const query = signed();
    const mine = textXml('o-nonce-victim', '你好', '3001');
    expect((await post(mine, query)).statusCode).toBe(200);
    // WeChat's retry of the same push, same URL: fine, and still one turn.
    expect((await post(mine, query)).statusCode).toBe(200);
    expect(await turns('o-nonce-victim')).toBe(1);
    // A captured URL reused to post a message as somebody else: refused.
    const forged = await post(textXml('o-someone-else', '老板欠我3个月工资', '3002'), query);
    expect(forged.statusCode).toBe(401);
    expect(await turns('o-someone-else')).toBe(0);
  });

  it('keys answers by openid + MsgId: another openid with the same MsgId gets its own answer', async () => {
    const a = contentOf((await post(textXml('o-first', '你好', '777000'))).body);
    const b = contentOf((await post(textXml('o-second', '创业担保贷款能贷多少', '777000'))).body);
    expect(b).toMatch(/贷/);
    expect(b).not.toBe(a);
    expect(await turns('o-first')).toBe(1);
    expect(await turns('o-second')).toBe(1);
  });

  it('answers the documented text message with a passive reply, To/From swapped', async () => {
    const res = await post(fixture('wechat_text_plain.xml'));
    expect(res.statusCode).toBe(200);
    const m = parseWechatMessage(res.body);
    expect(m).toMatchObject({ ToUserName: 'fromUser', FromUserName: 'toUser', MsgType: 'text' });
    expect(m?.Content?.length).toBeGreaterThan(0);
  });

  it('answers a policy question and handles a retry of the same MsgId once, with the same reply', async () => {
    const xml = textXml('o-policy', '刚毕业还没找到工作，有什么补贴', '9223372036854775807001');
    const first = await post(xml);
    const retry = await post(xml);
    expect(contentOf(first.body)).toMatch(/补贴/);
    expect(contentOf(retry.body)).toBe(contentOf(first.body));
    expect(await turns('o-policy')).toBe(1);
  });

  it('refuses forged, malformed and oversized pushes without a turn', async () => {
    const xml = textXml('o-forged', '你好', '111');
    const forged = await post(xml, signed({}, 'wrong-token'));
    expect(forged.statusCode).toBe(401);
    expect((await post('<xml><Content>no sender</Content></xml>')).statusCode).toBe(400);
    expect((await post('not xml at all')).statusCode).toBe(400);
    const json = await t.app.inject({ method: 'POST', url: `/webhooks/wechat?${signed()}`, payload: { a: 1 } });
    expect(json.statusCode).toBe(400);
    const huge = await post(textXml('o-forged', '长'.repeat(40_000), '112'));
    expect(huge.statusCode).toBe(413);
    expect(await turns('o-forged')).toBe(0);
    // The server is still fine.
    expect(contentOf((await post(xml)).body).length).toBeGreaterThan(0);
  });

  it('welcomes a new follower with the menu, and "1" then picks its first option', async () => {
    const ev = `<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[o-sub]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event></xml>`;
    const welcome = contentOf((await post(ev)).body);
    expect(welcome).toMatch(/1[.、．]/);
    const replay = await post(ev);
    expect(contentOf(replay.body)).toBe(welcome);
    const pick = contentOf((await post(textXml('o-sub', '1', '5001'))).body);
    expect(pick.length).toBeGreaterThan(0);
    expect(pick).not.toBe(welcome);
    const unsub = await post(ev.replace('subscribe', 'unsubscribe').replace('1700000000', '1700000001'));
    expect(unsub.body).toBe('success');
  });

  it('treats recognised voice as text and says what it heard; other messages get a polite explanation', async () => {
    const voice = await post(fixture('wechat_voice_recognition.xml').replace('腾讯微信团队', '找工作补贴去哪申请').replace('1234567890123456', '76'));
    expect(contentOf(voice.body)).toMatch(/^您说的是：“找工作补贴去哪申请”/);
    const empty = await post(fixture('wechat_voice_recognition.xml').replace('腾讯微信团队', '').replace('1234567890123456', '77'));
    expect(contentOf(empty.body)).toBe(UNSUPPORTED_MESSAGE_TEXT);
    const image = `<xml><ToUserName><![CDATA[gh]]></ToUserName><FromUserName><![CDATA[o-img]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://x/y.jpg]]></PicUrl><MediaId><![CDATA[m]]></MediaId><MsgId>88</MsgId></xml>`;
    expect(contentOf((await post(image)).body)).toBe(UNSUPPORTED_MESSAGE_TEXT);
    const location = image.replace('image', 'location').replace('<MsgId>88', '<MsgId>89');
    expect(contentOf((await post(location)).body)).toBe(UNSUPPORTED_MESSAGE_TEXT);
  });
});

describe('late answers go as customer-service messages', () => {
  let t: ChannelTestApp;
  let api: FakeWechatApi;
  beforeAll(async () => {
    api = await fakeWechatApi();
    t = await createChannelApp(
      { WECHAT_TOKEN: TOKEN, WECHAT_APP_ID: 'wx-test', WECHAT_APP_SECRET: 'secret' },
      // No answer is ready this fast: every push is answered `success` and the reply pushed later.
      { wechatApiBase: api.base, wechatReplyDeadlineMs: 0 },
    );
  });
  afterAll(async () => {
    await t.close();
    await api.close();
  });

  it('answers success, then sends the reply once through the API with a cached access token', async () => {
    const post = (xml: string) =>
      t.app.inject({ method: 'POST', url: `/webhooks/wechat?${signed()}`, headers: { 'content-type': 'text/xml' }, payload: xml });
    const xml = textXml('o-late', '创业担保贷款能贷多少', '42');
    expect((await post(xml)).body).toBe('success');
    await vi.waitFor(() => expect(api.messages.filter((m) => m.touser === 'o-late')).toHaveLength(1), { timeout: 10_000 });
    expect((await post(xml)).body).toBe('success'); // WeChat's retry: nothing new
    expect((await post(textXml('o-late', '那要什么材料', '43'))).body).toBe('success');
    await vi.waitFor(() => expect(api.messages.filter((m) => m.touser === 'o-late')).toHaveLength(2), { timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 200));
    expect(api.messages.filter((m) => m.touser === 'o-late')).toHaveLength(2);
    expect(api.messages[0]?.content).toMatch(/贷/);
    expect(api.tokenCalls).toBe(1);
    expect(api.messages.every((m) => m.token === 'tok-1')).toBe(true);
  });
});

describe('the Official Account webhook, safe mode (official demo values)', () => {
  let t: ChannelTestApp;
  beforeAll(async () => {
    // The demo push is signed with its own timestamp: the webhook's clock is set to that time.
    const at = new Date(Number(safe.query.timestamp) * 1000 + 10_000);
    t = await createChannelApp(
      { WECHAT_TOKEN: safe.token, WECHAT_APP_ID: safe.appid, WECHAT_ENCODING_AES_KEY: safe.encodingAESKey },
      { wechatNow: () => at },
    );
  });
  afterAll(async () => t.close());
  const body = (enc: string) => `<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><Encrypt><![CDATA[${enc}]]></Encrypt></xml>`;

  it('decrypts the demo push and answers with an encrypted, signed reply', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/webhooks/wechat?${new URLSearchParams(safe.query)}`,
      headers: { 'content-type': 'text/xml' },
      payload: body(safe.encrypt),
    });
    expect(res.statusCode).toBe(200);
    const env = parseXmlRoot(res.body) as Record<string, string>;
    const c = new WechatCrypto(safe.token, safe.encodingAESKey, safe.appid);
    expect(c.msgSignature(env.TimeStamp!, env.Nonce!, env.Encrypt!)).toBe(env.MsgSignature);
    const inner = parseWechatMessage(c.decrypt(env.Encrypt!));
    expect(inner).toMatchObject({ ToUserName: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs', FromUserName: 'gh_10f6c3c3ac5a', MsgType: 'text' });
    expect(inner?.Content?.length).toBeGreaterThan(0);
  });

  it('refuses a forged msg_signature and a tampered body', async () => {
    const forged = await t.app.inject({
      method: 'POST',
      url: `/webhooks/wechat?${new URLSearchParams({ ...safe.query, msg_signature: '0'.repeat(40) })}`,
      headers: { 'content-type': 'text/xml' },
      payload: body(safe.encrypt),
    });
    expect(forged.statusCode).toBe(401);
    const tampered = await t.app.inject({
      method: 'POST',
      url: `/webhooks/wechat?${new URLSearchParams(safe.query)}`,
      headers: { 'content-type': 'text/xml' },
      payload: body(`A${safe.encrypt.slice(1)}`),
    });
    expect(tampered.statusCode).toBe(401);
    // Correctly signed garbage: not decryptable → 400.
    const c = new WechatCrypto(safe.token, safe.encodingAESKey, safe.appid);
    const garbage = 'Zm9vYmFy';
    // (A nonce of its own: the demo's nonce was used by the first push, and a nonce is accepted once.)
    const q = { ...safe.query, nonce: '998877', msg_signature: c.msgSignature(safe.query.timestamp!, '998877', garbage) };
    const bad = await t.app.inject({ method: 'POST', url: `/webhooks/wechat?${new URLSearchParams(q)}`, headers: { 'content-type': 'text/xml' }, payload: body(garbage) });
    expect(bad.statusCode).toBe(400);
  });
});
