/**
 * The citizen's pages and API over HTTP (issue 19): a clause with its document's particulars and
 * neighbours, the document page with an anchor per clause, the about and privacy pages from the
 * configuration, the chat reply's linked citations and quick replies, and the CSP (no inline script).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.js';
import { ServiceInfo } from '../../src/server/service-info.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

describe('the citizen pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ BUREAU_HOURS: '工作日 8:30—12:00，14:30—17:30', TICKET_RETENTION_DAYS: '90' });
  }, 60_000);
  afterAll(async () => t?.close());

  it('opens a clause with its document, validity, sub-clauses and neighbours', async () => {
    const res = await t.app.inject({ url: `/api/sources/pds-2023-23-startup-loans?clause=${encodeURIComponent('第十条1.')}` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.document).toMatchObject({ title: '平顶山市创业担保贷款精细化操作规程', docNo: '平人社〔2023〕23号', date: '2023-04-26', href: '/docs/pds-2023-23-startup-loans' });
    expect(body.document.validity.text).toBe('文件未写明有效期');
    expect(body.clause).toMatchObject({ label: '第十条1.', anchor: '第十条1.' });
    expect(body.children.map((c: { text: string }) => c.text).join('')).toContain('反担保措施必备的相关材料');
    expect(body.before[0].label).toBe('第十条');
    expect(body.after[0].label).toBe('第十条2.');
  });

  it('says when a document, or only a clause of it, has ended', async () => {
    const ended = await t.app.inject({ url: `/api/sources/henan-2021-4-employment-assistance?clause=${encodeURIComponent('第三条')}` });
    expect(ended.json().document.validity.text).toBe('已于2025年12月31日到期');
    const clause = (await t.app.inject({ url: `/api/sources/henan-2023-17-youth-employment?clause=${encodeURIComponent('一、')}` })).json();
    expect(clause.document.validity.text).toBe('文件未写明有效期');
    expect(clause.clause.validity).toBe('已于2023年12月31日到期');
  });

  it('refuses a bad clause request with a clear error and an unknown one with 404', async () => {
    const empty = await t.app.inject({ url: '/api/sources/pds-2023-23-startup-loans?clause=' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toContain('clause');
    const badId = await t.app.inject({ url: `/api/sources/${encodeURIComponent('../etc')}?clause=x` });
    expect(badId.statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/sources/pds-2023-23-startup-loans?clause=第九十九条' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/docs/no-such-doc' })).statusCode).toBe(404);
  });

  it('shows a document in full with one unique anchor per clause, escaped', async () => {
    const res = await t.app.inject({ url: '/docs/pds-2023-23-startup-loans' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const ids = [...res.body.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBe(t.assistant.documents.find((d) => d.meta.id === 'pds-2023-23-startup-loans')!.clauses.length);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('第八条1.');
    expect(res.body).toContain('<h1>平顶山市创业担保贷款精细化操作规程</h1>');
    expect(res.body).not.toMatch(/<script/);
  });

  it('serves the pages without inline script under a CSP that allows none', async () => {
    const page = await t.app.inject({ url: '/' });
    expect(page.body).toContain('<script src="/chat.js"');
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect((await t.app.inject({ url: '/chat.js' })).statusCode).toBe(200);
  });

  it('says who runs the service and what is done with personal data, from the configuration', async () => {
    const about = (await t.app.inject({ url: '/about' })).body;
    expect(about).toContain('平顶山市人力资源和社会保障局');
    expect(about).toContain('12333');
    expect(about).toContain('工作日 8:30—12:00，14:30—17:30');
    const privacy = (await t.app.inject({ url: '/privacy' })).body;
    expect(privacy).toContain('再保存90天');
    expect(privacy).toContain('对话记录在最后一条消息后保存7天');
  });

  it('gives the personal-data notice once, right before the first personal question of the intake', async () => {
    const say = async (text: string) => (await t.chat('pages-2', text)).map((r) => r.text).join('\n');
    expect(await say('老板欠我工资')).not.toContain('个人信息说明');
    expect(await say('叶县鑫达纸箱厂')).not.toContain('个人信息说明');
    const asked = await say('欠了两万');
    expect(asked).toMatch(/^个人信息说明：.*办结90天后删除.*\n请发手机号/);
    const readBack = await say('13912345678 姓李');
    expect(readBack).toContain('请您核对一下');
    expect(readBack).not.toContain('个人信息说明');
  });

  it('links the citations of a chat reply to their clause and offers the quick replies for its state', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/chat', payload: { userId: 'pages-1', text: '创业担保贷款能贷多少' } });
    const body = res.json();
    const cited = body.replies.flatMap((r: { citations: unknown[] }) => r.citations);
    expect(cited[0]).toMatchObject({ title: '平顶山市创业担保贷款精细化操作规程', docId: 'pds-2023-23-startup-loans', anchor: '第八条1.' });
    expect(body.quickReplies).toContain('要带啥材料');
    const history = (await t.app.inject({ url: '/api/chat/history?userId=pages-1' })).json();
    expect(history.quickReplies).toEqual(body.quickReplies);
  });
});

describe('the personal-data notice and its configuration', () => {
  const base = { LOG_LEVEL: 'silent' };
  it('names the retention and the hotline, and links the privacy page where the channel can open it', () => {
    const web = new ServiceInfo(loadConfig({ ...base, TICKET_RETENTION_DAYS: '30' }));
    expect(web.privacyNotice('web')).toMatch(/^个人信息说明：.*办结30天后删除.*12333.*详见：\/privacy$/);
    expect(web.privacyNotice('wechat')).not.toContain('详见');
    const linked = new ServiceInfo(loadConfig({ ...base, PUBLIC_BASE_URL: 'https://rsj.example.gov.cn/' }));
    expect(linked.privacyNotice('wechat')).toContain('详见：https://rsj.example.gov.cn/privacy');
    expect(linked.privacyNotice('sms')).not.toContain('http');
    expect(web.about().lines.join('')).toContain('人工服务时间请拨打12333询问');
  });

  it('refuses a bad retention, hotline or address at start-up', () => {
    expect(() => loadConfig({ TICKET_RETENTION_DAYS: '0' })).toThrow(/TICKET_RETENTION_DAYS/);
    expect(() => loadConfig({ BUREAU_HOTLINE: 'call us' })).toThrow(/BUREAU_HOTLINE/);
    expect(() => loadConfig({ PUBLIC_BASE_URL: 'javascript:alert(1)' })).toThrow(/PUBLIC_BASE_URL/);
  });
});
