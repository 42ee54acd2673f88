/**
 * Status endpoints in production (issue 16, item 10): /health never shows the storage driver's error
 * text; /metrics without METRICS_TOKEN and /api/docs answer only this machine and private networks
 * (API_DOCS=internal, the default), or nobody (off), or everybody (public).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

const opened: TestApp[] = [];
const saved = { docs: process.env.API_DOCS, token: process.env.METRICS_TOKEN };
afterEach(async () => {
  for (const t of opened.splice(0)) await t.close();
});
afterAll(() => {
  for (const [k, v] of [['API_DOCS', saved.docs], ['METRICS_TOKEN', saved.token]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

async function app(env: { API_DOCS?: string } = {}, config: Record<string, string> = {}): Promise<TestApp> {
  delete process.env.METRICS_TOKEN;
  if (env.API_DOCS) process.env.API_DOCS = env.API_DOCS;
  else delete process.env.API_DOCS;
  const t = await createTestApp(config);
  opened.push(t);
  return t;
}

const get = (t: TestApp, url: string, remoteAddress = '127.0.0.1', headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, remoteAddress, headers });

describe('status endpoints', () => {
  it('/health says unavailable without the driver error text', async () => {
    const t = await app();
    t.assistant.health = async () => {
      throw new Error('connect ECONNREFUSED 10.20.30.40:6379 (redis-prod.internal)');
    };
    const res = await get(t, '/health');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'unavailable' });
    expect(res.body).not.toMatch(/ECONNREFUSED|10\.20\.30\.40|6379|redis-prod/);
  });

  it('/metrics without a token answers this machine and private networks only', async () => {
    const t = await app();
    expect((await get(t, '/metrics')).statusCode).toBe(200);
    expect((await get(t, '/metrics', '10.1.2.3')).statusCode).toBe(200);
    expect((await get(t, '/metrics', '192.168.7.20')).statusCode).toBe(200);
    expect((await get(t, '/metrics', '203.0.113.5')).statusCode).toBe(404);
    // Relayed by a proxy we were not told to trust: not internal, whatever it claims.
    expect((await get(t, '/metrics', '127.0.0.1', { 'x-forwarded-for': '10.0.0.1' })).statusCode).toBe(404);
  });

  it('behind a trusted proxy, the client address decides', async () => {
    const t = await app({}, { TRUST_PROXY: '1' });
    expect((await get(t, '/metrics', '127.0.0.1', { 'x-forwarded-for': '10.9.8.7' })).statusCode).toBe(200);
    expect((await get(t, '/metrics', '127.0.0.1', { 'x-forwarded-for': '10.0.0.1, 198.51.100.20' })).statusCode).toBe(404);
    expect((await get(t, '/api/docs/json', '127.0.0.1', { 'x-forwarded-for': '198.51.100.20' })).statusCode).toBe(404);
  });

  it('/api/docs is internal by default, can be turned off or made public', async () => {
    const internal = await app();
    expect((await get(internal, '/api/docs/json')).statusCode).toBe(200);
    expect((await get(internal, '/api/docs', '172.20.0.5')).statusCode).not.toBe(404);
    expect((await get(internal, '/api/docs/json', '203.0.113.5')).statusCode).toBe(404);
    expect((await get(internal, '/api/docs', '203.0.113.5')).statusCode).toBe(404);
    const off = await app({ API_DOCS: 'off' });
    expect((await get(off, '/api/docs/json')).statusCode).toBe(404);
    const open = await app({ API_DOCS: 'public' });
    expect((await get(open, '/api/docs/json', '203.0.113.5')).statusCode).toBe(200);
  });
});
