import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installErrorHandler } from '../../src/server/error-handler.js';
import { StaffAccounts } from '../../src/staff/accounts.js';
import { StaffAuth } from '../../src/staff/auth.js';
import { staffRoutes } from '../../src/staff/routes.js';
import { staffBackend, type StaffBackend } from './backends.js';
import { backend, type Backend } from '../storage/backends.js';
import { buildStaffTestApp, TEST_SCRYPT, type StaffTestApp } from './helper.js';

describe('the console files', () => {
  let t: StaffTestApp;
  beforeEach(async () => {
    t = await buildStaffTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('when /staff is asked for, then the page comes with a strict CSP and its scripts and styles are served', async () => {
    for (const url of ['/staff', '/staff/']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.body).toContain('/staff/js/main.js');
    }
    for (const [url, type] of [['/staff/js/main.js', 'text/javascript'], ['/staff/style.css', 'text/css']] as const) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toContain(type);
    }
  });

  it('when the page was seen before, then 304; when a deep link is reloaded, then the page itself', async () => {
    const first = await t.app.inject({ url: '/staff/style.css' });
    const again = await t.app.inject({ url: '/staff/style.css', headers: { 'if-none-match': String(first.headers.etag) } });
    expect(again.statusCode).toBe(304);
    const deep = await t.app.inject({ url: '/staff/tickets/QX300101-AAAA' });
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toContain('<title>工单处理台');
  });

  it('when a path tries to climb out of the console folder, then it only ever gets the page', async () => {
    const res = await t.app.inject({ url: '/staff/..%2f..%2fpackage.json' });
    expect(res.body).not.toContain('"dependencies"');
  });
});

describe('next to the chat page', () => {
  let tickets: Backend;
  let staff: StaffBackend;
  beforeEach(() => {
    tickets = backend('sqlite');
    staff = staffBackend('sqlite');
  });
  afterEach(async () => {
    await tickets.dispose();
    await staff.dispose();
  });

  it('when registered beside @fastify/static at / as the app does, then the chat page, the console and the docs all answer', async () => {
    const app = Fastify({ logger: false });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    installErrorHandler(app);
    await app.register(fastifyStatic, { root: fileURLToPath(new URL('../../src/channels/web/public/', import.meta.url)), prefix: '/' });
    await app.register(staffRoutes, { tickets: tickets.openTickets(), accounts: staff.open() });
    try {
      expect((await app.inject({ url: '/' })).statusCode).toBe(200);
      expect((await app.inject({ url: '/staff' })).body).toContain('工单处理台');
      expect((await app.inject({ url: '/staff/js/api.js' })).statusCode).toBe(200);
      expect((await app.inject({ url: '/api/docs/json' })).json().info.title).toContain('工单');
      expect((await app.inject({ url: '/api/tickets' })).statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });
});

describe('password upgrade at log-in', () => {
  it('when an account was hashed at a lower cost than today, then logging in rehashes it', async () => {
    const b = staffBackend('sqlite');
    const store = b.open();
    try {
      await new StaffAccounts(store, () => new Date(), TEST_SCRYPT).create('cli', { username: 'li', role: 'staff', password: 'staff-pass-1' });
      const stronger = { ...TEST_SCRYPT, N: TEST_SCRYPT.N * 2 };
      await new StaffAuth(store, () => new Date(), { scryptCost: stronger }).login('li', 'staff-pass-1', null);
      expect((await store.getAccount('li'))!.passwordHash).toMatch(new RegExp(`^scrypt\\$${stronger.N}\\$`));
    } finally {
      await b.dispose();
    }
  });
});
