/**
 * The whole product in one story, through its real interfaces: a worker files a wage complaint in the
 * web chat (/api/chat), an administrator created with `npm run staff -- add` logs in to the console in
 * Chromium, finds the ticket, claims it and replies; the worker's next chat turn carries the reply.
 */
import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, skipBrowserTests } from '../setup/chromium.js';
import { createTestApp, joined, type TestApp } from '../helpers/app.js';


describe.skipIf(skipBrowserTests)('worker and staff, end to end', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp();
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/staff.ts', 'add', 'wang.admin', '--role', 'admin', '--password', 'Ping-ding-2026'], {
      env: { ...process.env, DATA_DIR: t.dataDir, REDIS_URL: '' },
      stdio: 'pipe',
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('when staff answer a complaint filed in the chat, then the worker reads the answer on the next turn', { timeout: 60_000 }, async () => {
    const worker = 'web-e2e-worker';
    for (const turn of ['包工头欠俺工钱 俩月了', '在鲁山县 丰收家庭农场', '欠了七千二', '就我一个人', '15838751234']) await t.chat(worker, turn);
    let reply = joined(await t.chat(worker, '对'));
    for (let i = 0; i < 3 && !/QX\d{6}-\w{4}/.test(reply); i++) reply = joined(await t.chat(worker, /确认|对吗/.test(reply) ? '对' : '没有了'));
    const id = /QX\d{6}-[0-9A-Z]{4}/.exec(reply)?.[0];
    expect(id).toBeDefined();

    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    await page.goto(`${base}/staff`);
    await page.fill('input[name=username]', 'wang.admin');
    await page.fill('input[name=password]', 'Ping-ding-2026');
    await page.click('form.login-card button[type=submit]');
    const row = page.locator('table.tickets tr.row', { hasText: id! });
    await row.waitFor();
    expect(await row.textContent()).toContain('丰收家庭农场');
    await row.click();
    await page.waitForSelector('.ticket-head');
    expect(await page.locator('.facts').first().textContent()).toContain('15838751234');
    await page.click('.actions button:text("认领")');
    await page.locator('.ticket-meta', { hasText: '处理人' }).waitFor();
    await page.fill('textarea[name=reply]', '您好，已转鲁山县劳动保障监察大队核实，请保留聊天记录。');
    await page.click('form.reply button[type=submit]');
    await page.locator('.timeline .ev-reply', { hasText: '劳动保障监察大队' }).waitFor();
    await page.close();
    expect(problems).toEqual([]);

    await vi.waitFor(async () => expect(await t.assistant.stores.tickets.pendingNotifications()).toEqual([]), { timeout: 15_000, interval: 200 });
    expect(joined(await t.chat(worker, '有消息了吗'))).toContain('劳动保障监察大队核实');
  });
});
