/**
 * "原文" (issue 19, item 1) on SMS and WeChat, and the personal-data notice by SMS (item 2): the clause an answer was written from, with its
 * sub-clauses, split to the channel's limits — SMS pages within the segment budget (signature and
 * template counted, src/channels/sms/length.ts), WeChat messages within 2048 bytes — and nothing lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha1Signature } from '../../src/channels/wechat-oa/crypto.js';
import { parseWechatMessage } from '../../src/channels/wechat-oa/xml.js';
import { lengthBudget, MORE_PROMPT, renderSms, smsLength } from '../../src/channels/sms/length.js';
import { createChannelApp, fakeWechatApi, recordingSender, type ChannelTestApp, type FakeWechatApi } from './helpers.js';

/** Wording of 第十条1. and of its last sub-clause (knowledge/docs/pds-2023-23-startup-loans.md). */
const OPENING = '借款申请人（以下简称申请人）填写';
const LAST_ITEM = '（4）其他按规定需要提供的申请材料';
const flat = (s: string) => s.replace(/\s+/g, '');

describe('"原文" by SMS', () => {
  let t: ChannelTestApp;
  const sender = recordingSender();
  const template = { signName: '平顶山人社', template: '您好，${content}' };
  let seq = 1;
  const sms = async (content: string, phone = '13900002222'): Promise<string[]> => {
    const before = sender.sent.length;
    await t.app.inject({
      method: 'POST',
      url: '/webhooks/sms/aliyun/tok',
      payload: [{ phone_number: phone, send_time: '2026-11-23 10:00:00', content, sign_name: '平顶山人社', dest_code: '1234', sequence_id: seq++ }],
    });
    return sender.sent.slice(before).map((s) => s.content);
  };

  beforeAll(async () => {
    t = await createChannelApp({ SMS_WEBHOOK_TOKEN: 'tok', SMS_SIGN_NAME: template.signName, SMS_TEMPLATE: template.template, SMS_MAX_SEGMENTS: '2' }, { smsSender: sender });
  });
  afterAll(async () => t.close());

  it('pages the clause and its sub-clauses, each page within two segments as received', async () => {
    await sms('创业担保贷款能贷多少');
    expect((await sms('要带啥材料')).join('')).toContain('身份证');
    const pages = await sms('原文');
    for (let i = 0; i < 10 && pages.at(-1)!.endsWith(MORE_PROMPT); i++) pages.push(...(await sms('1')));
    expect(pages.length).toBeGreaterThan(1);
    for (const p of pages) expect(smsLength(renderSms(template, p))).toBeLessThanOrEqual(lengthBudget(2));
    const whole = flat(pages.map((p) => p.replace(MORE_PROMPT, '')).join(''));
    expect(whole).toContain(flat(OPENING));
    expect(whole).toContain(flat(LAST_ITEM));
    expect(whole).toContain('平人社〔2023〕23号');
  });

  it('gives the personal-data notice once with the read-back (the sender is the phone), within two segments', async () => {
    const phone = '13900003333';
    await sms('老板欠我工资', phone);
    await sms('叶县鑫达纸箱厂', phone);
    const readBack = await sms('欠了两万', phone);
    expect(readBack).toHaveLength(1);
    expect(readBack[0]).toMatch(/^说明：称呼和手机号只用于办这件投诉.*办结180天后删除.*\n请核对：/);
    expect(smsLength(renderSms(template, readBack[0]!))).toBeLessThanOrEqual(lengthBudget(2));
    expect((await sms('姓李', phone)).join('')).not.toContain('说明：');
  });
});

describe('"原文" by WeChat', () => {
  let t: ChannelTestApp;
  let api: FakeWechatApi;
  let msgId = 5000;
  const post = async (content: string): Promise<string> => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = String(msgId);
    const query = new URLSearchParams({ signature: sha1Signature('TOK', timestamp, nonce), timestamp, nonce }).toString();
    const xml = `<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[o-original]]></FromUserName><CreateTime>1348831860</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId++}</MsgId></xml>`;
    const res = await t.app.inject({ method: 'POST', url: `/webhooks/wechat?${query}`, headers: { 'content-type': 'text/xml' }, payload: xml });
    return parseWechatMessage(res.body)?.Content ?? '';
  };

  beforeAll(async () => {
    api = await fakeWechatApi();
    t = await createChannelApp({ WECHAT_TOKEN: 'TOK', WECHAT_APP_ID: 'wx-test', WECHAT_APP_SECRET: 'secret' }, { wechatApiBase: api.base });
  });
  afterAll(async () => {
    await t.close();
    await api.close();
  });

  it('sends the clause with its sub-clauses, every message within 2048 bytes', async () => {
    await post('创业担保贷款能贷多少');
    await post('要带啥材料');
    const before = api.messages.length;
    const passive = await post('原文');
    // A reply too long for the passive answer comes as customer-service messages instead.
    if (!passive) await expect.poll(() => api.messages.length, { timeout: 5000 }).toBeGreaterThan(before);
    const sent = [passive, ...api.messages.slice(before).map((m) => m.content)].filter(Boolean);
    for (const m of sent) expect(Buffer.byteLength(m)).toBeLessThanOrEqual(2048);
    const whole = flat(sent.join(''));
    expect(whole).toContain(flat(OPENING));
    expect(whole).toContain(flat(LAST_ITEM));
  });
});
