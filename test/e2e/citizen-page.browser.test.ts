/**
 * The citizen's chat page (issue 19, items 1–3) in Chromium at a phone's width (390 px) and a
 * laptop's (1366 px): citations open their clause in place and lead to the document's page; the
 * personal-data notice comes before the first personal question and links the privacy page; the
 * quick replies follow the conversation (starters, the programme's facets, 对 / 不对 / 取消 at the
 * read-back) in one row; a ticket number does not wrap and copies; the placeholder is not cut off;
 * the starters are answered from the clauses they cite; the pages pass axe-core without serious or
 * critical violations, also at 200 % zoom. Screenshots go to SCREENSHOT_DIR (default
 * reports/screenshots/issue19/).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, skipBrowserTests } from '../setup/chromium.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

const SHOTS = process.env.SCREENSHOT_DIR ?? 'reports/screenshots/issue19';
const AXE = join('node_modules', 'axe-core', 'axe.min.js');
const STARTERS = (YAML.parse(readFileSync('intents/quick-replies.yaml', 'utf8')) as { start: string[] }).start;
const docText = (id: string) => readFileSync(join('knowledge', 'docs', `${id}.md`), 'utf8').replace(/\s+/g, '');
const WIDTHS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'laptop', width: 1366, height: 768 },
] as const;

async function seriousViolations(page: Page): Promise<Array<{ id: string; targets: string[] }>> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: string[] }> }> }> } }).axe;
    const r = await axe.run(document);
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

describe.skipIf(skipBrowserTests)('the citizen page (issue 19)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    t = await createTestApp();
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const context = (w: { width: number; height: number }, scale = 1): Promise<BrowserContext> =>
    // bypassCSP only so that the test can inject axe-core; the page's own script is an external file.
    browser.newContext({ viewport: { width: w.width, height: w.height }, deviceScaleFactor: scale, bypassCSP: true, permissions: ['clipboard-read', 'clipboard-write'] });
  const open = async (ctx: BrowserContext): Promise<Page> => {
    const page = await ctx.newPage();
    await page.goto(base);
    await page.waitForSelector('body[data-ready="1"]');
    return page;
  };
  /** Sends (typed, or by tapping a chip) and waits for the replies; returns the new bot bubbles' text. */
  const send = async (page: Page, text: string, by: 'type' | 'chip' = 'type'): Promise<string> => {
    const before = await page.locator('.msg.bot').count();
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/chat'));
    if (by === 'chip') await page.locator('#chips button', { hasText: text }).first().click();
    else {
      await page.fill('#t', text);
      await page.click('#send');
    }
    await answered;
    await page.waitForFunction(() => !(document.getElementById('send') as HTMLButtonElement).disabled);
    const texts = await page.locator('.msg.bot .text').allTextContents();
    return texts.slice(before).join('\n');
  };
  const chips = (page: Page) => page.locator('#chips button').allTextContents();

  for (const w of WIDTHS) {
    describe(`at ${w.width} px`, () => {
      it('offers the starters in one row, a placeholder that fits, and passes axe', { timeout: 60_000 }, async () => {
        const ctx = await context(w);
        const page = await open(ctx);
        expect(await chips(page)).toEqual(STARTERS);
        const rows = await page.$$eval('#chips button', (bs) => new Set(bs.map((b) => (b as HTMLElement).offsetTop)).size);
        expect(rows).toBe(1);
        const fit = await page.$eval('#t', (el) => {
          const input = el as HTMLInputElement;
          const cs = getComputedStyle(input);
          const ctx2 = document.createElement('canvas').getContext('2d')!;
          ctx2.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
          const room = input.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
          return { text: ctx2.measureText(input.placeholder).width, room };
        });
        expect(fit.text).toBeLessThanOrEqual(fit.room);
        expect(await page.getAttribute('#log', 'aria-live')).toBe('polite');
        expect(await page.locator('label[for="t"]').count()).toBe(1);
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(SHOTS, `chat-start-${w.width}.png`) });
        await ctx.close();
      });

      it('answers 创业担保贷款能贷多少 from 第八条, opens the clause in place and the document at its anchor, then offers the loan\'s facets', { timeout: 60_000 }, async () => {
        const ctx = await context(w);
        const page = await open(ctx);
        const answer = await send(page, '创业担保贷款能贷多少', 'chip');
        expect(answer).toContain('个人最高不超过20万元');
        // The facets of the programme answered, not the starters.
        expect(await chips(page)).toEqual(expect.arrayContaining(['要带啥材料', '去哪办']));
        const cite = page.locator('.msg.bot .src', { hasText: '第八条1.' }).first();
        expect(await cite.textContent()).toBe('《平顶山市创业担保贷款精细化操作规程》（平人社〔2023〕23号）第八条1.');
        await cite.click();
        const box = page.locator('.clause-box:not([hidden])').first();
        await box.locator('.own').waitFor();
        expect(await cite.getAttribute('aria-expanded')).toBe('true');
        expect(await box.locator('h3').textContent()).toBe('《平顶山市创业担保贷款精细化操作规程》');
        const meta = (await box.locator('.meta').textContent()) ?? '';
        expect(meta).toContain('平人社〔2023〕23号');
        expect(meta).toContain('2023-04-26');
        expect(meta).toContain('有效期');
        const own = (await box.locator('.own').textContent()) ?? '';
        expect(own).toContain('个人最高不超过20万元');
        // The clause shown is the document's own text, and its neighbours come with it.
        expect(docText('pds-2023-23-startup-loans')).toContain(own.replace(/^第八条1\.\s*/, '').replace(/\s+/g, ''));
        expect(await box.locator('.around').count()).toBeGreaterThanOrEqual(1);
        await page.screenshot({ path: join(SHOTS, `clause-in-place-${w.width}.png`) });

        const materials = await send(page, '要带啥材料', 'chip');
        expect(materials).toContain('身份证');
        expect(materials).toContain('第十条');

        await box.locator('a', { hasText: '查看全文' }).click();
        await page.waitForURL(/\/docs\/pds-2023-23-startup-loans#/);
        const target = page.locator('section.clause:target');
        expect(await target.getAttribute('id')).toBe('第八条1.');
        expect(await target.textContent()).toContain('个人最高不超过20万元');
        expect(await page.locator('h1').textContent()).toBe('平顶山市创业担保贷款精细化操作规程');
        expect(await page.locator('.facts').textContent()).toContain('平人社〔2023〕23号');
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(SHOTS, `document-page-${w.width}.png`) });
        await ctx.close();
      });

      it('answers 刚毕业能参加就业见习吗 from the clause it cites, and starts the calculator for 我能领什么补贴', { timeout: 60_000 }, async () => {
        const ctx = await context(w);
        const page = await open(ctx);
        const answer = await send(page, '刚毕业能参加就业见习吗', 'chip');
        expect(answer).toContain('离校2年内未就业的高校毕业生');
        const cite = page.locator('.msg.bot .src').first();
        expect(await cite.textContent()).toContain('平人社办〔2023〕73号');
        await cite.click();
        const own = (await page.locator('.clause-box:not([hidden]) .own').first().textContent()) ?? '';
        expect(own).toContain('离校2年内未就业高校毕业生');
        expect(docText('pds-2023-73-internships')).toContain(own.replace(/^\S+\s/, '').replace(/\s+/g, ''));

        const other = await open(ctx);
        await other.evaluate(() => localStorage.clear());
        await other.reload();
        await other.waitForSelector('body[data-ready="1"]');
        expect(await send(other, '我能领什么补贴', 'chip')).toContain('您是哪类人员');
        expect(await chips(other)).toEqual(['取消']);
        expect(await send(other, '取消', 'chip')).toContain('');
        await ctx.close();
      });

      it('gives the privacy notice before the phone question, reads back with 对 / 不对 / 取消, and shows a ticket number that copies', { timeout: 60_000 }, async () => {
        const ctx = await context(w);
        const page = await open(ctx);
        expect(await send(page, '老板欠我工资', 'chip')).toContain('登记欠薪投诉');
        await send(page, '叶县鑫达纸箱厂');
        const asked = await send(page, '欠了两万');
        const notice = asked.indexOf('个人信息说明');
        expect(notice).toBeGreaterThanOrEqual(0);
        expect(notice).toBeLessThan(asked.indexOf('请发手机号'));
        expect(asked).toContain('180天后删除');
        const link = page.locator('.msg.bot a[href="/privacy"]').last();
        expect(await link.count()).toBe(1);
        await page.screenshot({ path: join(SHOTS, `privacy-notice-${w.width}.png`) });

        expect(await send(page, '13912345678 姓李')).toContain('请您核对一下');
        expect(await chips(page)).toEqual(['对', '不对', '取消']);
        const filed = await send(page, '对', 'chip');
        const id = /QX\d{6}-[0-9A-Z]{4}/.exec(filed)?.[0];
        expect(id).toBeTruthy();
        const ticket = page.locator('.msg.bot .ticket', { hasText: id! }).first();
        expect(await ticket.evaluate((e) => getComputedStyle(e).whiteSpace)).toBe('nowrap');
        expect(await ticket.evaluate((e) => e.getClientRects().length)).toBe(1);
        const copy = page.locator('.msg.bot .copy').first();
        expect(await copy.textContent()).toBe(`复制 投诉编号 ${id}`);
        await copy.click();
        await expect.poll(() => copy.textContent()).toBe(`已复制 投诉编号 ${id}`);
        expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(id);
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(SHOTS, `ticket-number-${w.width}.png`) });
        await ctx.close();
      });

      it('shows who runs the service and the privacy page, both passing axe', { timeout: 60_000 }, async () => {
        const ctx = await context(w);
        const page = await ctx.newPage();
        await page.goto(`${base}/about`);
        const about = (await page.locator('main').textContent()) ?? '';
        expect(about).toContain('平顶山市人力资源和社会保障局');
        expect(about).toContain('12333');
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(SHOTS, `about-${w.width}.png`), fullPage: true });
        await page.goto(`${base}/privacy`);
        const privacy = (await page.locator('main').textContent()) ?? '';
        for (const said of ['收集什么', '用来做什么', '谁能看到', '保存多久', '如何删除']) expect(privacy).toContain(said);
        expect(privacy).toContain('180天');
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(SHOTS, `privacy-${w.width}.png`), fullPage: true });
        await ctx.close();
      });
    });
  }

  it('works with the keyboard alone and reflows at 200 % zoom (1366 px at 200 %)', { timeout: 60_000 }, async () => {
    const ctx = await context({ width: 683, height: 384 }, 2);
    const page = await open(ctx);
    // Enter in the input sends.
    await page.focus('#t');
    await page.keyboard.type('创业担保贷款能贷多少');
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/chat'));
    await page.keyboard.press('Enter');
    await answered;
    await page.waitForFunction(() => !(document.getElementById('send') as HTMLButtonElement).disabled);
    // A citation opens with the keyboard.
    const cite = page.locator('.msg.bot .src').first();
    await cite.focus();
    await page.keyboard.press('Enter');
    await page.locator('.clause-box:not([hidden]) .own').first().waitFor();
    // Tab from the log reaches the first quick reply, and Enter sends it.
    await page.focus('#log');
    let onChip = false;
    for (let i = 0; i < 40 && !onChip; i++) {
      await page.keyboard.press('Tab');
      onChip = await page.evaluate(() => document.activeElement?.parentElement?.id === 'chips');
    }
    expect(onChip).toBe(true);
    const chip = await page.evaluate(() => document.activeElement?.textContent ?? '');
    const sent = page.waitForResponse((r) => r.url().endsWith('/api/chat'));
    await page.keyboard.press('Enter');
    expect(JSON.parse((await sent).request().postData() ?? '{}').text).toBe(chip);
    // Nothing wider than the window; the input and its button are on screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(await page.locator('#send').isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'zoom-200-1366.png') });
    await ctx.close();
  });
});
