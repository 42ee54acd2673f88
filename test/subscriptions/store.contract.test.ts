/** The subscription store on both backends: the same behaviour, and one notice per (publication, subscriber) across processes. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { deleteKeysWithPrefix } from '../../src/storage/redis/delete-prefix.js';
import { RedisSubscriptionStore, subscriptionKeys } from '../../src/subscriptions/redis-store.js';
import { SqliteSubscriptionStore } from '../../src/subscriptions/sqlite-store.js';
import { reachOf, type Notice, type Subscription, type SubscriptionStore } from '../../src/subscriptions/types.js';
import { testRedisUrl } from '../helpers/redis.js';

function backend(name: 'sqlite' | 'redis') {
  const opened: SubscriptionStore[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'epa-subs-'));
  const prefix = `epa-test:${randomUUID()}:`;
  return {
    open(): SubscriptionStore {
      const s = name === 'sqlite' ? new SqliteSubscriptionStore(join(dir, 'assistant.db')) : new RedisSubscriptionStore(new Redis(testRedisUrl()), subscriptionKeys(prefix), { ownsConnection: true });
      opened.push(s);
      return s;
    },
    async dispose() {
      for (const s of opened) await s.close();
      rmSync(dir, { recursive: true, force: true });
      if (name === 'redis') {
        const r = new Redis(testRedisUrl());
        await deleteKeysWithPrefix(r, prefix);
        await r.quit();
      }
    },
  };
}

const sub = (userId: string): Subscription => ({
  channel: 'sms',
  userId,
  topics: [{ programme: 'pds-startup-loan-personal', query: '创业贷款', label: '个人创业担保贷款', region: '平顶山市' }],
  facts: { age: 24 },
  region: '平顶山市',
  consent: { at: '2026-11-24T02:00:00.000Z', text: '确认订阅…' },
});
const notice = (docId: string, userId: string, queuedAt = '2026-11-24T02:00:00.000Z'): Notice => ({
  docId,
  channel: 'sms',
  userId,
  title: `《${docId}》`,
  topic: '个人创业担保贷款',
  reason: 'programme:pds-startup-loan-personal',
  status: 'pending',
  queuedAt,
  attempts: 0,
});

describe.each(['sqlite', 'redis'] as const)('subscription store (%s)', (name) => {
  let b: ReturnType<typeof backend>;
  afterEach(async () => b.dispose());

  it('keeps, replaces, lists and ends subscriptions', async () => {
    b = backend(name);
    const s = b.open();
    expect(await s.get('sms', '13800000001')).toBeNull();
    await s.put(sub('13800000001'));
    await s.put(sub('13800000002'));
    await s.put({ ...sub('13800000001'), topics: [] });
    expect((await s.get('sms', '13800000001'))?.topics).toEqual([]);
    expect((await s.list()).map((x) => x.userId)).toEqual(['13800000001', '13800000002']);
    expect(await b.open().get('sms', '13800000002')).toEqual(sub('13800000002'));
    expect(await s.delete('sms', '13800000001')).toBe(true);
    expect(await s.delete('sms', '13800000001')).toBe(false);
    expect((await s.list()).map((x) => x.userId)).toEqual(['13800000002']);
  });

  it('queues one notice per (publication, subscriber), even when two processes race', async () => {
    b = backend(name);
    const [one, two] = [b.open(), b.open()];
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? one : two).enqueue(notice('doc-a', 'u1'))));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await one.enqueue(notice('doc-a', 'u2', '2026-11-24T03:00:00.000Z'))).toBe(true);
    expect(await one.enqueue(notice('doc-b', 'u1', '2026-11-24T04:00:00.000Z'))).toBe(true);
    expect((await two.pending()).map((n) => `${n.docId}/${n.userId}`)).toEqual(['doc-a/u1', 'doc-a/u2', 'doc-b/u1']);

    const [first] = await two.notices('doc-a');
    await two.update({ ...first!, status: 'sent', sentAt: '2026-11-24T05:00:00.000Z', attempts: 1 });
    // A notice already sent is not queued again.
    expect(await one.enqueue(notice('doc-a', 'u1'))).toBe(false);
    expect((await one.pending()).map((n) => `${n.docId}/${n.userId}`)).toEqual(['doc-a/u2', 'doc-b/u1']);
    expect(reachOf('doc-a', await one.notices('doc-a'))).toMatchObject({ queued: 2, sent: 1, pending: 1, byChannel: { sms: 1 } });
    expect(await one.docIds()).toEqual(['doc-b', 'doc-a']);
    // Many at once: the ones already queued are left as they are.
    const batch = [notice('doc-a', 'u1'), notice('doc-a', 'u3'), notice('doc-a', 'u4'), notice('doc-a', 'u3')];
    expect(await two.enqueueAll(batch)).toBe(2);
    expect(await two.enqueueAll([])).toBe(0);
    expect(reachOf('doc-a', await one.notices('doc-a'))).toMatchObject({ queued: 4, sent: 1, pending: 3 });
  });

  it('remembers the day of each person’s last notice', async () => {
    b = backend(name);
    const s = b.open();
    expect(await s.lastNoticeDay('web', 'u1')).toBeNull();
    await s.setLastNoticeDay('web', 'u1', '2026-11-24');
    await s.setLastNoticeDay('web', 'u1', '2026-11-25');
    expect(await b.open().lastNoticeDay('web', 'u1')).toBe('2026-11-25');
    expect(await s.lastNoticeDay('sms', 'u1')).toBeNull();
  });
});
