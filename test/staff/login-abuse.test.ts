/**
 * Abuse of the staff log-in and password endpoints (issue 16, item 7), on both backends:
 * - guesses from one address cannot lock the rightful user out: the same account from another address
 *   still logs in; the guessing address backs off (15-minute windows, then the rest of the day);
 * - each refusal and every 10 failures of one account log a warning for staff;
 * - wrong current passwords on a password change are throttled, and audited;
 * - weak passwords are refused through the API (create, reset, change);
 * - a staff member's attempt at an administrator's action is audited.
 */
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS } from './backends.js';
import { buildStaffTestApp, USERS, type StaffTestApp } from './helper.js';

const T0 = new Date('2030-03-04T01:00:00.000Z');

describe.each(BACKENDS)('staff log-in abuse (%s)', (backendName) => {
  let t: StaffTestApp;
  let now: Date;
  let lines: string[];
  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };
  const start = async () => {
    now = T0;
    lines = [];
    const loggerInstance = pino({ level: 'warn' }, { write: (l: string) => void lines.push(l) });
    t = await buildStaffTestApp({ backend: backendName, clock: () => now, loggerInstance });
  };
  afterEach(async () => t?.close());

  const login = (username: string, password: string, ip: string) =>
    t.app.inject({ method: 'POST', url: '/api/staff/login', payload: { username, password }, remoteAddress: ip });

  it('guesses from one address do not lock the admin out from another; the guesser backs off', async () => {
    await start();
    for (let i = 0; i < 5; i++) expect((await login('admin', `guess-${i}-wrong`, '203.0.113.66')).statusCode).toBe(401);
    const refused = await login('admin', USERS.admin.password, '203.0.113.66');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // The rightful admin, from the office.
    expect((await login('admin', USERS.admin.password, '10.0.0.8')).statusCode).toBe(200);
    // Backoff: 5 more guesses per 15-minute window, then none for the rest of the day.
    let checked = 5;
    for (let w = 0; w < 4; w++) {
      advance(15 * 60_000 + 1000);
      for (let i = 0; i < 6; i++) if ((await login('admin', `w${w}-guess-${i}`, '203.0.113.66')).statusCode === 401) checked++;
    }
    expect(checked).toBe(15);
    advance(60 * 60_000);
    expect((await login('admin', 'yet-another-guess', '203.0.113.66')).statusCode).toBe(429);
    // and still the admin gets in from elsewhere
    expect((await login('admin', USERS.admin.password, '10.0.0.9')).statusCode).toBe(200);
    advance(24 * 3600_000);
    expect((await login('admin', USERS.admin.password, '203.0.113.66')).statusCode).toBe(200);

    const log = lines.join('');
    expect(log).toContain('staff log-in throttled');
    expect(log).toContain('many failed log-ins for one staff account');
  });

  it('wrong current passwords on a password change are throttled and audited', async () => {
    await start();
    const h = await t.as(USERS.staff);
    const change = (currentPassword: string) =>
      t.app.inject({ method: 'POST', url: '/api/staff/me/password', headers: h, payload: { currentPassword, newPassword: 'Tr1cky-new-Passphrase' } });
    for (let i = 0; i < 5; i++) expect((await change(`wrong-current-${i}`)).statusCode).toBe(400);
    const throttled = await change(USERS.staff.password);
    expect(throttled.statusCode).toBe(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    advance(15 * 60_000 + 1000);
    const h2 = await t.as(USERS.staff);
    const ok = await t.app.inject({ method: 'POST', url: '/api/staff/me/password', headers: h2, payload: { currentPassword: USERS.staff.password, newPassword: 'Tr1cky-new-Passphrase' } });
    expect(ok.statusCode).toBe(200);
    const actions = (await t.accounts.listAudit({ actor: 'li.ming', limit: 50 })).map((e) => e.action);
    expect(actions.filter((a) => a === 'password_change_failed')).toHaveLength(5);
    expect(actions).toContain('password_change_throttled');
  });

  it('weak passwords are refused through the API: create, reset and change', async () => {
    await start();
    const admin = await t.as(USERS.admin);
    for (const password of ['12345678', '        ', '1234567890', 'password1234', 'qiang.wei-1', 'admin123456']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/staff/accounts', headers: admin, payload: { username: 'qiang.wei', role: 'staff', password } });
      expect(res.statusCode, password).toBe(400);
      expect(res.json().error.issues[0].path).toBe('password');
    }
    expect(await t.accounts.getAccount('qiang.wei')).toBeNull();
    const reset = await t.app.inject({ method: 'PATCH', url: '/api/staff/accounts/wang.fang', headers: admin, payload: { password: 'qwertyuiop' } });
    expect(reset.statusCode).toBe(400);
    const own = await t.app.inject({
      method: 'POST',
      url: '/api/staff/me/password',
      headers: await t.as(USERS.staff),
      payload: { currentPassword: USERS.staff.password, newPassword: 'li.ming12345' },
    });
    expect(own.statusCode).toBe(400);
    expect(own.json().error.issues[0].path).toBe('newPassword');
  });

  it('a staff member trying an administrator action is audited as denied', async () => {
    await start();
    const h = await t.as(USERS.staff);
    expect((await t.app.inject({ method: 'GET', url: '/api/staff/audit', headers: h })).statusCode).toBe(403);
    const denied = await t.accounts.listAudit({ action: 'access_denied' });
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ actor: 'li.ming', data: { method: 'GET', route: '/api/staff/audit' } });
  });
});
