import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MORE_PROMPT, paginate, renderSms, segmentCount, smsLength, templateOverhead } from '../../src/channels/sms/length.js';
import { buildAliyunSendSms, buildTencentSendSms } from '../../src/channels/sms/senders.js';
import { CANCEL_QUESTION, OPT_OUT_CONFIRMATION, RESUMED } from '../../src/channels/sms/service.js';
import { channelRuntime } from '../../src/channels/index.js';
import { normalizePhone } from '../../src/channels/sms/plugin.js';
import { sessionKey, type ConversationState } from '../../src/dialogue/state.js';
import { createChannelApp, fixture, recordingSender, type ChannelTestApp } from './helpers.js';
import { Undeliverable } from '../../src/complaints/notifier.js';

describe('SMS length as the providers count it', () => {
  it('counts signature and template, 70 in one message, then 67 per segment', () => {
    expect(smsLength('【平顶山人社】您好')).toBe(9);
    expect(segmentCount(70)).toBe(1);
    expect(segmentCount(71)).toBe(2);
    expect(segmentCount(134)).toBe(2);
    expect(segmentCount(135)).toBe(3);
    expect(templateOverhead({ signName: '平顶山人社', template: '您好，${content}' })).toBe(7 + 3);
    expect(renderSms({ signName: '平顶山人社', template: '您好，${content}' }, '内容')).toBe('【平顶山人社】您好，内容');
  });

  it('cuts at sentence ends, every page within the budget, the prompt on all but the last', () => {
    const text = Array.from({ length: 12 }, (_, i) => `第${i + 1}句话说明一项补贴的条件和金额，请携带身份证。`).join('');
    const pages = paginate(text, 120);
    expect(pages.length).toBeGreaterThan(2);
    for (const p of pages) expect(smsLength(p)).toBeLessThanOrEqual(120);
    for (const p of pages.slice(0, -1)) expect(p.endsWith(`。${MORE_PROMPT}`)).toBe(true);
    expect(pages.map((p) => p.replace(MORE_PROMPT, '')).join('')).toBe(text);
    expect(paginate('短句。', 120)).toEqual(['短句。']);
    // One sentence longer than a page is cut at a comma.
    const long = paginate(`${'很长的句子，'.repeat(40)}完。`, 100);
    for (const p of long) expect(smsLength(p)).toBeLessThanOrEqual(100);
  });

  it('builds signed Aliyun and Tencent SendSms requests', () => {
    const now = new Date('2026-11-23T08:00:00Z');
    const a = buildAliyunSendSms(
      { accessKeyId: 'id', accessKeySecret: 'secret', signName: '平顶山人社', templateCode: 'SMS_1' },
      '13800000000',
      '内容',
      { now, nonce: 'n1' },
    );
    const p = new URLSearchParams(a.body);
    expect(p.get('Action')).toBe('SendSms');
    expect(p.get('PhoneNumbers')).toBe('13800000000');
    expect(JSON.parse(p.get('TemplateParam')!)).toEqual({ content: '内容' });
    expect(p.get('Signature')).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(buildAliyunSendSms({ accessKeyId: 'id', accessKeySecret: 'secret', signName: '平顶山人社', templateCode: 'SMS_1' }, '13800000000', '内容', { now, nonce: 'n1' }).body).toBe(a.body);
    const t = buildTencentSendSms({ secretId: 'sid', secretKey: 'skey', sdkAppId: '1400000000', signName: '平顶山人社', templateId: '1' }, '13800000000', '内容', { now });
    expect(JSON.parse(t.body)).toMatchObject({ PhoneNumberSet: ['+8613800000000'], TemplateParamSet: ['内容'] });
    expect(t.headers.authorization).toMatch(/^TC3-HMAC-SHA256 Credential=sid\/2026-11-23\/sms\/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$/);
  });

  it('normalises the sender number', () => {
    expect(normalizePhone('+8613800000000')).toBe('13800000000');
    expect(normalizePhone('8613800000000')).toBe('13800000000');
    expect(normalizePhone('13800000000', '86')).toBe('13800000000');
    expect(normalizePhone('91234567', '852')).toBe('+85291234567');
  });
});

