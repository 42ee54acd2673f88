/**
 * The platform layer through the real app (inject): security headers that keep the chat page and the
 * staff console working, the per-IP limit (shared through Redis), body size, the staff API closed
 * without a token, Prometheus metrics, and 503 UNAVAILABLE when Redis cannot be reached.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testRedisUrl } from '../helpers/redis.js';
import { freePort } from '../setup/redis-server.js';
import { isBackendUnavailable } from '../../src/server/unavailable.js';

const apps: TestApp[] = [];
async function app(env: Record<string, string> = {}): Promise<TestApp> {
  const t = await createTestApp(env);
  apps.push(t);
  return t;
}
afterEach(async () => {
  delete process.env.RATE_LIMIT_IP_PER_MINUTE;
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

const randomIp = (): string => `198.51.100.${1 + Math.floor(Math.random() * 250)}`;
const chatFrom = (t: TestApp, remoteAddress: string, userId = 'ip-user') =>
  t.app.inject({ method: 'POST', url: '/api/chat', remoteAddress, payload: { userId, text: '你好' } });

describe('security headers', () => {
  it('the chat page is served with a CSP that allows its own script file and no inline script', async () => {
    const t = await app();
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    // The page's script is /chat.js (issue 19); security.ts would still hash an inline one if it came back.
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.body).toContain('<script src="/chat.js"');
    expect((await t.app.inject({ method: 'GET', url: '/chat.js' })).statusCode).toBe(200);
    expect(csp).toMatch(/script-src 'self'(;|$| )/);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
  });

  it('the staff console keeps its own strict policy and loads', async () => {
    const t = await app();
    const res = await t.app.inject({ method: 'GET', url: '/staff' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self';");
    const js = [...res.body.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]!);
    expect(res.body).not.toMatch(/<script>(?!<\/script>)/);
    for (const src of js) {
      const asset = await t.app.inject({ method: 'GET', url: src.startsWith('/') ? src : `/staff/${src}` });
      expect(asset.statusCode, src).toBe(200);
    }
  });

  it('the API answers JSON with the headers too', async () => {
    const t = await app();
    const res = await t.app.inject({ method: 'POST', url: '/api/chat', payload: { userId: 'h1', text: '你好' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("object-src 'none'");
  });

  it('errors and unknown paths carry the same headers', async () => {
    const t = await app();
    const missing = await t.app.inject({ method: 'GET', url: '/no-such-page' });
    const bad = await t.app.inject({ method: 'POST', url: '/api/chat', payload: { userId: '', text: 1 } });
    expect([missing.statusCode, bad.statusCode]).toEqual([404, 400]);
    for (const res of [missing, bad]) {
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'self'");
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    }
  });
});

describe('abuse limits', () => {
  it('a body over 64 KiB is refused with 413 and the error format', async () => {
    const t = await app();
    const res = await t.app.inject({ method: 'POST', url: '/api/chat', payload: { userId: 'big', text: 'x'.repeat(70_000) } });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) } });
  });

  it('one address over RATE_LIMIT_IP_PER_MINUTE gets 429 RATE_LIMITED; others and loopback do not', async () => {
    process.env.RATE_LIMIT_IP_PER_MINUTE = '3';
    const t = await app();
    const ip = randomIp();
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await chatFrom(t, ip, `u${i}`)).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const limited = await chatFrom(t, ip);
    expect(limited.json()).toEqual({ error: { code: 'RATE_LIMITED', message: expect.any(String) } });
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await chatFrom(t, '203.0.113.9')).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await chatFrom(t, '127.0.0.1', `l${i}`)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/health', remoteAddress: ip })).statusCode).toBe(200);
  });

  it('with Redis the per-address count is shared by two gateway instances', async () => {
    process.env.RATE_LIMIT_IP_PER_MINUTE = '4';
    const a = await app({ REDIS_URL: testRedisUrl() });
    const b = await app({ REDIS_URL: testRedisUrl() });
    const ip = `192.0.2.${1 + Math.floor(Math.random() * 250)}`;
    const codes = [];
    for (let i = 0; i < 6; i++) codes.push((await chatFrom(i % 2 ? b : a, ip, `r${i}`)).statusCode);
    expect(codes).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('the staff API is unreachable without a valid token', async () => {
    const t = await app();
    for (const url of ['/api/tickets', '/api/staff/accounts', '/api/stats']) {
      const none = await t.app.inject({ method: 'GET', url });
      expect([401, 404], url).toContain(none.statusCode);
      const bogus = await t.app.inject({ method: 'GET', url, headers: { authorization: 'Bearer not-a-token' } });
      expect([401, 404], url).toContain(bogus.statusCode);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/tickets' })).statusCode).toBe(401);
  });
});

describe('metrics', () => {
  it('GET /metrics reports messages, intents, latency, tickets and queue age', async () => {
    const t = await app();
    await t.chat('m1', '你好');
    await t.chat('m1', '高校毕业生有什么补贴');
    await t.chat('m2', '火星上的最低工资是多少');
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const body = res.body;
    expect(body).toContain('epa_messages_total{channel="web",outcome="answered"} 3');
    expect(body).toMatch(/epa_intents_total\{channel="web",intent="[a-z_:]+"\} \d/);
    expect(body).toMatch(/epa_message_duration_seconds_count\{channel="web"\} 3/);
    expect(body).toMatch(/epa_http_request_duration_seconds_count\{method="POST",route="\/api\/chat",status_code="200"\} 3/);
    expect(body).toContain('epa_tickets{status="new"} 0');
    expect(body).toContain('epa_ticket_queue_oldest_age_seconds 0');
    expect(body).toContain('# TYPE epa_unanswered_total counter');
    expect(body).toContain('epa_process_resident_memory_bytes');
  });

  it('with METRICS_TOKEN the scrape needs the bearer token', async () => {
    process.env.METRICS_TOKEN = 'scrape-secret';
    const t = await app();
    delete process.env.METRICS_TOKEN;
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const wrong = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    const ok = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer scrape-secret' } });
    expect(ok.statusCode).toBe(200);
  });

  it('two apps keep separate registries', async () => {
    const a = await app();
    const b = await app();
    await a.chat('x', '你好');
    const mb = await b.app.inject({ method: 'GET', url: '/metrics' });
    expect(mb.body).not.toContain('epa_messages_total{channel="web",outcome="answered"}');
  });
});

describe('storage away', () => {
  it('with Redis unreachable a chat gets 503 UNAVAILABLE, not a crash or a 500', async () => {
    const port = await freePort();
    const t = await app({ REDIS_URL: `redis://127.0.0.1:${port}` });
    const res = await t.app.inject({ method: 'POST', url: '/api/chat', payload: { userId: 'down', text: '你好' } });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ error: { code: 'UNAVAILABLE', message: expect.any(String) } });
    expect(res.headers['retry-after']).toBeDefined();
    // From a non-loopback address the per-IP limit (on the same unreachable Redis) is skipped, not fatal.
    const remote = await chatFrom(t, randomIp(), 'down-remote');
    expect(remote.statusCode).toBe(503);
    expect(remote.json()).toMatchObject({ error: { code: 'UNAVAILABLE' } });
    expect((await t.app.inject({ method: 'GET', url: '/', remoteAddress: randomIp() })).statusCode).toBe(200);
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('epa_messages_total{channel="web",outcome="error"} 2');
  });

  it('recognises the temporary failures and nothing else', () => {
    expect(isBackendUnavailable(Object.assign(new Error('x'), { name: 'MaxRetriesPerRequestError' }))).toBe(true);
    expect(isBackendUnavailable(new Error('Connection is closed.'))).toBe(true);
    expect(isBackendUnavailable(new Error('LOADING Redis is loading the dataset in memory'))).toBe(true);
    expect(isBackendUnavailable(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isBackendUnavailable(new Error('wrap', { cause: Object.assign(new Error('r'), { code: 'ECONNRESET' }) }))).toBe(true);
    expect(isBackendUnavailable(new TypeError('undefined is not a function'))).toBe(false);
    expect(isBackendUnavailable(null)).toBe(false);
  });
});

it('the chat page file exists where security.ts looks for inline scripts to hash', () => {
  expect(readFileSync(new URL('../../src/channels/web/public/index.html', import.meta.url), 'utf8')).toContain('<script src="/chat.js"');
});
