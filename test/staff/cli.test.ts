import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runStaffCli, type CliIo } from '../../src/staff/cli.js';
import { verifyPassword } from '../../src/staff/password.js';
import { SqliteStaffAccountStore } from '../../src/staff/sqlite-account-store.js';
import type { StaffAccountStore } from '../../src/staff/account-store.js';
import { BACKENDS, staffBackend, type StaffBackend } from './backends.js';
import { TEST_SCRYPT } from './helper.js';

function capture(stdin = ''): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), readStdin: async () => stdin };
}

describe.each(BACKENDS)('npm run staff (%s)', (name) => {
  let b: StaffBackend;
  let store: StaffAccountStore;
  const run = (argv: string[], io = capture()) => runStaffCli(argv, store, io, { scryptCost: TEST_SCRYPT }).then((code) => ({ code, io }));

  beforeEach(() => {
    b = staffBackend(name);
    store = b.open();
  });
  afterEach(async () => {
    await b.dispose();
  });

  it('when an admin is added, then it is stored with a scrypt hash, listed and audited as done by the command line', async () => {
    const { code, io } = await run(['add', 'Zhao', '--role', 'admin', '--password', 'admin-pass-1', '--name', '赵主任']);
    expect(code).toBe(0);
    expect(io.lines).toEqual(['已创建账号 zhao（管理员）']);
    const account = await store.getAccount('zhao');
    expect(account).toMatchObject({ role: 'admin', displayName: '赵主任', disabled: false });
    expect(account!.passwordHash).toMatch(/^scrypt\$/);
    expect(await verifyPassword('admin-pass-1', account!.passwordHash)).toBe(true);
    expect((await run(['list'])).io.lines).toEqual([expect.stringMatching(/^zhao\s+admin\s+启用\s+赵主任$/)]);
    expect((await store.listAudit())[0]).toMatchObject({ actor: 'cli', action: 'account_created', target: 'zhao' });
  });

  it('when the account exists, the role is unknown or the password too short, common or trivial, then it is refused with a reason', async () => {
    await run(['add', 'zhao', '--role', 'admin', '--password', 'admin-pass-1']);
    const again = await run(['add', 'zhao', '--role', 'staff', '--password', 'other-pass-1']);
    expect(again.code).toBe(1);
    expect(again.io.errors[0]).toContain('已存在');
    expect((await run(['add', 'li', '--role', 'boss', '--password', 'staff-pass-1'])).code).toBe(2);
    const short = await run(['add', 'li', '--role', 'staff', '--password', 'short']);
    expect(short.code).toBe(1);
    expect(short.io.errors[0]).toContain('至少10位');
    // 8 characters were enough before; common, trivial and personal passwords are refused whatever their length.
    for (const weak of ['12345678', ' '.repeat(10), '1234567890', 'qwertyuiop', 'password1234', 'aaaaaaaaaaaa', 'pingdingshan123', 'woaini1314520']) {
      const res = await run(['add', 'li', '--role', 'staff', '--password', weak]);
      expect(res.code, weak).toBe(1);
      expect(res.io.errors[0], weak).toMatch(/至少10位|不能全是空格|过于简单|容易被猜到/);
    }
    expect(await store.getAccount('li')).toBeNull();
    expect((await run(['add', 'li', '--role', 'staff', '--password', 'Sc4le-out-pass!'])).code).toBe(0);
    expect((await run(['add', 'li'])).code).toBe(2);
    expect((await run([])).code).toBe(2);
  });

  it('when a password is reset from stdin, then the old one stops working and open sessions end', async () => {
    await run(['add', 'li', '--role', 'staff', '--password', 'staff-pass-1']);
    await store.createSession({
      id: 's1',
      username: 'li',
      createdAt: new Date().toISOString(),
      lastSeenAt: new Date().toISOString(),
      idleExpiresAt: new Date(Date.now() + 3600_000).toISOString(),
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      ip: null,
    });
    const { code } = await run(['passwd', 'li', '--password-stdin'], capture('new-pass-123\n'));
    expect(code).toBe(0);
    const hash = (await store.getAccount('li'))!.passwordHash;
    expect(await verifyPassword('new-pass-123', hash)).toBe(true);
    expect(await verifyPassword('staff-pass-1', hash)).toBe(false);
    expect(await store.getSession('s1', new Date())).toBeNull();
  });

  it('when the last admin would be disabled or demoted, then it is refused; others can be', async () => {
    await run(['add', 'zhao', '--role', 'admin', '--password', 'admin-pass-1']);
    await run(['add', 'li', '--role', 'staff', '--password', 'staff-pass-1']);
    expect((await run(['disable', 'zhao'])).code).toBe(1);
    expect((await run(['role', 'zhao', 'staff'])).code).toBe(1);
    expect((await run(['role', 'li', 'admin'])).code).toBe(0);
    expect((await run(['disable', 'zhao'])).code).toBe(0);
    expect((await store.getAccount('zhao'))?.disabled).toBe(true);
    expect((await run(['enable', 'zhao'])).code).toBe(0);
    expect((await run(['passwd', 'nobody', '--password', 'whatever-1'])).code).toBe(1);
  });
});

describe('the npm script', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'epa-staff-cli-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('when run as a process with DATA_DIR, then the account lands in the embedded database the server reads', async () => {
    const env = { ...process.env, DATA_DIR: dir, REDIS_URL: '' };
    const { stdout } = await promisify(execFile)(
      'npx',
      ['tsx', 'src/cli/staff.ts', 'add', 'admin', '--role', 'admin', '--password', 'admin-pass-1'],
      { env },
    );
    expect(stdout).toContain('已创建账号 admin');
    const store = new SqliteStaffAccountStore(join(dir, 'assistant.db'));
    try {
      expect(await store.getAccount('admin')).toMatchObject({ role: 'admin' });
    } finally {
      await store.close();
    }
    const failed = await promisify(execFile)('npx', ['tsx', 'src/cli/staff.ts', 'add', 'admin', '--role', 'admin', '--password', 'admin-pass-1'], { env }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed).toMatchObject({ code: 1, stderr: expect.stringContaining('已存在') });
  });
});
