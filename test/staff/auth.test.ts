/** Log-in, sessions, throttling, roles and the audit trail, through the HTTP API on both backends. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS } from './backends.js';
import { buildStaffTestApp, USERS, type StaffTestApp } from './helper.js';

const T0 = new Date('2030-03-04T01:00:00.000Z');

describe.each(BACKENDS)('staff authentication (%s)', (backendName) => {
  let t: StaffTestApp;
  let now: Date;
  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };

  beforeEach(async () => {
    now = T0;
    t = await buildStaffTestApp({ backend: backendName, clock: () => now });
  });
  afterEach(async () => {
    await t.close();
  });

  const login = (username: string, password: string, ip = '10.0.0.8') =>
    t.app.inject({ method: 'POST', url: '/api/staff/login', payload: { username, password }, remoteAddress: ip });
  const me = (token: string) => t.app.inject({ url: '/api/staff/me', headers: { authorization: `Bearer ${token}` } });

  describe('log-in', () => {
    it('when the password is right, then a token comes back that opens the staff endpoints', async () => {
      const res = await login('LI.MING ', USERS.staff.password);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(body.account).toEqual(expect.objectContaining({ username: 'li.ming', role: 'staff', displayName: '李明' }));
      expect(body.account).not.toHaveProperty('passwordHash');
      expect(res.headers['cache-control']).toBe('no-store');
      const who = await me(body.token);
      expect(who.statusCode).toBe(200);
      expect(who.json().account.username).toBe('li.ming');
    });

    it('when the password is wrong or the user unknown, then 401 with the same message either way', async () => {
      const wrong = await login('li.ming', 'not-the-password');
      const unknown = await login('nobody', 'whatever-it-is');
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      expect(wrong.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: '用户名或密码错误' } });
      expect(unknown.json()).toEqual(wrong.json());
    });

    it('when the body is malformed, then 400 names the field', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/staff/login', payload: { username: 'li.ming' } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'BAD_REQUEST', issues: [expect.objectContaining({ path: 'password' })] });
    });

    it('when a username failed 5 times, then even the right password is refused until the window ends', async () => {
      for (let i = 0; i < 5; i++) expect((await login('li.ming', `guess-${i}-xx`)).statusCode).toBe(401);
      const blocked = await login('li.ming', USERS.staff.password);
      expect(blocked.statusCode).toBe(429);
      expect(blocked.json().error.code).toBe('RATE_LIMITED');
      // Another account from the same office address is not affected.
      expect((await login(USERS.other.username, USERS.other.password)).statusCode).toBe(200);
      advance(15 * 60_000);
      expect((await login('li.ming', USERS.staff.password)).statusCode).toBe(200);
    });

    it('when guesses come in parallel, then no more than the limit are checked', async () => {
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => login('li.ming', `parallel-${i}-x`)));
      const codes = results.map((r) => r.statusCode);
      expect(codes.filter((c) => c === 401)).toHaveLength(5);
      expect(codes.filter((c) => c === 429)).toHaveLength(7);
    });

    it('when one address fails 30 times across usernames, then that address is throttled', async () => {
      for (let i = 0; i < 30; i++) await login(`user${i}`, 'wrong-password', '10.9.9.9');
      expect((await login(USERS.staff.username, USERS.staff.password, '10.9.9.9')).statusCode).toBe(429);
      expect((await login(USERS.staff.username, USERS.staff.password, '10.0.0.1')).statusCode).toBe(200);
    });

    it('when a successful log-in follows a few failures, then the count starts again', async () => {
      for (let i = 0; i < 4; i++) await login('li.ming', 'wrong-password');
      expect((await login('li.ming', USERS.staff.password)).statusCode).toBe(200);
      for (let i = 0; i < 4; i++) await login('li.ming', 'wrong-password');
      expect((await login('li.ming', USERS.staff.password)).statusCode).toBe(200);
    });
  });

  describe('sessions', () => {
    it('when there is no token, a malformed one or an unknown one, then 401 with WWW-Authenticate', async () => {
      for (const authorization of [undefined, 'Basic abc', 'Bearer short', `Bearer ${'x'.repeat(43)}`]) {
        const res = await t.app.inject({ url: '/api/tickets', headers: authorization ? { authorization } : {} });
        expect(res.statusCode, String(authorization)).toBe(401);
        expect(res.json().error.code).toBe('UNAUTHORIZED');
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      }
    });

    it('when a session is idle for 2 hours, then it has expired; used within, it slides', async () => {
      const token = await t.login();
      advance(100 * 60_000);
      expect((await me(token)).statusCode).toBe(200);
      advance(100 * 60_000);
      expect((await me(token)).statusCode).toBe(200);
      advance(2 * 3600_000);
      expect((await me(token)).statusCode).toBe(401);
    });

    it('when a session is 12 hours old, then it ends however active it was', async () => {
      const token = await t.login();
      for (let h = 0; h < 11; h++) {
        advance(3600_000);
        expect((await me(token)).statusCode).toBe(200);
      }
      advance(3600_000);
      expect((await me(token)).statusCode).toBe(401);
    });

    it('when staff log out, then the token stops working at once', async () => {
      const token = await t.login();
      const out = await t.app.inject({ method: 'POST', url: '/api/staff/logout', headers: { authorization: `Bearer ${token}` } });
      expect(out.statusCode).toBe(200);
      expect((await me(token)).statusCode).toBe(401);
    });

    it('when an admin disables an account, then its open sessions stop working and it cannot log in', async () => {
      const token = await t.login(USERS.other);
      const admin = await t.as(USERS.admin);
      const res = await t.app.inject({ method: 'PATCH', url: '/api/staff/accounts/wang.fang', headers: admin, payload: { disabled: true } });
      expect(res.statusCode).toBe(200);
      expect((await me(token)).statusCode).toBe(401);
      const again = await login(USERS.other.username, USERS.other.password);
      expect(again.statusCode).toBe(401);
      expect(again.json().error.message).toContain('停用');
    });

    it('when staff change their password, then their other sessions end and the new password works', async () => {
      const laptop = await t.login();
      const phone = await t.login();
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/staff/me/password',
        headers: { authorization: `Bearer ${laptop}` },
        payload: { currentPassword: USERS.staff.password, newPassword: 'a-new-password' },
      });
      expect(res.statusCode).toBe(200);
      expect((await me(laptop)).statusCode).toBe(200);
      expect((await me(phone)).statusCode).toBe(401);
      expect((await login('li.ming', USERS.staff.password)).statusCode).toBe(401);
      expect((await login('li.ming', 'a-new-password')).statusCode).toBe(200);
    });

    it('when the current password given is wrong, then the password stays', async () => {
      const h = await t.as();
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/staff/me/password',
        headers: h,
        payload: { currentPassword: 'wrong-one', newPassword: 'a-new-password' },
      });
      expect(res.statusCode).toBe(400);
      expect((await login('li.ming', USERS.staff.password)).statusCode).toBe(200);
    });
  });

  describe('roles', () => {
    it('when a staff member calls an administrator endpoint, then 403 and nothing changes', async () => {
      const h = await t.as(USERS.staff);
      const calls = [
        { method: 'GET' as const, url: '/api/staff/accounts' },
        { method: 'POST' as const, url: '/api/staff/accounts', payload: { username: 'intruder', role: 'admin', password: 'password-123' } },
        { method: 'PATCH' as const, url: '/api/staff/accounts/li.ming', payload: { role: 'admin' } },
        { method: 'GET' as const, url: '/api/staff/audit' },
      ];
      for (const c of calls) {
        const res = await t.app.inject({ ...c, headers: h });
        expect(res.statusCode, c.url).toBe(403);
        expect(res.json().error.code).toBe('FORBIDDEN');
      }
      expect((await t.accounts.getAccount('li.ming'))?.role).toBe('staff');
      expect(await t.accounts.getAccount('intruder')).toBeNull();
    });

    it('when an admin creates an account, then it can log in with its role; a taken name is 409', async () => {
      const admin = await t.as(USERS.admin);
      const payload = { username: 'Zhou.Jie', role: 'staff', password: 'zhou-pass-1', displayName: '周杰' };
      const res = await t.app.inject({ method: 'POST', url: '/api/staff/accounts', headers: admin, payload });
      expect(res.statusCode).toBe(201);
      expect(res.json().account).toMatchObject({ username: 'zhou.jie', role: 'staff', disabled: false });
      expect((await login('zhou.jie', 'zhou-pass-1')).statusCode).toBe(200);
      const again = await t.app.inject({ method: 'POST', url: '/api/staff/accounts', headers: admin, payload });
      expect(again.statusCode).toBe(409);
    });

    it('when the account data is invalid, then 400 names the fields', async () => {
      const admin = await t.as(USERS.admin);
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/staff/accounts',
        headers: admin,
        payload: { username: '张三', role: 'boss', password: 'short' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['password', 'role', 'username']);
    });

    it('when an admin would demote or disable themselves or the last admin, then it is refused', async () => {
      const admin = await t.as(USERS.admin);
      const self = await t.app.inject({ method: 'PATCH', url: '/api/staff/accounts/admin', headers: admin, payload: { role: 'staff' } });
      expect(self.statusCode).toBe(403);
      await t.app.inject({ method: 'PATCH', url: '/api/staff/accounts/li.ming', headers: admin, payload: { role: 'admin' } });
      const other = await t.as(USERS.staff); // li.ming, now an admin
      const last = await t.app.inject({ method: 'PATCH', url: '/api/staff/accounts/admin', headers: other, payload: { disabled: true } });
      expect(last.statusCode).toBe(200); // li.ming remains as an admin
      const lastOne = await t.app.inject({ method: 'PATCH', url: '/api/staff/accounts/li.ming', headers: other, payload: { role: 'staff' } });
      expect(lastOne.statusCode).toBe(403);
    });

    it('when a role changes, then it takes effect on the next request of an open session', async () => {
      const staffToken = await t.login(USERS.staff);
      const admin = await t.as(USERS.admin);
      expect((await t.app.inject({ url: '/api/staff/accounts', headers: { authorization: `Bearer ${staffToken}` } })).statusCode).toBe(403);
      await t.app.inject({ method: 'PATCH', url: '/api/staff/accounts/li.ming', headers: admin, payload: { role: 'admin' } });
      expect((await t.app.inject({ url: '/api/staff/accounts', headers: { authorization: `Bearer ${staffToken}` } })).statusCode).toBe(200);
    });
  });

  describe('audit', () => {
    it('when staff log in, fail, are throttled, log out and accounts change, then each is recorded with who and when', async () => {
      await login('li.ming', 'wrong-password');
      const token = await t.login();
      await t.app.inject({ method: 'POST', url: '/api/staff/logout', headers: { authorization: `Bearer ${token}` } });
      const admin = await t.as(USERS.admin);
      await t.app.inject({ method: 'PATCH', url: '/api/staff/accounts/wang.fang', headers: admin, payload: { password: 'reset-pass-1' } });
      const res = await t.app.inject({ url: '/api/staff/audit?limit=20', headers: admin });
      expect(res.statusCode).toBe(200);
      const entries = res.json().entries as Array<{ actor: string; action: string; target: string | null; at: string; ip: string | null; data: object }>;
      expect(entries.map((e) => [e.actor, e.action, e.target])).toEqual(
        expect.arrayContaining([
          ['li.ming', 'login_failed', null],
          ['li.ming', 'login', null],
          ['li.ming', 'logout', null],
          ['admin', 'login', null],
          ['admin', 'account_updated', 'wang.fang'],
        ]),
      );
      expect(entries.every((e) => e.at === T0.toISOString())).toBe(true);
      expect(JSON.stringify(entries)).not.toMatch(/reset-pass-1|scrypt\$/);
      const onlyLogins = await t.app.inject({ url: '/api/staff/audit?action=login&actor=li.ming', headers: admin });
      expect(onlyLogins.json().entries).toHaveLength(1);
    });
  });
});
