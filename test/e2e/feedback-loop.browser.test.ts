/**
 * The feedback loop in real Chromium (issue 18, item 2): a citizen taps 没用 under an answer in the
 * chat page; an administrator sees the miss in the console's 答错与未答 with the clauses ranked next
 * and chooses one; the same question asked again on the page is answered from that clause.
 */
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffAccounts } from '../../src/staff/accounts.js';
import { CHROMIUM, CHROMIUM_ARGS, skipBrowserTests } from '../setup/chromium.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { TEST_SCRYPT } from '../staff/helper.js';

const QUESTION = '公益性岗位工资多少';

describe.skipIf(skipBrowserTests)('feedback loop, citizen and staff', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp();
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    await new StaffAccounts(t.assistant.staffAccounts, () => new Date(), TEST_SCRYPT).create('test', { username: 'sun.admin', role: 'admin', password: 'Ping-ding-2026-sun' });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('when a citizen taps 没用 and staff choose a clause, then the same question is answered from that clause', { timeout: 90_000 }, async () => {
    const problems: string[] = [];
    const chat = await browser.newPage({ viewport: { width: 390, height: 800 } });
    chat.on('pageerror', (err) => problems.push(err.message));
    await chat.goto(base);
    await chat.waitForSelector('body[data-ready="1"]');
    const ask = async (q: string) => {
      const before = await chat.locator('.msg.bot').count();
      await chat.fill('#t', q);
      await chat.press('#t', 'Enter');
      await chat.waitForFunction((n) => document.querySelectorAll('.msg.bot').length > n, before);
      return chat.locator('.msg.bot').last();
    };

    const answer = await ask(QUESTION);
    const useless = answer.getByRole('button', { name: '这条回答没用' });
    await expect(useless.isVisible()).resolves.toBe(true);
    await expect(answer.getByRole('button', { name: '这条回答有用' }).isVisible()).resolves.toBe(true);
    const firstAnswer = (await answer.locator('.bubble').textContent()) ?? '';
    await useless.click();
    await answer.getByRole('status').filter({ hasText: '谢谢您的评价' }).waitFor();
    expect(await useless.getAttribute('aria-pressed')).toBe('true');
    expect(await useless.isDisabled()).toBe(true);

    const staff = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    staff.on('pageerror', (err) => problems.push(err.message));
    await staff.goto(`${base}/staff`);
    await staff.fill('input[name=username]', 'sun.admin');
    await staff.fill('input[name=password]', 'Ping-ding-2026-sun');
    await staff.click('form.login-card button[type=submit]');
    await staff.locator('nav a', { hasText: '答错与未答' }).click();
    const miss = staff.locator(`.miss[data-question="${QUESTION}"]`);
    await miss.waitFor();
    expect(await miss.textContent()).toContain('群众评为没用');
    const ranked = miss.locator('.next-clauses li');
    expect(await ranked.count()).toBe(3);
    // A clause other than the one answered: the third ranked.
    const chosen = ranked.nth(2);
    const clauseText = (await chosen.locator('.muted').textContent())!.slice(0, 20);
    expect(firstAnswer).not.toContain(clauseText);
    await chosen.getByRole('button', { name: '用这条回答' }).click();
    await staff.locator('.fixes td', { hasText: QUESTION }).waitFor();
    expect(await staff.locator('.fixes tbody tr').first().textContent()).toContain('sun.admin');

    const again = await ask(QUESTION);
    const text = (await again.locator('.bubble').textContent()) ?? '';
    expect(text).toContain(clauseText);
    expect(text).toContain('出处：《');
    // The fixed answer can be rated again.
    await expect(again.getByRole('button', { name: '这条回答没用' }).isVisible()).resolves.toBe(true);

    // The queue's date range and export: the file the console downloads is the filtered queue.
    const complaint = await t.assistant.stores.tickets.file(
      { kind: 'consultation', channel: 'web', userId: 'web-e2e-x', phone: null, description: '公益性岗位怎么报名', acceptDueAt: new Date(Date.now() + 864e5).toISOString(), transcript: [] },
      `e2e-${Date.now()}`,
    );
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    await staff.goto(`${base}/staff#/queue?status=all&from=${today}&to=${today}`);
    await staff.locator('table.tickets tr.row', { hasText: complaint.ticket.id }).waitFor();
    expect(await staff.inputValue('input[name=from]')).toBe(today);
    const [download] = await Promise.all([staff.waitForEvent('download'), staff.click('button[data-export=csv]')]);
    expect(download.suggestedFilename()).toBe(`工单-${today}至${today}-${today}.csv`);
    const csv = (await streamText(await download.createReadStream()));
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain(complaint.ticket.id);
    expect(csv).toContain('咨询转人工');
    expect(problems).toEqual([]);
  });
});

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
