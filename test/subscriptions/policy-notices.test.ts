/**
 * 政策找人 end to end on both backends: consent in the conversation (web, SMS, WeChat), a publication
 * emitted as the publishing flow emits it, the notice delivered on each channel (web inbox, the SMS
 * log provider, template messages to a local WeChat API stand-in), the reach staff see, opt-outs,
 * quiet hours, one notice per day, and a restart with notices waiting.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { renderSms, smsLength } from '../../src/channels/sms/length.js';
import { china, noticeData, openNoticeApp, publication, UNFOLLOWED, type BackendName, type NoticeApp, type NoticeData } from './harness.js';

const BACKENDS: BackendName[] = ['sqlite', 'redis'];
const LOAN_QUESTION = '个人创业担保贷款最多能贷多少';
const TITLE = '关于印发《平顶山市创业担保贷款贴息资金管理办法》的通知';

async function inbox(t: NoticeApp, userId: string): Promise<string[]> {
  const res = await t.app.inject({ method: 'GET', url: `/api/chat/inbox?userId=${encodeURIComponent(userId)}` });
  expect(res.statusCode).toBe(200);
  return (res.json() as { messages: { text: string }[] }).messages.map((m) => m.text);
}

/** Asks about the loan, asks to be told of new policies, and consents; returns the programme subscribed. */
async function subscribeToLoans(t: NoticeApp, channel: 'web' | 'sms' | 'wechat', userId: string): Promise<string> {
  await t.say(channel, userId, LOAN_QUESTION);
  const offer = await t.say(channel, userId, '有新政策告诉我');
  expect(offer).toMatch(/每天最多1条(，21:00至次日08:00不发)?。/);
  expect(offer).toContain('退订');
  expect(offer).toContain('回“对”');
  // Nothing is stored before the person says yes.
  expect(await t.assistant.subscriptions.store.get(channel, userId)).toBeNull();
  expect(await t.say(channel, userId, '对')).toContain('已订阅');
  const sub = await t.assistant.subscriptions.store.get(channel, userId);
  expect(sub?.consent.text).toBe(offer.split('\n').at(-1));
  const programme = sub?.topics[0]?.programme;
  expect(programme).toBeTruthy();
  return programme!;
}

