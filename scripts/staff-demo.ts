/**
 * A throw-away staff console to look at: `npx tsx scripts/staff-demo.ts [--tickets 300] [--port 3100]`
 * starts the staff plugin alone on an embedded database in a temporary directory, with demo tickets
 * and three accounts (admin / admin-pass-1, li.ming / staff-pass-1, wang.fang / staff-pass-2).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { installErrorHandler } from '../src/server/error-handler.js';
import { StaffAccounts } from '../src/staff/accounts.js';
import { staffRoutes } from '../src/staff/routes.js';
import { SqliteStaffAccountStore } from '../src/staff/sqlite-account-store.js';
import { SqliteTicketStore } from '../src/storage/sqlite/ticket-store.js';
import { demoTickets, seedDemoTickets } from './staff-fixtures.js';

export const DEMO_USERS = [
  { username: 'admin', password: 'admin-pass-1', role: 'admin' as const, displayName: '赵主任' },
  { username: 'li.ming', password: 'staff-pass-1', role: 'staff' as const, displayName: '李明' },
  { username: 'wang.fang', password: 'staff-pass-2', role: 'staff' as const, displayName: '王芳' },
];

export async function startStaffDemo(options: { tickets: number; port: number; host?: string }) {
  const dir = mkdtempSync(join(tmpdir(), 'epa-staff-demo-'));
  const file = join(dir, 'assistant.db');
  const clock = { now: new Date() };
  const tickets = new SqliteTicketStore(file, { clock: () => clock.now });
  const accounts = new SqliteStaffAccountStore(file);
  const manage = new StaffAccounts(accounts, () => new Date());
  for (const u of DEMO_USERS) await manage.create('cli', u);
  await seedDemoTickets(tickets, clock, demoTickets(options.tickets, clock.now), ['li.ming', 'wang.fang']);
  const unanswered = {
    list: async (limit: number) =>
      [
        { text: '平顶山市现在的最低工资标准是多少', at: new Date().toISOString(), count: 14 },
        { text: '退役军人创业有没有额外补贴', at: new Date(Date.now() - 3600_000).toISOString(), count: 6 },
        { text: '在外省交的社保能转回来吗', at: new Date(Date.now() - 86400_000).toISOString(), count: 3 },
      ].slice(0, limit),
  };
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  await app.register(staffRoutes, { tickets, accounts, unanswered, clock: () => new Date() });
  const address = await app.listen({ port: options.port, host: options.host ?? '127.0.0.1' });
  return {
    address,
    tickets,
    accounts,
    close: async () => {
      await app.close();
      await tickets.close();
      await accounts.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { tickets: { type: 'string', default: '300' }, port: { type: 'string', default: '3100' } } });
  const demo = await startStaffDemo({ tickets: Number(values.tickets), port: Number(values.port) });
  console.log(`工单处理台: ${demo.address}/staff   API 文档: ${demo.address}/api/docs`);
  console.log(DEMO_USERS.map((u) => `${u.username} / ${u.password}`).join('   '));
  const stop = async () => {
    await demo.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
