/**
 * The console in a real browser (Debian's chromium through playwright-core), against the staff plugin
 * listening on a free port with real stores: log in, see a filed ticket, claim it, reply (the reply
 * lands in the notification outbox), refuse with a reason, and a staff member cannot do an admin's
 * action. Every page is also checked for script errors and Content-Security-Policy violations.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, skipBrowserTests } from '../setup/chromium.js';
import { buildStaffTestApp, USERS, type StaffTestApp } from './helper.js';


describe.skipIf(skipBrowserTests)('staff console in chromium', () => {
  let browser: Browser;
  let t: StaffTestApp;
  let base: string;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    t = await buildStaffTestApp();
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    problems = [];
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/status of 40[139]/.test(msg.text())) problems.push(`console: ${msg.text()}`);
    });
  });
  afterEach(async () => {
    await page.close();
    await t.close();
    expect(problems).toEqual([]);
  });

  async function logIn(user: { username: string; password: string }) {
    await page.goto(`${base}/staff`);
    await page.fill('input[name=username]', user.username);
    await page.fill('input[name=password]', user.password);
    await page.click('form.login-card button[type=submit]');
    await page.waitForSelector('.queue .tabs .tab');
  }

  const text = async (selector: string) => (await page.locator(selector).first().textContent())?.trim() ?? '';

  it('when a wrong password is typed, then the form says so and stays', async () => {
    await page.goto(`${base}/staff`);
    await page.fill('input[name=username]', 'li.ming');
    await page.fill('input[name=password]', 'wrong-password');
    await page.click('form.login-card button[type=submit]');
    await page.locator('.form-error', { hasText: '用户名或密码错误' }).waitFor();
    expect(await page.locator('#topbar').isHidden()).toBe(true);
  });

  it('when staff log in, open a filed ticket, claim it and reply, then the reply waits in the outbox for the worker', async () => {
    const ticket = await t.file({ workerName: '张师傅', employer: '平顶山市某建筑劳务有限公司', phone: '13800138000' });
    await logIn(USERS.staff);
    const row = page.locator('table.tickets tr.row', { hasText: ticket.id });
    await row.waitFor();
    expect(await row.textContent()).toContain('平顶山市某建筑劳务有限公司');
    expect(await text('.tab.active')).toMatch(/^待受理\s*1$/);

    await row.click();
    await page.waitForSelector('.ticket-head');
    expect(await text('.ticket-head h1')).toBe(ticket.id);
    expect(await text('.facts')).toContain('13800138000');
    expect(await page.locator('.chat .bubble').count()).toBe(ticket.transcript.length);

    await page.click('.actions button:text("认领")');
    await page.locator('.ticket-meta', { hasText: '处理人：李明' }).waitFor();
    await page.fill('textarea[name=reply]', '张师傅您好，已联系用人单位，请保留考勤记录。');
    await page.click('form.reply button[type=submit]');
    await page.locator('.timeline .ev-reply', { hasText: '已联系用人单位' }).waitFor();

    const outbox = await t.tickets.pendingNotifications();
    expect(outbox).toEqual([
      expect.objectContaining({
        ticketId: ticket.id,
        channel: 'sms',
        userId: '13800138000',
        text: `关于工单 ${ticket.id}：张师傅您好，已联系用人单位，请保留考勤记录。`,
      }),
    ]);
    const events = await t.tickets.events(ticket.id);
    expect(events.map((e) => [e.type, e.actor])).toEqual(
      expect.arrayContaining([['claimed', 'li.ming'], ['reply', 'li.ming'], ['viewed', 'li.ming']]),
    );
  });

  it('when a ticket is refused with a reason, then it shows as refused and the worker is told why', async () => {
    const ticket = await t.file();
    await logIn(USERS.staff);
    await page.goto(`${base}/staff#/tickets/${ticket.id}`);
    await page.waitForSelector('.ticket-head');
    await page.click('.actions button:text("不予受理")');
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    // The reason is required: submitting without it keeps the dialog open.
    await dialog.locator('button[type=submit]').click();
    expect(await dialog.isVisible()).toBe(true);
    await dialog.locator('textarea[name=reason]').fill('属于劳动争议，请向劳动人事争议仲裁委员会申请仲裁');
    await dialog.locator('button[type=submit]').click();
    await page.locator('.ticket-head .status', { hasText: '不予受理' }).waitFor();
    expect(await text('.refusal')).toContain('劳动人事争议仲裁委员会');
    expect((await t.tickets.get(ticket.id))?.status).toBe('refused');
    const [notice] = await t.tickets.pendingNotifications();
    expect(notice?.text).toContain('劳动人事争议仲裁委员会');
    await page.locator('.timeline .ev-status', { hasText: '不予受理' }).waitFor();
  });

  it('when a staff member tries an administrator action, then the console offers none and the server refuses', async () => {
    const ticket = await t.file();
    await logIn(USERS.staff);
    expect(await page.locator('#nav a').allTextContents()).toEqual(['工单队列', '统计', '答错与未答']);
    await page.goto(`${base}/staff#/accounts`);
    await page.waitForSelector('.queue');
    await page.goto(`${base}/staff#/tickets/${ticket.id}`);
    await page.waitForSelector('.ticket-head');
    expect(await page.locator('.actions button:text("改派")').count()).toBe(0);
    // The same token used directly against the API: 403 for an admin's action.
    const status = await page.evaluate(async (id) => {
      const token = JSON.parse(sessionStorage.getItem('staff.session') ?? '{}').token;
      const res = await fetch(`/api/tickets/${id}/assign`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ assignee: 'li.ming' }),
      });
      return res.status;
    }, ticket.id);
    expect(status).toBe(403);
    expect((await t.tickets.get(ticket.id))?.assignee).toBeNull();
  });

  it('when an administrator reassigns a ticket, then the holder changes and the history records it', async () => {
    const ticket = await t.file();
    await logIn(USERS.admin);
    expect(await page.locator('#nav a').allTextContents()).toEqual(['工单队列', '统计', '答错与未答', '账号', '操作日志', '政策文件']);
    await page.goto(`${base}/staff#/tickets/${ticket.id}`);
    await page.waitForSelector('.ticket-head');
    await page.click('.actions button:text("改派")');
    await page.locator('dialog[open] select[name=assignee]').selectOption('wang.fang');
    await page.locator('dialog[open] button[type=submit]').click();
    await page.locator('.timeline .ev-assigned', { hasText: '改派给 王芳' }).waitFor();
    expect((await t.tickets.get(ticket.id))?.assignee).toBe('wang.fang');
  });

  it('when the queue is filtered and searched, then the address keeps the filter and the list follows', async () => {
    const a = await t.file({ county: '叶县', employer: '叶县宏达建材厂', phone: '13912345678' });
    const b = await t.file({ county: '鲁山县', employer: '鲁山县某物流公司' });
    await logIn(USERS.staff);
    await page.selectOption('select[name=county]', '叶县');
    await page.waitForURL(/county=/);
    await page.locator('table.tickets tr.row', { hasText: a.id }).waitFor();
    // The unfiltered list may still be on screen for a moment: wait for the filtered one.
    await expect.poll(() => page.locator('table.tickets tr.row', { hasText: b.id }).count(), { timeout: 10_000 }).toBe(0);
    await page.goto(`${base}/staff#/queue`);
    await page.fill('input[name=q]', '139 1234 5678');
    await page.press('input[name=q]', 'Enter');
    await page.waitForURL(/q=/);
    await page.locator('table.tickets tr.row', { hasText: a.id }).waitFor();
    await expect.poll(() => page.locator('table.tickets tr.row').count(), { timeout: 10_000 }).toBe(1);
  });

  it('when the session is ended elsewhere, then the next action brings back the log-in form', async () => {
    await t.file();
    await logIn(USERS.staff);
    await t.accounts.deleteSessionsOf('li.ming');
    await page.click('.tab:has-text("全部")');
    await page.locator('.form-error', { hasText: '登录' }).waitFor();
  });
});
