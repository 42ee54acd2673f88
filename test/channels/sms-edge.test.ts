/** SMS webhooks: the address allow-list, concurrent deliveries of one message, channel off without its token. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannelApp, recordingSender, type ChannelTestApp } from './helpers.js';

describe('SMS webhook edges', () => {
  let t: ChannelTestApp;
  const sender = recordingSender();
  beforeAll(async () => {
    t = await createChannelApp({ SMS_WEBHOOK_TOKEN: 'tok', SMS_WEBHOOK_ALLOW_IPS: '10.0.0.7' }, { smsSender: sender });
  });
  afterAll(async () => t.close());
  const push = (ip: string, seq: string, content = '你好') =>
    t.app.inject({ method: 'POST', url: '/webhooks/sms/aliyun/tok', remoteAddress: ip, payload: [{ phone_number: '13900000009', content, sequence_id: seq }] });

  it('refuses addresses outside the allow-list with a 404', async () => {
    expect((await push('10.0.0.8', 's1')).statusCode).toBe(404);
    expect(sender.sent).toHaveLength(0);
    expect((await push('10.0.0.7', 's1')).statusCode).toBe(200);
    expect(sender.sent).toHaveLength(1);
  });

  it('the same message delivered three times at once is handled once', async () => {
    const before = sender.sent.length;
    const res = await Promise.all([push('10.0.0.7', 's2', '失业金怎么领'), push('10.0.0.7', 's2', '失业金怎么领'), push('10.0.0.7', 's2', '失业金怎么领')]);
    expect(res.map((r) => r.json())).toEqual(Array(3).fill({ code: 0, msg: '接收成功' }));
    expect(sender.sent.length - before).toBe(1);
  });
});

describe('channels without configuration are off', () => {
  let t: ChannelTestApp;
  beforeAll(async () => {
    t = await createChannelApp({});
  });
  afterAll(async () => t.close());
  it('has no webhooks', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/webhooks/sms/aliyun/x', payload: [] })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/webhooks/wechat?signature=a&timestamp=1&nonce=2&echostr=3' })).statusCode).toBe(404);
  });
});
