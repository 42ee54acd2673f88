/**
 * The staff console's 政策推送触达 panel in Chromium, against the whole application on a free port:
 * a web user subscribes, a publication goes out, and the dashboard shows whom it reached — with no
 * script error or Content-Security-Policy violation.
 */
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, skipBrowserTests } from '../setup/chromium.js';
import { china, noticeData, openNoticeApp, publication } from './harness.js';

describe.skipIf(skipBrowserTests)('policy reach in the staff console', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows on the dashboard how many people a publication reached, by channel', async () => {
    const data = await noticeData('sqlite', china('2026-11-24 10:00'));
    const t = await openNoticeApp(data);
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
    });
    try {
      await t.say('web', 'reader-1', '个人创业担保贷款最多能贷多少');
      await t.say('web', 'reader-1', '有新政策告诉我');
      await t.say('web', 'reader-1', '对');
      const programme = (await t.assistant.subscriptions.store.get('web', 'reader-1'))!.topics[0]!.programme!;
      await t.emit(publication({ docId: 'pds-2026-7-loan-guide', title: '关于印发《平顶山市创业担保贷款办理指南》的通知', programmeIds: [programme] }));

      const user = await t.staffUser();
      const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
      await page.goto(`${base}/staff`);
      await page.fill('input[name=username]', user.username);
      await page.fill('input[name=password]', user.password);
      await page.click('form.login-card button[type=submit]');
      await page.waitForSelector('#topbar:not([hidden])');
      await page.goto(`${base}/staff#/dashboard`);
      const row = page.locator('[data-panel="publication-reach"] tbody tr', { hasText: '平顶山市创业担保贷款办理指南' });
      await row.waitFor();
      const cells = (await row.locator('td').allTextContents()).map((c) => c.trim());
      expect(cells.slice(1)).toEqual(['1', '0', '0', '0', '网页 1']);
      // Rendered again on a second visit, once.
      await page.goto(`${base}/staff#/queue`);
      await page.goto(`${base}/staff#/dashboard`);
      await row.waitFor();
      expect(await page.locator('[data-panel="publication-reach"]').count()).toBe(1);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
      await t.close();
      await data.dispose();
    }
  });
});
