/**
 * A minimal fastify app around the staff plugin, as src/server/app.ts will wire it: zod compilers,
 * the catalogue error handler, real stores on either backend, and three accounts. scrypt runs at a
 * low cost here so that the suite stays quick (password.test.ts covers the production cost).
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { installErrorHandler } from '../../src/server/error-handler.js';
import type { StaffAccountStore } from '../../src/staff/account-store.js';
import { StaffAccounts } from '../../src/staff/accounts.js';
import type { AuthPolicy } from '../../src/staff/auth.js';
import type { ScryptCost } from '../../src/staff/password.js';
import { staffRoutes } from '../../src/staff/routes.js';
import type { UnansweredSource } from '../../src/staff/stats-route.js';
import { systemClock, type Clock, type TicketStore } from '../../src/tickets/ticket-store.js';
import type { FileTicketInput, Ticket } from '../../src/tickets/types.js';
import { backend, type BackendName } from '../storage/backends.js';
import { wageComplaint } from '../tickets/ticket-input.js';
import { staffBackend } from './backends.js';

export const TEST_SCRYPT: ScryptCost = { N: 1024, r: 8, p: 1 };

export const USERS = {
  admin: { username: 'admin', password: 'admin-pass-1', role: 'admin', displayName: '赵主任' },
  staff: { username: 'li.ming', password: 'staff-pass-1', role: 'staff', displayName: '李明' },
  other: { username: 'wang.fang', password: 'staff-pass-2', role: 'staff', displayName: '王芳' },
} as const;

export interface StaffTestApp {
  app: FastifyInstance;
  tickets: TicketStore;
  accounts: StaffAccountStore;
  /** Logs in through the API; returns the bearer token. */
  login(user?: { username: string; password: string }): Promise<string>;
  /** Authorization header for a user. */
  as(user?: { username: string; password: string }): Promise<{ authorization: string }>;
  file(overrides?: Partial<FileTicketInput>): Promise<Ticket>;
  close(): Promise<void>;
}

export interface StaffTestOptions {
  backend?: BackendName;
  clock?: Clock;
  unanswered?: UnansweredSource;
  authPolicy?: Partial<AuthPolicy>;
  /** A pino logger to capture what the app logs (default: no logging). */
  loggerInstance?: FastifyBaseLogger;
}

export async function buildStaffTestApp(options: StaffTestOptions = {}): Promise<StaffTestApp> {
  const name = options.backend ?? 'sqlite';
  const clock = options.clock ?? systemClock;
  const ticketData = backend(name);
  const staffData = staffBackend(name);
  const tickets = ticketData.openTickets({ clock });
  const accounts = staffData.open();
  const manage = new StaffAccounts(accounts, clock, TEST_SCRYPT);
  for (const u of Object.values(USERS)) await manage.create('test', u);

  const app = options.loggerInstance ? Fastify({ loggerInstance: options.loggerInstance }) : Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  await app.register(staffRoutes, {
    tickets,
    accounts,
    clock,
    ...(options.unanswered ? { unanswered: options.unanswered } : {}),
    authPolicy: { scryptCost: TEST_SCRYPT, ...options.authPolicy },
  });
  await app.ready();

  let n = 0;
  const login = async (user: { username: string; password: string } = USERS.staff) => {
    const res = await app.inject({ method: 'POST', url: '/api/staff/login', payload: { username: user.username, password: user.password } });
    if (res.statusCode !== 200) throw new Error(`login ${user.username}: ${res.statusCode} ${res.body}`);
    return (res.json() as { token: string }).token;
  };
  return {
    app,
    tickets,
    accounts,
    login,
    as: async (user) => ({ authorization: `Bearer ${await login(user)}` }),
    file: async (overrides = {}) => (await tickets.file(wageComplaint(overrides), `test-${++n}-${Math.random()}`)).ticket,
    close: async () => {
      await app.close();
      await ticketData.dispose();
      await staffData.dispose();
    },
  };
}
