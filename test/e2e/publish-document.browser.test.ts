/**
 * Publishing from the console in Chromium: an administrator logs in, uploads a new policy text, checks
 * what the system read (文号, date, the clauses as they will be quoted), corrects the id and publishes;
 * without a restart a citizen's question over real HTTP (/api/chat) is answered from it, with its 文号
 * and clause. The embedded store writes it into the gateway's (copied) knowledge folder.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, skipBrowserTests } from '../setup/chromium.js';
import { ADMIN, FIXTURE, knowledgeCopy, removeDir, startGateway, type Gateway } from '../publishing/helpers.js';

describe.skipIf(skipBrowserTests)('publishing a policy document from the console, end to end', () => {
  let g: Gateway;
  let browser: Browser;
  let base: string;
  const dirs: string[] = [];

  beforeAll(async () => {
    const knowledgeDir = knowledgeCopy();
    const dataDir = mkdtempSync(join(tmpdir(), 'epa-publish-e2e-'));
    dirs.push(knowledgeDir, dataDir);
    g = await startGateway({ DATA_DIR: dataDir, KNOWLEDGE_DIR: knowledgeDir });
    base = await g.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await g?.close();
    for (const d of dirs) removeDir(d);
  });

  const ask = async (userId: string, text: string): Promise<string> => {
    const res = await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId, text }) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { replies: Array<{ text: string }> }).replies.map((r) => r.text).join('\n');
  };

  it('when an admin uploads, reviews and publishes a policy, then a citizen is answered from it with its 文号 and clause', { timeout: 90_000 }, async () => {
    const question = '夜市摊主社保补贴每月最多补多少';
    expect(await ask('citizen-before', question)).not.toContain('平人社〔2026〕9号');

    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    await page.goto(`${base}/staff`);
    await page.fill('input[name=username]', ADMIN.username);
    await page.fill('input[name=password]', ADMIN.password);
    await page.click('form.login-card button[type=submit]');
    await page.click('nav a:text("政策文件")');
    await page.setInputFiles('form.upload-form input[type=file]', { name: '平人社〔2026〕9号 夜市摊主社保补贴.txt', mimeType: 'text/plain', buffer: Buffer.from(FIXTURE, 'utf8') });
    await page.click('form.upload-form button[type=submit]');

    // The proposal: what the system read, the clauses as they will be quoted, no problems.
    await page.waitForSelector('form.draft-form');
    expect(await page.inputValue('input[name=docNo]')).toBe('平人社〔2026〕9号');
    expect(await page.inputValue('input[name=date]')).toBe('2026-02-20');
    expect(await page.inputValue('input[name=title]')).toBe('关于印发《平顶山市夜市摊主灵活就业社保补贴实施办法》的通知');
    expect(await page.inputValue('textarea[name=endText]')).toBe('本办法自2026年3月1日起施行，有效期至2028年12月31日。');
    expect(await page.locator('.clauses .clause', { hasText: '二、（一）' }).textContent()).toContain('每人每月最高补贴480元');
    expect(await page.locator('.problems h2').textContent()).toBe('没有发现问题');

    // A correction shows its problem before publishing: the 文号 cleared.
    await page.fill('input[name=docNo]', '');
    await page.click('button:text("重新检查")');
    await page.locator('.problems li', { hasText: '没有找到文号' }).waitFor();
    await page.fill('input[name=docNo]', '平人社〔2026〕9号');
    await page.fill('input[name=id]', 'pds-2026-9-night-market');
    await page.click('button[name=publish]');

    // Back on the list once the new index is live on this gateway.
    const row = page.locator('table.documents-table tr[data-id="pds-2026-9-night-market"]');
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain('现行');
    await page.close();
    expect(problems).toEqual([]);

    const answer = await ask('citizen-after', question);
    expect(answer).toContain('平人社〔2026〕9号');
    expect(answer).toContain('二、（一）');
    expect(answer).toContain('480元');
  });
});
