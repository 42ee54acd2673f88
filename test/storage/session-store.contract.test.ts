import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionStore } from '../../src/dialogue/session-store.js';
import { BACKENDS, backend, type Backend } from './backends.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(BACKENDS)('SessionStore contract (%s)', (name) => {
  let b: Backend;
  let store: SessionStore;

  beforeEach(() => {
    b = backend(name);
    store = b.openSessions();
  });
  afterEach(async () => {
    await b.dispose();
  });

  it('when a value is stored, then it reads back equal, Chinese text included', async () => {
    const state = { form: 'wage_arrears', slots: { employer: '平顶山某建筑公司', amountOwed: 23000 }, step: 3 };
    await store.set('web:u1', state, 600);
    expect(await store.get('web:u1')).toEqual(state);
  });

  it('when a key was never stored or was deleted, then get answers null', async () => {
    expect(await store.get('nobody')).toBeNull();
    await store.set('k', 'v', 600);
    await store.delete('k');
    expect(await store.get('k')).toBeNull();
  });

  it('when a value is stored twice, then the second write wins', async () => {
    await store.set('k', { n: 1 }, 600);
    await store.set('k', { n: 2 }, 600);
    expect(await store.get('k')).toEqual({ n: 2 });
  });

  it('when its ttl has passed, then a value is gone', async () => {
    await store.set('short', 'x', 1);
    await store.set('long', 'y', 600);
    await sleep(1_100);
    expect(await store.get('short')).toBeNull();
    expect(await store.get('long')).toBe('y');
  });

  it('when an id is marked twice in a scope, then only the first mark is new', async () => {
    expect(await store.markSeen('wechat', 'msg-1', 600)).toBe(true);
    expect(await store.markSeen('wechat', 'msg-1', 600)).toBe(false);
    expect(await store.markSeen('sms', 'msg-1', 600)).toBe(true);
  });

  it('when a mark is forgotten (its handling failed), then the id counts as new again', async () => {
    expect(await store.markSeen('msg:sms', 'retry-1', 60)).toBe(true);
    await store.forgetSeen('msg:sms', 'retry-1');
    expect(await store.markSeen('msg:sms', 'retry-1', 60)).toBe(true);
    expect(await store.markSeen('msg:sms', 'retry-1', 60)).toBe(false);
  });

  it('when 20 processes mark the same id at once, then exactly one sees it first', async () => {
    const other = b.openSessions();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? other : store).markSeen('wechat', 'retry-42', 600)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('when a seen mark has expired, then the id counts as new again', async () => {
    expect(await store.markSeen('sms', 'm', 1)).toBe(true);
    await sleep(1_100);
    expect(await store.markSeen('sms', 'm', 1)).toBe(true);
  });

  it('when a sender hits more than the limit in a window, then the extra hits are refused', async () => {
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await store.hit('rate:web:u1', 60, 3));
    expect(results.map((r) => r.count)).toEqual([1, 2, 3, 4, 5]);
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
    expect((await store.hit('rate:web:u2', 60, 3)).count).toBe(1);
  });

  it('when the window has passed, then the counter starts again', async () => {
    await store.hit('rate:sms:1', 1, 1);
    expect((await store.hit('rate:sms:1', 1, 1)).allowed).toBe(false);
    await sleep(1_100);
    expect(await store.hit('rate:sms:1', 1, 1)).toEqual({ allowed: true, count: 1 });
  });

  it('when two processes count the same sender concurrently, then no hit is lost', async () => {
    const other = b.openSessions();
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? other : store).hit('rate:x', 60, 100)));
    expect(results.map((r) => r.count).sort((a, c) => a - c)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('when another process wrote a session, then this one reads it', async () => {
    const other = b.openSessions();
    await other.set('shared', { step: 1 }, 600);
    expect(await store.get('shared')).toEqual({ step: 1 });
  });
});
