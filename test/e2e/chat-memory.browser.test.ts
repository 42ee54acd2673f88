/**
 * The chat page remembers (issue 14, item 3), in Chromium: after a reload the earlier conversation of
 * the page's id (kept in localStorage) is shown; a staff reply to the person's complaint appears
 * without their typing (the page polls its inbox, here prompted by a focus event), is acknowledged,
 * and is part of the conversation after the next reload.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, skipBrowserTests } from '../setup/chromium.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { wageComplaint } from '../tickets/ticket-input.js';

describe.skipIf(skipBrowserTests)('the chat page remembers', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp();
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const ready = (page: Page) => page.waitForSelector('body[data-ready="1"]');
  const ask = async (page: Page, text: string) => {
    const before = await page.locator('.msg.bot').count();
    await page.fill('#t', text);
    await page.click('#send');
    await page.waitForFunction((n) => document.querySelectorAll('.msg.bot').length > n, before);
  };

  it('shows the earlier conversation after a reload, and a staff reply without typing', { timeout: 90_000 }, async () => {
    const page = await browser.newPage();
    await page.goto(base);
    await ready(page);
    const userId = await page.evaluate(() => localStorage.getItem('epa-user'));
    expect(userId).toMatch(/^web-/);
    // A first visit has no earlier conversation: the greeting, no divider.
    expect(await page.locator('.divider').count()).toBe(0);

    await ask(page, '见习补贴发给谁');
    await ask(page, '创业担保贷款能贷多少');
    await page.reload();
    await ready(page);
    expect(await page.evaluate(() => localStorage.getItem('epa-user'))).toBe(userId);
    const users = await page.locator('.msg.user .bubble').allTextContents();
    expect(users).toEqual(['见习补贴发给谁', '创业担保贷款能贷多少']);
    expect(await page.locator('.msg.bot').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('.divider').count()).toBe(1);

    // Staff answer this person's complaint through the ticket store; the notifier puts the reply in
    // the web inbox; the page shows it when it polls (on focus here, or on its timer).
    const { ticket } = await t.assistant.stores.tickets.file(wageComplaint({ channel: 'web', userId: userId! }), `e2e-${userId}`);
    await t.assistant.stores.tickets.reply(ticket.id, 'staff1', '您的投诉已转监察大队处理');
    const staff = page.locator('.msg.bot', { hasText: '您的投诉已转监察大队处理' });
    await expect
      .poll(async () => {
        await page.evaluate(() => window.dispatchEvent(new Event('focus')));
        return staff.count();
      }, { timeout: 30_000, interval: 500 })
      .toBe(1);
    // Shown once, acknowledged: the inbox is empty and a further poll does not repeat it.
    await expect.poll(async () => (await t.app.inject({ method: 'GET', url: `/api/chat/inbox?userId=${userId}` })).json().messages.length).toBe(0);
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await ask(page, '你好');
    expect(await staff.count()).toBe(1);

    // After the next reload the staff reply is part of the earlier conversation.
    await page.reload();
    await ready(page);
    expect(await staff.count()).toBe(1);
    await page.close();

    // Another browser (another id) sees none of it.
    const other = await browser.newPage();
    await other.goto(base);
    await ready(other);
    expect(await other.locator('.msg.user').count()).toBe(0);
    expect(await other.locator('.msg.bot', { hasText: '您的投诉已转监察大队处理' }).count()).toBe(0);
    await other.close();
  });
});
