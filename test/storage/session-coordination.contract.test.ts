/**
 * The SessionStore's coordination primitives on both backends: short locks (one conversation turn at a
 * time across gateways) and the capped tally (the unanswered-questions log), each atomic when several
 * store instances (processes) share the data.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnansweredLog } from '../../src/answers/unanswered-log.js';
import type { SessionStore } from '../../src/dialogue/session-store.js';
import { BACKENDS, backend, type Backend } from './backends.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(BACKENDS)('SessionStore locks and tallies (%s)', (name) => {
  let b: Backend;
  let store: SessionStore;

  beforeEach(() => {
    b = backend(name);
    store = b.openSessions();
  });
  afterEach(async () => {
    await b.dispose();
  });

  it('when 10 store instances try one lock at once, then exactly one holds it until it unlocks', async () => {
    const others = Array.from({ length: 10 }, () => b.openSessions());
    const tokens = await Promise.all(others.map((s) => s.tryLock('conv:web:u1', 10_000)));
    expect(tokens.filter((t) => t !== null)).toHaveLength(1);
    const holder = tokens.findIndex((t) => t !== null);
    expect(await store.tryLock('conv:web:u1', 10_000)).toBeNull();
    // Another holder's token does not release it.
    await store.unlock('conv:web:u1', 'not-the-token');
    expect(await store.tryLock('conv:web:u1', 10_000)).toBeNull();
    await others[holder]!.unlock('conv:web:u1', tokens[holder]!);
    expect(await store.tryLock('conv:web:u1', 10_000)).not.toBeNull();
    expect(await store.tryLock('conv:web:u2', 10_000)).not.toBeNull();
  });

  it('when a holder never unlocks, then the lock frees itself after its ttl', async () => {
    expect(await store.tryLock('dead', 300)).not.toBeNull();
    expect(await store.tryLock('dead', 300)).toBeNull();
    await sleep(400);
    expect(await store.tryLock('dead', 300)).not.toBeNull();
  });

  it('when members are tallied from several instances at once, then no count is lost and the newest come first', async () => {
    const others = Array.from({ length: 4 }, () => b.openSessions());
    const base = Date.parse('2026-11-23T08:00:00Z');
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        others[i % 4]!.tally('unanswered', i % 2 === 0 ? '最低工资多少' : '公积金怎么取', new Date(base + i * 1000), `web|r${i}`, { cap: 10, ttlSeconds: 600 }),
      ),
    );
    const list = await store.tallies('unanswered', 10);
    expect(list.map((e) => [e.member, e.count])).toEqual([
      ['公积金怎么取', 20],
      ['最低工资多少', 20],
    ]);
    expect(list[0]!.at).toBe(new Date(base + 39_000).toISOString());
    // The info of one occurrence (the first to arrive) is kept, not overwritten by later ones.
    expect(list[1]!.info).toMatch(/^web\|r\d*[02468]$/);
    await store.tally('unanswered', '新问题', new Date(base), 'first', { cap: 10, ttlSeconds: 600 });
    await store.tally('unanswered', '新问题', new Date(base + 1), 'second', { cap: 10, ttlSeconds: 600, by: 3 });
    expect((await store.tallies('unanswered', 10)).find((e) => e.member === '新问题')).toMatchObject({ info: 'first', count: 4 });
  });

  it('when more members than the cap are tallied, then only the most recent are kept', async () => {
    const base = Date.parse('2026-11-23T08:00:00Z');
    for (let i = 0; i < 8; i++) await store.tally('t', `q${i}`, new Date(base + i * 1000), '', { cap: 5, ttlSeconds: 600 });
    // An old member seen again moves to the front.
    await store.tally('t', 'q4', new Date(base + 60_000), '', { cap: 5, ttlSeconds: 600 });
    expect((await store.tallies('t', 50)).map((e) => e.member)).toEqual(['q4', 'q7', 'q6', 'q5', 'q3']);
    expect(await store.tallies('t', 2)).toHaveLength(2);
    expect(await store.tallies('nothing', 5)).toEqual([]);
  });

  it('when the unanswered log of an older version (a JSON list) is found, then it is carried over with its counts, once', async () => {
    await store.set('unanswered:log', [
      { text: '最低工资多少', reason: 'no_figure', channel: 'web', at: '2026-11-20T08:00:00.000Z', count: 7 },
      { text: '公积金怎么取', reason: 'no_match', channel: 'sms', at: '2026-11-19T08:00:00.000Z', count: 2 },
    ], 600);
    const [x, y] = [new UnansweredLog(store), new UnansweredLog(b.openSessions())];
    await Promise.all([x.list(), y.list()]);
    await x.record({ text: '最低工资多少', reason: 'no_figure', channel: 'wechat', at: new Date('2026-11-23T08:00:00.000Z') });
    expect(await new UnansweredLog(store).list()).toEqual([
      { text: '最低工资多少', reason: 'no_figure', channel: 'web', at: '2026-11-23T08:00:00.000Z', count: 8 },
      { text: '公积金怎么取', reason: 'no_match', channel: 'sms', at: '2026-11-19T08:00:00.000Z', count: 2 },
    ]);
    expect(await store.get('unanswered:log')).toBeNull();
  });
});
