import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionKey } from '../../src/dialogue/state.js';
import { createTestApp, joined, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('POST /api/chat', () => {
  it('when a graduate asks about the job-seeking subsidy, then the reply states the amount and names its source', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/chat',
      payload: { userId: 'api-1', text: '去年毕业的 现在还在找工作 求职创业补贴给多少' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { replies: Array<{ text: string; citations: Array<{ title: string; docNo: string | null; clause: string | null }> }> };
    expect(body.replies.length).toBeGreaterThan(0);
    const text = body.replies.map((r) => r.text).join('\n');
    expect(text).toMatch(/300元/);
    expect(text).toMatch(/出处/);
    const citations = body.replies.flatMap((r) => r.citations);
    expect(citations.length).toBeGreaterThan(0);
    for (const c of citations) {
      expect(typeof c.title).toBe('string');
      expect(c.docNo === null || typeof c.docNo === 'string').toBe(true);
      expect(c.clause === null || typeof c.clause === 'string').toBe(true);
    }
  });

  it.each([
    ['no userId', { text: '你好' }, 'userId'],
    ['empty userId', { userId: '  ', text: '你好' }, 'userId'],
    ['text of the wrong type', { userId: 'u', text: 42 }, 'text'],
    ['text too long', { userId: 'u', text: '补'.repeat(2001) }, 'text'],
    ['an unknown channel', { userId: 'u', text: '你好', channel: 'fax' }, 'channel'],
  ])('when the body has %s, then 400 names the field and nothing is stored', async (_name, payload, field) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/chat', payload });
    expect(res.statusCode).toBe(400);
    const body = res.json() as { error: { code: string; message: string; issues: Array<{ path: string }> } };
    expect(body.error.code).toBe('BAD_REQUEST');
    expect(body.error.issues.map((i) => i.path).join(' ')).toContain(field);
    const userId = (payload as { userId?: unknown }).userId;
    if (typeof userId === 'string') expect(await t.assistant.stores.sessions.get(sessionKey('web', userId))).toBeNull();
  });

  it('when the body is not JSON, then 400 with a JSON error', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/chat', headers: { 'content-type': 'application/json' }, payload: '{"userId":' });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
  });

  it('when the same userId writes again, then the conversation continues (a menu number picks its option)', async () => {
    const first = joined(await t.chat('api-menu', '你好'));
    expect(first).toMatch(/1\./);
    const second = joined(await t.chat('api-menu', '2'));
    // Option 2 of the menu is the calculator: it asks a first question instead of greeting again.
    expect(second).not.toBe(first);
    expect(second).toMatch(/[？?]|回复数字/);
  });

  it('when a message id repeats (the first response was lost), then the retry gets the original replies and is not handled twice', async () => {
    const send = (userId = 'api-dup', text = '老板欠我3个月工资') =>
      t.app.inject({ method: 'POST', url: '/api/chat', payload: { userId, text, messageId: 'm-1' } });
    const first = (await send()).json().replies;
    expect(first.length).toBeGreaterThan(0);
    expect((await send()).json().replies).toEqual(first);
    const state = await t.assistant.stores.sessions.get<{ history: Array<{ from: string }> }>(sessionKey('web', 'api-dup'));
    expect(state?.history.filter((h) => h.from === 'user')).toHaveLength(1);
    // Another user's m-1 is their own message, answered for them.
    const other = (await send('api-dup-other', '你好')).json().replies;
    expect(other.length).toBeGreaterThan(0);
    expect(other).not.toEqual(first);
  });

  it('when the sender is over the per-minute limit, then 429 with Retry-After and the Chinese message', async () => {
    const limited = await createTestApp({ RATE_LIMIT_PER_MINUTE: '2' });
    try {
      const send = () => limited.app.inject({ method: 'POST', url: '/api/chat', payload: { userId: 'api-fast', text: '你好' } });
      expect((await send()).statusCode).toBe(200);
      expect((await send()).statusCode).toBe(200);
      for (let i = 0; i < 2; i++) {
        const res = await send();
        expect(res.statusCode).toBe(429);
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(res.json()).toEqual({ error: { code: 'RATE_LIMITED', message: '您发送得太快了，请稍等一分钟再发。' } });
      }
    } finally {
      await limited.close();
    }
  });
});

describe('GET /health and the chat page', () => {
  it('when the server is up, then /health is 200 with the knowledge base loaded', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { status: string; documents: number };
    expect(body.status).toBe('ok');
    expect(body.documents).toBeGreaterThan(30);
  });

  it('when a browser opens /, then it gets the Chinese chat page', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('就业创业政策咨询助手');
  });

  it('when an unknown path is asked for, then 404 in the error format', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/nope' });
    expect(res.statusCode).toBe(404);
    expect((res.json() as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });
});
