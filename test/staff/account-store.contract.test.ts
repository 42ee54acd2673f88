import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StaffAccountStore } from '../../src/staff/account-store.js';
import { newAuditEntry } from '../../src/staff/audit.js';
import { StaffAccountExistsError, StaffAccountNotFoundError } from '../../src/staff/staff-errors.js';
import type { NewStaffAccount, StaffSession } from '../../src/staff/types.js';
import { BACKENDS, staffBackend, type StaffBackend } from './backends.js';

const T0 = new Date('2030-03-04T01:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

function account(username: string, overrides: Partial<NewStaffAccount> = {}): NewStaffAccount {
  return {
    username,
    role: 'staff',
    displayName: '李明',
    passwordHash: 'scrypt$16$1$1$c2FsdA$a2V5',
    disabled: false,
    createdAt: T0.toISOString(),
    ...overrides,
  };
}

function session(id: string, username: string, overrides: Partial<StaffSession> = {}): StaffSession {
  return {
    id,
    username,
    createdAt: T0.toISOString(),
    lastSeenAt: T0.toISOString(),
    idleExpiresAt: at(3600_000).toISOString(),
    expiresAt: at(4 * 3600_000).toISOString(),
    ip: '10.0.0.8',
    ...overrides,
  };
}

describe.each(BACKENDS)('StaffAccountStore contract (%s)', (name) => {
  let b: StaffBackend;
  let store: StaffAccountStore;

  beforeEach(() => {
    b = staffBackend(name);
    store = b.open();
  });
  afterEach(async () => {
    await b.dispose();
  });

  describe('accounts', () => {
    it('when an account is created, then it is read back whole and listed', async () => {
      const created = await store.createAccount(account('li.ming'));
      expect(created).toEqual({ ...account('li.ming'), updatedAt: T0.toISOString() });
      expect(await store.getAccount('li.ming')).toEqual(created);
      await store.createAccount(account('admin', { role: 'admin', displayName: null }));
      expect((await store.listAccounts()).map((a) => [a.username, a.role])).toEqual([
        ['admin', 'admin'],
        ['li.ming', 'staff'],
      ]);
    });

    it('when the username is taken, even by another process at the same time, then exactly one creation wins', async () => {
      const other = b.open();
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? other : store).createAccount(account('wang', { displayName: `#${i}` }))),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(rejected.every((r) => r.reason instanceof StaffAccountExistsError)).toBe(true);
    });

    it('when an account is updated, then only the given fields change and updatedAt moves', async () => {
      await store.createAccount(account('li.ming'));
      const updated = await store.updateAccount('li.ming', { role: 'admin', displayName: undefined }, at(5000));
      expect(updated).toMatchObject({ role: 'admin', displayName: '李明', updatedAt: at(5000).toISOString() });
      expect(await store.getAccount('li.ming')).toEqual(updated);
      await store.updateAccount('li.ming', { disabled: true, displayName: null }, at(6000));
      expect(await store.getAccount('li.ming')).toMatchObject({ disabled: true, displayName: null, role: 'admin' });
    });

    it('when an unknown account is updated, then NOT_FOUND', async () => {
      await expect(store.updateAccount('nobody', { role: 'admin' }, T0)).rejects.toBeInstanceOf(StaffAccountNotFoundError);
    });

    it('when two processes update different fields at once, then both changes are kept', async () => {
      await store.createAccount(account('li.ming'));
      const other = b.open();
      await Promise.all([
        store.updateAccount('li.ming', { role: 'admin' }, at(1)),
        other.updateAccount('li.ming', { displayName: '李明明' }, at(2)),
      ]);
      expect(await store.getAccount('li.ming')).toMatchObject({ role: 'admin', displayName: '李明明' });
    });
  });

  describe('sessions', () => {
    it('when a session is created, then another process reads it until either expiry passes', async () => {
      await store.createSession(session('s1', 'li.ming'));
      const other = b.open();
      expect(await other.getSession('s1', at(1000))).toEqual(session('s1', 'li.ming'));
      expect(await other.getSession('s1', at(3600_000))).toBeNull(); // idle expiry
      await store.createSession(session('s2', 'li.ming', { idleExpiresAt: at(8 * 3600_000).toISOString() }));
      expect(await store.getSession('s2', at(4 * 3600_000 - 1))).not.toBeNull();
      expect(await store.getSession('s2', at(4 * 3600_000))).toBeNull(); // absolute expiry
      expect(await store.getSession('unknown', T0)).toBeNull();
    });

    it('when a session is touched, then its idle expiry slides but never past the absolute one', async () => {
      await store.createSession(session('s1', 'li.ming'));
      await store.touchSession('s1', at(2 * 3600_000).toISOString(), at(1800_000).toISOString());
      expect(await store.getSession('s1', at(3600_000 + 1))).toMatchObject({
        idleExpiresAt: at(2 * 3600_000).toISOString(),
        lastSeenAt: at(1800_000).toISOString(),
      });
      await store.touchSession('s1', at(9 * 3600_000).toISOString(), at(2 * 3600_000 - 1).toISOString());
      expect((await store.getSession('s1', at(2 * 3600_000)))?.idleExpiresAt).toBe(at(4 * 3600_000).toISOString());
    });

    it('when a session is deleted, then it is gone, and touching it does not bring it back', async () => {
      await store.createSession(session('s1', 'li.ming'));
      await store.deleteSession('s1');
      await store.touchSession('s1', at(2 * 3600_000).toISOString(), at(1000).toISOString());
      expect(await store.getSession('s1', at(1000))).toBeNull();
    });

    it("when an account's sessions are ended, then all of them go and others' stay", async () => {
      await store.createSession(session('a1', 'li.ming'));
      await store.createSession(session('a2', 'li.ming'));
      await store.createSession(session('b1', 'wang'));
      expect(await store.deleteSessionsOf('li.ming')).toBe(2);
      expect(await store.getSession('a1', T0)).toBeNull();
      expect(await store.getSession('a2', T0)).toBeNull();
      expect(await store.getSession('b1', T0)).not.toBeNull();
      expect(await store.deleteSessionsOf('li.ming')).toBe(0);
    });
  });

  describe('failure counters', () => {
    it('when failures are counted, then the window starts at the first one and is not extended', async () => {
      const first = await store.countFailure('user:li.ming', 60_000, T0);
      expect(first.count).toBe(1);
      const second = await store.countFailure('user:li.ming', 60_000, at(10_000));
      expect(second.count).toBe(2);
      expect(first.resetsAt).toBe(at(60_000).toISOString());
      expect(second.resetsAt).toBe(at(60_000).toISOString());
      expect((await store.failures('user:li.ming', at(10_000))).count).toBe(2);
      expect(await store.failures('user:other', T0)).toEqual({ count: 0, resetsAt: null });
      await store.clearFailures('user:li.ming');
      expect((await store.failures('user:li.ming', at(10_000))).count).toBe(0);
    });

    it('when 50 failures are counted at once by two processes, then none is lost', async () => {
      const other = b.open();
      await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? other : store).countFailure('ip:10.0.0.9', 60_000, T0)));
      expect((await store.failures('ip:10.0.0.9', T0)).count).toBe(50);
    });

    it('when the window has ended, then counting starts again from one', async () => {
      await store.countFailure('user:x', 60_000, T0);
      await store.countFailure('user:x', 60_000, T0);
      expect((await store.failures('user:x', at(60_000))).count).toBe(0);
      expect(await store.countFailure('user:x', 60_000, at(60_000))).toEqual({ count: 1, resetsAt: at(120_000).toISOString() });
    });
  });

  describe('audit', () => {
    it('when entries are appended, then they are listed newest first and can be filtered', async () => {
      await store.appendAudit(newAuditEntry(at(1), 'li.ming', 'login', { ip: '10.0.0.8' }));
      await store.appendAudit(newAuditEntry(at(2), 'admin', 'account_created', { target: 'wang', data: { role: 'staff' } }));
      await store.appendAudit(newAuditEntry(at(3), 'li.ming', 'logout'));
      const all = await store.listAudit();
      expect(all.map((e) => e.action)).toEqual(['logout', 'account_created', 'login']);
      expect(all[1]).toMatchObject({ actor: 'admin', target: 'wang', data: { role: 'staff' }, ip: null });
      expect((await store.listAudit({ actor: 'li.ming' })).map((e) => e.action)).toEqual(['logout', 'login']);
      expect((await store.listAudit({ action: 'login' })).map((e) => e.actor)).toEqual(['li.ming']);
      expect(await store.listAudit({ limit: 1 })).toHaveLength(1);
    });
  });
});
