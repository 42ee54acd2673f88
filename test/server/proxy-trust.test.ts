/**
 * X-Forwarded-For: TRUST_PROXY believes only the configured hops or proxy addresses; an address taken
 * from a header is never exempt from the per-IP limit (loopback is exempt only as the socket's own
 * address, without the header); requests with X-Forwarded-For while no proxy is trusted log one warning.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createAssistant } from '../../src/assistant.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';

const opened: Array<{ app: FastifyInstance; dir: string }> = [];
const previous = process.env.RATE_LIMIT_IP_PER_MINUTE;
afterEach(async () => {
  for (const o of opened.splice(0)) {
    await o.app.close();
    rmSync(o.dir, { recursive: true, force: true });
  }
});
afterAll(() => {
  if (previous === undefined) delete process.env.RATE_LIMIT_IP_PER_MINUTE;
  else process.env.RATE_LIMIT_IP_PER_MINUTE = previous;
});

async function start(env: Record<string, string>, lines: string[] = []): Promise<FastifyInstance> {
  process.env.RATE_LIMIT_IP_PER_MINUTE = '3';
  const dir = mkdtempSync(join(tmpdir(), 'epa-proxy-'));
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'warn', TODAY: '2026-11-23', ...env });
  const assistant = await createAssistant(config);
  const app = await buildApp(assistant, { logLevel: 'warn', logStream: { write: (l: string) => void lines.push(l) } });
  opened.push({ app, dir });
  return app;
}

const get = (app: FastifyInstance, headers: Record<string, string> = {}, remoteAddress = '127.0.0.1') =>
  app.inject({ method: 'GET', url: '/index.html', headers, remoteAddress });

describe('TRUST_PROXY', () => {
  it('is a hop count, a list of proxy addresses, or off; "true" means one hop; anything else is refused', () => {
    const tp = (v: string) => loadConfig({ TRUST_PROXY: v }).TRUST_PROXY;
    expect(tp('false')).toBe(false);
    expect(tp('')).toBe(false);
    expect(tp('true')).toBe(1);
    expect(tp('2')).toBe(2);
    expect(tp('127.0.0.1, 10.0.0.0/8, ::1')).toEqual(['127.0.0.1', '10.0.0.0/8', '::1']);
    expect(() => tp('yes please')).toThrow(/TRUST_PROXY/);
    expect(() => tp('10.0.0.0/99')).toThrow(/TRUST_PROXY/);
  });

  it('behind one proxy hop, "X-Forwarded-For: 127.0.0.1" from a client is limited like any client', async () => {
    const app = await start({ TRUST_PROXY: 'true' });
    // nginx on this machine relays the client's forged header and appends the real address.
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await get(app, { 'x-forwarded-for': '127.0.0.1, 203.0.113.9' })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    // Even a bare forged loopback (no proxy appended anything) is not exempt.
    const bare: number[] = [];
    for (let i = 0; i < 5; i++) bare.push((await get(app, { 'x-forwarded-for': '127.0.0.1' }, '198.51.100.7')).statusCode);
    expect(bare).toEqual([200, 200, 200, 429, 429]);
    // Another real client is not affected.
    expect((await get(app, { 'x-forwarded-for': '127.0.0.1, 203.0.113.10' })).statusCode).toBe(200);
  });

  it('with the proxies listed by address, only their hops are skipped', async () => {
    const app = await start({ TRUST_PROXY: '127.0.0.1,10.0.0.0/8' });
    const statuses: number[] = [];
    // client 192.0.2.1 → proxy 10.1.2.3 → this server (via 127.0.0.1); the client's forged prefix is ignored.
    for (let i = 0; i < 4; i++) statuses.push((await get(app, { 'x-forwarded-for': `127.0.0.${i + 2}, 192.0.2.1, 10.1.2.3` })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('without a trusted proxy, the machine itself stays exempt, a forwarded request is not, and one warning is logged', async () => {
    const lines: string[] = [];
    const app = await start({}, lines);
    for (let i = 0; i < 6; i++) expect((await get(app)).statusCode).toBe(200);
    const forwarded: number[] = [];
    for (let i = 0; i < 5; i++) forwarded.push((await get(app, { 'x-forwarded-for': '127.0.0.1' })).statusCode);
    expect(forwarded).toEqual([200, 200, 200, 429, 429]);
    const warnings = lines.filter((l) => l.includes('TRUST_PROXY is not set'));
    expect(warnings).toHaveLength(1);
  });
});