describe.each(BACKENDS)('policy notices (%s)', (backend) => {
  let data: NoticeData | undefined;
  const apps: NoticeApp[] = [];
  const open = async (d: NoticeData, env?: Record<string, string>) => {
    const t = await openNoticeApp(d, env);
    apps.push(t);
    return t;
  };
  afterEach(async () => {
    for (const t of apps.splice(0)) await t.close();
    await data?.dispose();
    data = undefined;
  });

  it('goes from consent to a delivered notice on web, SMS and WeChat, once, and an opt-out stops it', async () => {
    data = await noticeData(backend, china('2026-11-24 10:00'));
    const t = await open(data);
    const phone = '13812345678';
    const openId = 'oWx_follower_1';
    const programme = await subscribeToLoans(t, 'web', 'web-person-1');
    expect((await t.assistant.subscriptions.store.get('web', 'web-person-1'))?.consent.text).toContain('每天最多1条，21:00至次日08:00不发');
    expect(await subscribeToLoans(t, 'sms', phone)).toBe(programme);
    expect(await subscribeToLoans(t, 'wechat', openId)).toBe(programme);
    const stored = await t.assistant.subscriptions.store.get('sms', phone);
    expect(stored).toMatchObject({ channel: 'sms', userId: phone, consent: { at: china('2026-11-24 10:00').toISOString() } });
    const smsBefore = t.smsLogged().length;

    const p = publication({ docId: 'pds-2026-3-loan-interest', title: TITLE, docNo: '平人社〔2026〕3号', programmeIds: [programme] });
    expect(await t.emit(p)).toEqual([]);

    // Web: waiting in the inbox for the next visit, and shown at the top of the next turn.
    const web = await inbox(t, 'web-person-1');
    expect(web).toHaveLength(1);
    expect(web[0]).toContain('《平顶山市创业担保贷款贴息资金管理办法》');
    expect(await t.say('web', 'web-person-1', '你好')).toContain('贴息资金管理办法');
    // SMS: the log provider logged one message that fits one segment with the signature.
    const sms = t.smsLogged().slice(smsBefore);
    expect(sms).toHaveLength(1);
    expect(sms[0]!.phone).toBe('138****5678');
    expect(sms[0]!.content).toContain('贴息资金管理办法');
    expect(smsLength(renderSms({ signName: '平顶山人社', template: '${content}' }, sms[0]!.content))).toBeLessThanOrEqual(70);
    // WeChat: a template message through the (stand-in) API.
    expect(data.wechat.templates).toHaveLength(1);
    expect(data.wechat.templates[0]).toMatchObject({ touser: openId, template_id: 'tpl-policy-update' });
    expect(data.wechat.templates[0]!.data.keyword1!.value).toContain('贴息资金管理办法');
    expect(data.wechat.templates[0]!.data.keyword2!.value).toBe('2026-11-24');

    // Emitted again (a retry of the publishing flow): nobody hears twice.
    expect(await t.emit(p)).toEqual([]);
    expect(data.wechat.templates).toHaveLength(1);
    expect(t.smsLogged().slice(smsBefore)).toHaveLength(1);

    // Staff see the reach.
    const auth = await t.staffAuth();
    const reach = await t.app.inject({ method: 'GET', url: `/api/staff/publications/${p.docId}/reach`, headers: auth });
    expect(reach.statusCode).toBe(200);
    expect(reach.json()).toMatchObject({ docId: p.docId, queued: 3, sent: 3, pending: 0, byChannel: { web: 1, sms: 1, wechat: 1 } });
    const list = await t.app.inject({ method: 'GET', url: '/api/staff/publications/reach', headers: auth });
    expect((list.json() as { publications: { docId: string }[] }).publications.map((r) => r.docId)).toEqual([p.docId]);
    expect((await t.app.inject({ method: 'GET', url: `/api/staff/publications/${p.docId}/reach` })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/staff/publications/bad%20id!/reach', headers: auth })).statusCode).toBe(400);

    // Opt-outs: "退订" on the web and WeChat, "TD" by SMS (which ends every SMS to the number).
    expect(await t.say('web', 'web-person-1', '退订')).toContain('已退订全部');
    expect(await t.say('wechat', openId, '别再通知我了')).toContain('已退订全部');
    expect(await t.say('sms', phone, 'TD')).toContain('退订');
    expect(await t.assistant.subscriptions.store.get('web', 'web-person-1')).toBeNull();
    const smsAfterOptOut = t.smsLogged().length;

    data.clock.now = china('2026-11-26 10:00');
    const p2 = publication({ docId: 'pds-2026-9-loan-limits', title: '关于调整创业担保贷款额度的通知', programmeIds: [programme] });
    expect(await t.emit(p2)).toEqual([]);
    // The page never acknowledged the first notice, so it still waits; nothing new joined it.
    expect(await inbox(t, 'web-person-1')).toEqual(web);
    expect(data.wechat.templates).toHaveLength(1);
    expect(t.smsLogged().length).toBe(smsAfterOptOut);
    const reach2 = (await t.app.inject({ method: 'GET', url: `/api/staff/publications/${p2.docId}/reach`, headers: auth })).json();
    // Only the SMS subscriber was still subscribed; the SMS opt-out dropped it at sending.
    expect(reach2).toMatchObject({ queued: 1, sent: 0, dropped: 1 });
    const [dropped] = await t.assistant.subscriptions.store.notices(p2.docId);
    expect(dropped?.note).toBe('该号码已退订短信');
  });

  it('holds notices in quiet hours and sends one a day, later ones merged into the next day’s', async () => {
    data = await noticeData(backend, china('2026-11-24 11:00'));
    const t = await open(data);
    const programme = await subscribeToLoans(t, 'web', 'night-owl');
    const subs = t.assistant.subscriptions;

    data.clock.now = china('2026-11-24 22:30');
    await t.emit(publication({ docId: 'doc-a', title: '关于印发《创业担保贷款办法（甲）》的通知', programmeIds: [programme] }));
    expect(await inbox(t, 'night-owl')).toEqual([]);
    expect(await subs.dispatch(china('2026-11-25 07:59'))).toMatchObject({ sent: 0, held: 1 });
    expect(await subs.dispatch(china('2026-11-25 08:00'))).toMatchObject({ sent: 1 });
    expect(await inbox(t, 'night-owl')).toEqual([expect.stringContaining('创业担保贷款办法（甲）')]);

    data.clock.now = china('2026-11-25 09:00');
    await t.emit(publication({ docId: 'doc-b', title: '关于印发《创业担保贷款办法（乙）》的通知', programmeIds: [programme] }));
    data.clock.now = china('2026-11-25 15:00');
    await t.emit(publication({ docId: 'doc-c', title: '关于印发《创业担保贷款办法（丙）》的通知', programmeIds: [programme] }));
    expect(await inbox(t, 'night-owl')).toHaveLength(1);
    expect((await subs.reach('doc-b')).pending).toBe(1);

    // Next morning: one notice carries both.
    expect(await subs.dispatch(china('2026-11-26 08:30'))).toMatchObject({ sent: 1, merged: 1 });
    const shown = await inbox(t, 'night-owl');
    expect(shown).toHaveLength(2);
    expect(shown[1]).toContain('2项更新');
    expect(shown[1]).toContain('创业担保贷款办法（丙）');
    expect(await subs.reach('doc-b')).toMatchObject({ sent: 1, pending: 0 });
    const [b] = await subs.store.notices('doc-b');
    expect(b).toMatchObject({ status: 'sent', carriedBy: 'doc-c' });
    expect(await subs.dispatch(china('2026-11-26 12:00'))).toMatchObject({ sent: 0, held: 0 });
  });

  it('"退订" with a topic ends that topic only, confirmed in one line; a question during consent is answered', async () => {
    data = await noticeData(backend, china('2026-11-24 10:00'));
    const t = await open(data);
    await t.say('web', 'two-topics', LOAN_QUESTION);
    await t.say('web', 'two-topics', '有新政策告诉我');
    // A question instead of "对": answered, and the consent asked again; nothing stored yet.
    const meanwhile = await t.say('web', 'two-topics', '创业担保贷款去哪里申请？');
    expect(meanwhile).toContain('回“对”');
    expect(await t.assistant.subscriptions.store.get('web', 'two-topics')).toBeNull();
    expect(await t.say('web', 'two-topics', '对')).toContain('已订阅');
    await t.say('web', 'two-topics', '我是2024年毕业的大学生');
    expect(await t.say('web', 'two-topics', '订阅')).toContain('高校毕业生政策');
    expect(await t.say('web', 'two-topics', '对')).toContain('高校毕业生政策');
    // The loan programme answered and the groups the facts give (创业: a personal loan; 高校毕业生: graduated 2024).
    const both = await t.assistant.subscriptions.store.get('web', 'two-topics');
    // (Whether "我是2024年毕业的大学生" moves the answer to another programme is the answerer's business:
    // the loan programme, and the two groups, are what the subscription must hold.)
    const kinds = both?.topics.map((x) => x.persona ?? 'programme') ?? [];
    expect(kinds[0]).toBe('programme');
    expect(new Set(kinds)).toEqual(new Set(['programme', 'startup', 'graduate']));
    expect(both?.topics.every((x) => !Number.isNaN(Date.parse(x.consentedAt ?? '')))).toBe(true);

    const reply = await t.say('web', 'two-topics', '退订高校毕业生政策');
    expect(reply.split('\n')).toEqual(['已退订「高校毕业生政策」的提醒，其余订阅照常。']);
    const left = await t.assistant.subscriptions.store.get('web', 'two-topics');
    expect(left?.topics.map((x) => x.persona ?? 'programme')).toEqual(kinds.filter((k) => k !== 'graduate'));
    expect(await t.say('web', 'two-topics', '创业担保贷款的提醒不要再发了')).toMatch(/^已退订「[^」]*创业担保贷款[^」]*」的提醒，其余订阅照常。$/);
    expect((await t.assistant.subscriptions.store.get('web', 'two-topics'))?.topics.map((x) => x.label)).toEqual(['创业扶持政策']);
    expect(await t.say('web', 'two-topics', '取消订阅')).toBe('已退订全部政策提醒，不会再收到通知。');
    expect(await t.say('web', 'two-topics', '退订')).toBe('您目前没有订阅政策提醒。');
  });

  it('without a WeChat template sends a customer-service text; an unfollowed account drops the notice', async () => {
    data = await noticeData(backend, china('2026-11-24 10:00'));
    const t = await open(data, { WECHAT_NOTICE_TEMPLATE_ID: '', NOTICE_QUIET_HOURS: 'off' });
    await t.say('wechat', 'oWx_follower_2', LOAN_QUESTION);
    // No quiet hours: none promised.
    expect(await t.say('wechat', 'oWx_follower_2', '有新政策告诉我')).toMatch(/每天最多1条。回复“退订”/);
    expect(await t.say('wechat', 'oWx_follower_2', '对')).toContain('已订阅');
    const programme = (await t.assistant.subscriptions.store.get('wechat', 'oWx_follower_2'))!.topics[0]!.programme!;
    await subscribeToLoans(t, 'wechat', UNFOLLOWED);
    const p = publication({ docId: 'pds-2026-5-loans', title: TITLE, programmeIds: [programme] });
    await t.emit(p);
    expect(data.wechat.templates).toEqual([]);
    expect(data.wechat.texts.filter((m) => m.content.includes('贴息资金管理办法')).map((m) => m.touser)).toEqual(['oWx_follower_2']);
    expect(await t.assistant.subscriptions.reach(p.docId)).toMatchObject({ sent: 1, dropped: 1, pending: 0 });
    const notes = (await t.assistant.subscriptions.store.notices(p.docId)).map((n) => n.note).filter(Boolean);
    expect(notes).toEqual(['用户已取消关注公众号']);
  });

  it('matches the facts told to the calculator, and keeps waiting notices across a restart', async () => {
    data = await noticeData(backend, china('2026-11-24 10:00'));
    let t = await open(data);
    await t.say('wechat', 'oGrad', '我是2024年毕业的大学生，在平顶山，有什么补贴');
    expect(await t.say('wechat', 'oGrad', '有消息通知我')).toContain('高校毕业生政策');
    expect(await t.say('wechat', 'oGrad', '对')).toContain('已订阅');

    data.clock.now = china('2026-11-24 23:00');
    // A provincial document for graduates, no catalogue programme yet: rule "facts".
    const p = publication({ docId: 'henan-2026-8-graduates', title: '河南省关于做好2026年高校毕业生就业工作的通知', region: 'henan', programmeIds: [] });
    // Not for this person: another region, and a document with no word of their group.
    const elsewhere = publication({ docId: 'jining-2026-1-graduates', title: '济宁市高校毕业生就业补贴办法', region: 'jining', programmeIds: [] });
    const unrelated = publication({ docId: 'pds-2026-4-wage-arrears', title: '平顶山市根治欠薪工作方案', programmeIds: [] });
    for (const x of [p, elsewhere, unrelated]) expect(await t.emit(x)).toEqual([]);
    expect(data.wechat.templates).toHaveLength(0);
    expect((await t.assistant.subscriptions.store.notices(p.docId))[0]).toMatchObject({ reason: 'facts:graduate', status: 'pending' });
    expect(await t.assistant.subscriptions.store.notices(elsewhere.docId)).toEqual([]);
    expect(await t.assistant.subscriptions.store.notices(unrelated.docId)).toEqual([]);

    // The gateway restarts overnight; the morning run sends what waited, once.
    await t.close();
    apps.splice(0);
    data.clock.now = china('2026-11-25 08:01');
    t = await open(data);
    await t.assistant.subscriptions.dispatch();
    expect(data.wechat.templates).toHaveLength(1);
    expect(data.wechat.templates[0]!.touser).toBe('oGrad');
    await t.emit(p);
    await t.assistant.subscriptions.dispatch();
    expect(data.wechat.templates).toHaveLength(1);
  });
});