describe('SMS uplink webhooks', () => {
  let t: ChannelTestApp;
  const sender = recordingSender();
  const TOKEN = 'sms-secret-token';
  let seq = 1000;
  const aliyun = (phone: string, content: string, sequence_id: number | string = seq++) =>
    t.app.inject({
      method: 'POST',
      url: `/webhooks/sms/aliyun/${TOKEN}`,
      payload: [{ phone_number: phone, send_time: '2026-11-23 10:00:00', content, sign_name: '平顶山人社', dest_code: '1234', sequence_id }],
    });
  const turns = async (phone: string) =>
    (await t.assistant.stores.sessions.get<ConversationState>(sessionKey('sms', phone)))?.history.filter((h) => h.from === 'user').length ?? 0;

  beforeAll(async () => {
    t = await createChannelApp({ SMS_WEBHOOK_TOKEN: TOKEN, SMS_SIGN_NAME: '平顶山人社', SMS_MAX_SEGMENTS: '2' }, { smsSender: sender });
  });
  afterAll(async () => t.close());

  it('accepts the documented Aliyun batch, answers as Aliyun expects, and drops its retry', async () => {
    const body = fixture('aliyun_smsup_http.json');
    const send = () => t.app.inject({ method: 'POST', url: `/webhooks/sms/aliyun/${TOKEN}`, headers: { 'content-type': 'application/json' }, payload: body });
    const res = await send();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ code: 0, msg: '接收成功' });
    expect(sender.to('1381111****')).toHaveLength(1);
    const again = await send();
    expect(again.json()).toEqual({ code: 0, msg: '接收成功' });
    expect(sender.to('1381111****')).toHaveLength(1);
    expect(await turns('1381111****')).toBe(1);
  });

  it('accepts the documented Tencent reply callback and drops its retry', async () => {
    const body = fixture('tencent_sms_reply.json');
    const send = () => t.app.inject({ method: 'POST', url: `/webhooks/sms/tencent/${TOKEN}`, headers: { 'content-type': 'application/json' }, payload: body });
    const res = await send();
    expect(res.json()).toEqual({ result: 0, errmsg: 'OK' });
    await send();
    expect(sender.to('13xxxxxxxxx')).toHaveLength(1);
  });

  it('a wrong token is a 404 and nothing is processed; malformed and oversized payloads are refused', async () => {
    const before = sender.sent.length;
    const wrong = await t.app.inject({ method: 'POST', url: '/webhooks/sms/aliyun/guess', payload: [{ phone_number: '13900000001', content: '你好', sequence_id: 1 }] });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await t.app.inject({ method: 'POST', url: '/webhooks/sms/tencent/guess', payload: '{broken' , headers: { 'content-type': 'application/json' } })).statusCode).toBe(404);
    const bad = await t.app.inject({ method: 'POST', url: `/webhooks/sms/aliyun/${TOKEN}`, payload: { phone_number: '13900000001' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    // One bad item refuses the whole batch: nothing stored.
    const mixed = await t.app.inject({
      method: 'POST',
      url: `/webhooks/sms/aliyun/${TOKEN}`,
      payload: [{ phone_number: '13900000001', content: '你好', sequence_id: 'a1' }, { phone_number: 'evil<script>', content: 'x', sequence_id: 'a2' }],
    });
    expect(mixed.statusCode).toBe(400);
    const broken = await t.app.inject({ method: 'POST', url: `/webhooks/sms/tencent/${TOKEN}`, payload: '{"mobile":', headers: { 'content-type': 'application/json' } });
    expect(broken.statusCode).toBe(400);
    const huge = await aliyun('13900000001', '长'.repeat(30_000));
    expect([400, 413]).toContain(huge.statusCode);
    expect(sender.sent.length).toBe(before);
    expect(await turns('13900000001')).toBe(0);
  });

  it('a long answer is paged within the segment budget; "1" sends the next page', async () => {
    const phone = '13900000002';
    await aliyun(phone, '创业担保贷款要什么条件');
    const [first] = sender.to(phone);
    expect(first).toBeDefined();
    expect(smsLength(`【平顶山人社】${first}`)).toBeLessThanOrEqual(134);
    expect(first!.endsWith(MORE_PROMPT)).toBe(true);
    await aliyun(phone, '1');
    const pages = sender.to(phone);
    expect(pages).toHaveLength(2);
    expect(pages[1]).not.toBe(first);
    expect(await turns(phone)).toBe(1);
  });

  it('opt-out words stop messages and are confirmed once; 恢复 resumes', async () => {
    const phone = '13900000003';
    await aliyun(phone, ' td ');
    expect(sender.to(phone)).toEqual([OPT_OUT_CONFIRMATION]);
    await aliyun(phone, '退订');
    await aliyun(phone, '失业金怎么领');
    expect(sender.to(phone)).toEqual([OPT_OUT_CONFIRMATION]);
    // Staff notices are not sent either: the notifier is told it cannot, and notes it for staff.
    await expect(channelRuntime(t.assistant)!.sms!.outbound().send('sms', phone, '您的工单已处理。')).rejects.toThrow(Undeliverable);
    expect(sender.to(phone)).toEqual([OPT_OUT_CONFIRMATION]);
    await aliyun(phone, '恢复');
    expect(sender.to(phone)).toEqual([OPT_OUT_CONFIRMATION, RESUMED]);
    for (const word of ['T', 'N', 'R']) {
      const p = `1390000010${['T', 'N', 'R'].indexOf(word)}`;
      await aliyun(p, word);
      expect(sender.to(p)).toEqual([OPT_OUT_CONFIRMATION]);
    }
  });

  it('"取消" alone asks; inside the complaint form it leaves the form', async () => {
    const phone = '13900000004';
    await aliyun(phone, '取消');
    expect(sender.to(phone)).toEqual([CANCEL_QUESTION]);
    const other = '13900000005';
    await aliyun(other, '老板欠我3个月工资');
    const state = await t.assistant.stores.sessions.get<ConversationState>(sessionKey('sms', other));
    expect(state?.form).not.toBeNull();
    await aliyun(other, '取消');
    const after = await t.assistant.stores.sessions.get<ConversationState>(sessionKey('sms', other));
    expect(after?.form).toBeNull();
    expect(sender.to(other).at(-1)).not.toBe(CANCEL_QUESTION);
  });

  it('a complaint by SMS reaches a ticket with the sender as phone, and the staff reply goes out by SMS', async () => {
    const phone = '13937505678';
    // One turn, with every page of its answer ("1" for the next while the prompt says so).
    const say = async (text: string) => {
      const start = sender.to(phone).length;
      await aliyun(phone, text);
      while ((sender.to(phone).at(-1) ?? '').endsWith(MORE_PROMPT)) await aliyun(phone, '1');
      return sender.to(phone).slice(start).join('');
    };
    let reply = '';
    for (const turn of ['老板欠我工资三个月了', '在郏县一个饭店', '叫老王家常菜', '一共欠我9000', '就我一个']) reply = await say(turn);
    for (let i = 0; i < 6 && !/QX\d{6}-\w{4}/.test(reply); i++) {
      reply = await say(/确认|对吗|是否|正确/.test(reply) ? '对' : /电话|手机/.test(reply) ? '就用这个号' : '没有了');
    }
    const id = /QX\d{6}-\w{4}/.exec(reply)?.[0];
    expect(id, sender.to(phone).join('\n---\n')).toBeDefined();
    const [ticket] = await t.assistant.stores.tickets.findForOwner('sms', phone);
    expect(ticket?.id).toBe(id);
    expect(ticket?.phone).toBe(phone);
    const before = sender.to(phone).length;
    await t.assistant.stores.tickets.reply(id!, 'staff-li', '您好，您的投诉已转郏县劳动保障监察大队。');
    const deadline = Date.now() + 10_000;
    while (sender.to(phone).length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(sender.to(phone).slice(before).join('')).toContain('劳动保障监察大队');
  });
});
