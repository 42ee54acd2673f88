/**
 * The staff account command line (src/cli/staff.ts is its entry point), against the same storage as
 * the server (DATA_DIR / REDIS_URL):
 *
 *   add <username> --role staff|admin --password <pw> [--name 姓名]
 *   list
 *   passwd <username> --password <pw>        (or --password-stdin, to keep it out of shell history)
 *   role <username> staff|admin
 *   disable <username> | enable <username>
 *
 * Returns the exit code: 0 done, 1 refused (exists, not found, invalid), 2 usage error.
 */
import { parseArgs } from 'node:util';
import { ApiError } from '../server/errors.js';
import type { Clock } from '../tickets/ticket-store.js';
import type { StaffAccountStore } from './account-store.js';
import { StaffAccounts } from './accounts.js';
import type { ScryptCost } from './password.js';
import { StaffRoleSchema } from './types.js';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** The first line of standard input (for --password-stdin). */
  readStdin(): Promise<string>;
}

export const USAGE = `用法 (usage):
  npm run staff -- add <用户名> --role staff|admin --password <密码> [--name 姓名]
  npm run staff -- list
  npm run staff -- passwd <用户名> --password <密码>   （或 --password-stdin 从标准输入读取）
  npm run staff -- role <用户名> staff|admin
  npm run staff -- disable <用户名>
  npm run staff -- enable <用户名>
存储位置同服务器：DATA_DIR（默认 ./data）或 REDIS_URL。`;

const ACTOR = 'cli';

export async function runStaffCli(
  argv: string[],
  store: StaffAccountStore,
  io: CliIo,
  options: { clock?: Clock; scryptCost?: ScryptCost } = {},
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        role: { type: 'string' },
        password: { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
        name: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    io.err((err as Error).message);
    io.err(USAGE);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, username, extra] = positionals;
  if (values.help || !command) {
    (values.help ? io.out : io.err)(USAGE);
    return values.help ? 0 : 2;
  }
  const accounts = new StaffAccounts(store, options.clock ?? (() => new Date()), options.scryptCost);
  const password = async () => (values['password-stdin'] ? (await io.readStdin()).replace(/\r?\n$/, '') : values.password);

  try {
    switch (command) {
      case 'add': {
        const pw = await password();
        if (!username || !values.role || !pw) return usage(io, 'add 需要 <用户名>、--role 和 --password');
        const role = StaffRoleSchema.safeParse(values.role);
        if (!role.success) return usage(io, `--role 只能是 staff 或 admin，而不是 "${values.role}"`);
        const a = await accounts.create(ACTOR, { username, role: role.data, password: pw, displayName: values.name ?? null });
        io.out(`已创建账号 ${a.username}（${roleName(a.role)}）`);
        return 0;
      }
      case 'list': {
        const all = await accounts.list();
        if (all.length === 0) io.out('还没有账号。用 add 创建第一个管理员账号。');
        for (const a of all) {
          io.out([a.username.padEnd(20), a.role.padEnd(6), a.disabled ? '已停用' : '启用  ', a.displayName ?? ''].join(' ').trimEnd());
        }
        return 0;
      }
      case 'passwd': {
        const pw = await password();
        if (!username || !pw) return usage(io, 'passwd 需要 <用户名> 和 --password（或 --password-stdin）');
        await accounts.update(ACTOR, username, { password: pw });
        io.out(`已重置 ${username.toLowerCase()} 的密码，其已登录的会话已全部失效`);
        return 0;
      }
      case 'role': {
        const role = StaffRoleSchema.safeParse(extra ?? values.role);
        if (!username || !role.success) return usage(io, 'role 需要 <用户名> 和 staff|admin');
        await accounts.update(ACTOR, username, { role: role.data });
        io.out(`${username.toLowerCase()} 现在是${roleName(role.data)}`);
        return 0;
      }
      case 'disable':
      case 'enable': {
        if (!username) return usage(io, `${command} 需要 <用户名>`);
        await accounts.update(ACTOR, username, { disabled: command === 'disable' });
        io.out(`${username.toLowerCase()} 已${command === 'disable' ? '停用（会话已失效）' : '启用'}`);
        return 0;
      }
      default:
        return usage(io, `未知命令 "${command}"`);
    }
  } catch (err) {
    if (err instanceof ApiError) {
      io.err(`${err.message}${command === 'add' && err.code === 'CONFLICT' ? '（修改密码请用 passwd）' : ''}`);
      return 1;
    }
    throw err;
  }
}

function usage(io: CliIo, message: string): number {
  io.err(message);
  io.err(USAGE);
  return 2;
}

function roleName(role: string): string {
  return role === 'admin' ? '管理员' : '工作人员';
}
