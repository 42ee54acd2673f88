/**
 * The chat page in Chromium (issue 16, items 6 and 10): over the per-sender limit it shows the
 * Chinese "too fast" message (the API answers 429), not an empty reply; a staff reply waiting in the
 * inbox is shown, acknowledged by the page, and then not repeated; every message carries a messageId.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, skipBrowserTests } from '../setup/chromium.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

describe.skipIf(skipBrowserTests)('the chat page', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '3' });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const ask = async (page: Page, text: string) => {
    const before = await page.locator('.msg.bot').count();
    await page.fill('#t', text);
    await page.click('#send');
    await page.waitForFunction((n) => document.querySelectorAll('.msg.bot').length > n, before);
    return (await page.locator('.msg.bot').last().textContent()) ?? '';
  };

  it('shows staff replies until acknowledged, and the Chinese message when the sender is too fast', { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    const bodies: Array<Record<string, unknown>> = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/chat')) bodies.push(JSON.parse(r.postData() ?? '{}') as Record<string, unknown>);
    });
    await page.goto(base);
    const userId = await page.evaluate(() => localStorage.getItem('epa-user'));
    expect(userId).toMatch(/^web-/);
    await t.assistant.stores.sessions.set(`inbox:web:${userId}`, [{ id: 'staff-1', text: '【工作人员】您的投诉已受理' }], 3600);

    await ask(page, '你好');
    expect(await page.locator('.msg.bot', { hasText: '您的投诉已受理' }).count()).toBe(1);
    // The page acknowledged it: the inbox is empty, the next turn does not repeat it.
    await expect.poll(() => t.assistant.stores.sessions.get(`inbox:web:${userId}`)).toBeNull();
    await ask(page, '见习补贴');
    expect(await page.locator('.msg.bot', { hasText: '您的投诉已受理' }).count()).toBe(1);

    await ask(page, '创业贷款');
    expect(await ask(page, '再问一个')).toContain('您发送得太快了');
    // Every further message in the window is told so too, never answered with nothing.
    expect(await ask(page, '还有一个')).toContain('您发送得太快了');
    expect(bodies.every((b) => typeof b.messageId === 'string' && b.messageId.length > 0)).toBe(true);
    await page.close();
  });
});
