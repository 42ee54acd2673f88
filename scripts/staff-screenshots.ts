/**
 * Screenshots of the staff console at laptop (1366×768) and phone (390×844) widths, for looking at it:
 * `npx tsx scripts/staff-screenshots.ts [--url http://127.0.0.1:3100] [--out /tmp/staff-shots]`
 * against a running console (scripts/staff-demo.ts). Uses Debian's chromium through playwright-core.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3100' },
    out: { type: 'string', default: '/tmp/staff-shots' },
    user: { type: 'string', default: 'admin' },
    password: { type: 'string', default: 'admin-pass-1' },
  },
});
mkdirSync(values.out!, { recursive: true });

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
const sizes = { laptop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } };
try {
  for (const [name, viewport] of Object.entries(sizes)) {
    const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
    const shot = async (what: string, fullPage = false) => {
      await page.waitForTimeout(150);
      await page.screenshot({ path: join(values.out!, `${name}-${what}.png`), fullPage });
    };
    await page.goto(`${values.url}/staff`);
    await page.waitForSelector('form.login-card');
    await shot('login');
    await login(page, values.user!, values.password!);
    await page.waitForSelector('table.tickets');
    await shot('queue');
    await shot('queue-full', true);
    await page.click('table.tickets tbody tr:first-child');
    await page.waitForSelector('.ticket-head');
    await shot('ticket');
    await shot('ticket-full', true);
    await page.click('.actions button:text("不予受理")');
    await page.waitForSelector('dialog[open]');
    await shot('refuse-dialog');
    await page.keyboard.press('Escape');
    await page.goto(`${values.url}/staff#/queue?status=resolved`);
    await page.waitForSelector('table.tickets');
    await page.click('table.tickets tbody tr:first-child');
    await page.waitForSelector('.ticket-head');
    await shot('ticket-worked', true);
    await page.goto(`${values.url}/staff#/dashboard`);
    await page.waitForSelector('.kpis');
    await shot('dashboard', true);
    await page.goto(`${values.url}/staff#/accounts`);
    await page.waitForSelector('.accounts-table');
    await shot('accounts');
    await page.goto(`${values.url}/staff#/audit`);
    await page.waitForSelector('.audit');
    await shot('audit');
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(`screenshots in ${values.out}`);

async function login(page: Page, user: string, password: string) {
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', password);
  await page.click('form.login-card button[type=submit]');
}
