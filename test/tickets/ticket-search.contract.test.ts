/**
 * Staff search on both backends (issue 17: no scan at a million tickets — FTS5 on SQLite, the gram
 * and term index on Redis): what was found before is still found (substrings of the employer, the
 * phone in any format, its last four digits, the id), in queue order with counts per status, and the
 * index follows the tickets through status changes, edits and anonymisation.
 */
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../src/storage/redis/keys.js';
import { RedisTicketStore } from '../../src/storage/redis/ticket-store.js';
import { noteChange, type TicketChange } from '../../src/tickets/ticket-changes.js';
import type { TicketStore } from '../../src/tickets/ticket-store.js';
import type { Ticket } from '../../src/tickets/types.js';
import { testRedisUrl } from '../helpers/redis.js';
import { BACKENDS, backend, type Backend } from '../storage/backends.js';
import { wageComplaint } from './ticket-input.js';

/**
 * No public change edits a ticket's employer or phone yet (corrections and anonymisation are to come),
 * so the tests make one through the store's own change path, as such a change would.
 */
async function edit(store: TicketStore, id: string, fields: Partial<Pick<Ticket, 'employer' | 'phone'>>): Promise<void> {
  const mutate = (store as unknown as { mutate(id: string, fn: (t: Ticket, now: Date) => TicketChange): unknown }).mutate.bind(store);
  await mutate(id, (t, now) => {
    const c = noteChange(t, 'admin', '更正', now);
    return { ...c, ticket: { ...c.ticket, ...fields } };
  });
}

describe.each(BACKENDS)('staff search (%s)', (name) => {
  let b: Backend;
  let store: TicketStore;
  beforeEach(() => {
    b = backend(name);
    store = b.openTickets();
  });
  afterEach(async () => {
    await b.dispose();
  });

  const file = async (overrides = {}) => (await store.file(wageComplaint(overrides), crypto.randomUUID())).ticket;
  const ids = async (q: string, more = {}) => (await store.list({ q, ...more })).tickets.map((x) => x.id);

  it('finds a substring of the employer (two characters and more, Latin letters in any case), and nothing from pairs that are not next to each other', async () => {
    const a = await file({ employer: '叶县宏达建材厂', phone: null });
    const c = await file({ employer: 'ABC Logistics 平顶山', phone: null });
    const d = await file({ employer: '宏达建筑建材公司', phone: null });
    expect((await ids('宏达')).sort()).toEqual([a.id, d.id].sort());
    expect(await ids('达建材')).toEqual([a.id]);
    expect(await ids('宏达建材厂')).toEqual([a.id]);
    expect(await ids('abc log')).toEqual([c.id]);
    expect(await ids('LOGISTICS')).toEqual([c.id]);
    expect(await ids('建材')).toHaveLength(2);
    expect(await ids('宏大')).toEqual([]);
  });

  it('finds the phone by its digits whatever the format it was written in, by its last four digits and as written', async () => {
    const dashed = await file({ phone: '139-1111-2222', employer: null });
    const plain = await file({ phone: '13800138000', employer: null });
    expect(await ids('13911112222')).toEqual([dashed.id]);
    expect(await ids('2222')).toEqual([dashed.id]);
    expect(await ids('139-1111')).toEqual([dashed.id]);
    expect(await ids('8000')).toEqual([plain.id]);
    expect((await ids('13')).sort()).toEqual([dashed.id, plain.id].sort());
  });

  it('finds the id by its whole, its date part or its last characters, in any case', async () => {
    const t = await file();
    const other = await file();
    expect(await ids(t.id)).toEqual([t.id]);
    expect(await ids(t.id.slice(-6).toLowerCase())).toEqual([t.id]);
    expect((await ids(t.id.slice(0, 8))).sort()).toEqual([t.id, other.id].sort());
  });

  it('gives the page in queue order with counts per status, through status tabs, offsets and other filters', async () => {
    const made: Ticket[] = [];
    for (let i = 0; i < 24; i++) {
      made.push(
        await file({
          employer: ['平顶山市宏达建筑劳务有限公司', '鲁山县宏达建材厂', '叶县顺通物流有限公司'][i % 3],
          priority: (i * 7) % 5,
          county: i % 2 ? '郏县' : '新华区',
          acceptDueAt: new Date(Date.UTC(2030, 0, 1) + i * 3_600_000).toISOString(),
          phone: `1390000${String(1000 + i)}`,
        }),
      );
    }
    for (const t of made.slice(0, 6)) await store.transition(t.id, 'accepted', { actor: 'li.ming', investigationDueAt: '2030-04-01T00:00:00Z' });
    const order = (list: Ticket[]) => [...list].sort((x, y) => y.priority - x.priority || x.acceptDueAt.localeCompare(y.acceptDueAt) || (x.id < y.id ? -1 : 1));
    const hongda = made.filter((_, i) => i % 3 !== 2);
    const accepted = new Set(made.slice(0, 6).map((t) => t.id));

    const all = await store.list({ q: '宏达', limit: 5 });
    expect(all.tickets.map((t) => t.id)).toEqual(order(hongda).slice(0, 5).map((t) => t.id));
    expect(all.total).toBe(16);
    expect(all.countsByStatus).toMatchObject({ new: 12, accepted: 4 });
    const page2 = await store.list({ q: '宏达', limit: 5, offset: 5 });
    expect(page2.tickets.map((t) => t.id)).toEqual(order(hongda).slice(5, 10).map((t) => t.id));

    const tab = await store.list({ q: '宏达', status: 'accepted' });
    expect(tab.tickets.map((t) => t.id)).toEqual(order(hongda.filter((t) => accepted.has(t.id))).map((t) => t.id));
    expect(tab.total).toBe(4);

    const inCounty = await store.list({ q: '宏达', county: '郏县' });
    expect(inCounty.tickets.map((t) => t.id)).toEqual(order(hongda.filter((t) => t.county === '郏县')).map((t) => t.id));
    expect(inCounty.countsByStatus.new + inCounty.countsByStatus.accepted).toBe(inCounty.total);

    // Phone and employer both hold "10": a ticket matching twice is counted once.
    const both = await file({ employer: '第10建筑队', phone: '13900001010' });
    const twice = await store.list({ q: '10', limit: 100 });
    expect(twice.tickets.filter((t) => t.id === both.id)).toHaveLength(1);
    expect(twice.total).toBe(twice.tickets.length);
  });

  it('keeps the index right when a ticket moves, its employer is corrected or its personal data removed', async () => {
    const t = await file({ employer: '叶县宏达建材厂', phone: '139-1111-2222' });
    await store.transition(t.id, 'accepted', { actor: 'li.ming', investigationDueAt: '2030-04-01T00:00:00Z' });
    expect((await store.list({ q: '宏达', status: 'new' })).total).toBe(0);
    expect((await store.list({ q: '宏达', status: 'accepted' })).tickets.map((x) => x.id)).toEqual([t.id]);

    await edit(store, t.id, { employer: '叶县顺通物流有限公司' });
    expect(await ids('宏达')).toEqual([]);
    expect(await ids('顺通')).toEqual([t.id]);
    expect((await store.list({ q: '顺通' })).countsByStatus).toMatchObject({ new: 0, accepted: 1 });

    await edit(store, t.id, { employer: null, phone: null });
    expect(await ids('顺通')).toEqual([]);
    expect(await ids('2222')).toEqual([]);
    expect(await ids(t.id.slice(-4))).toEqual([t.id]);
  });
});

describe('Redis search index: tickets written before it existed', () => {
  it('are indexed by the first search, and the tickets changed since are found as they are now', async () => {
    const keys = createRedisKeys(`epa-test:${crypto.randomUUID()}:`);
    const redis = new Redis(testRedisUrl());
    const store = new RedisTicketStore(new Redis(testRedisUrl()), keys, { ownsConnection: true });
    try {
      const a = (await store.file(wageComplaint({ employer: '叶县宏达建材厂' }), 'k-a')).ticket;
      const c = (await store.file(wageComplaint({ employer: '鲁山县恒安建材厂', phone: '139 2222 3333' }), 'k-c')).ticket;
      // Filed with the index from the first ticket: nothing to catch up.
      expect(await redis.exists(keys.ticketSearchIndexed())).toBe(1);
      // Back to the data an older version wrote: no index keys, no "indexed" marks, no flag.
      const indexKeys = await redis.keys(`${keys.prefix}tickets:gram:*`);
      indexKeys.push(...(await redis.keys(`${keys.prefix}tickets:term*`)));
      await redis.del(...indexKeys, keys.ticketSearchIndexed());
      for (const id of [a.id, c.id]) await redis.hdel(keys.ticket(id), 'sx');
      // A change while unindexed keeps no index entries; the first search indexes the ticket as it is then.
      await store.transition(a.id, 'accepted', { actor: 'li.ming', investigationDueAt: '2030-04-01T00:00:00Z' });

      const found = await store.list({ q: '宏达' });
      expect(found.tickets.map((t) => t.id)).toEqual([a.id]);
      expect(found.countsByStatus).toMatchObject({ new: 0, accepted: 1 });
      expect((await store.list({ q: '13922223333' })).tickets.map((t) => t.id)).toEqual([c.id]);
      expect(await redis.exists(keys.ticketSearchIndexed())).toBe(1);
    } finally {
      await store.close();
      const { deleteKeysWithPrefix } = await import('../../src/storage/redis/delete-prefix.js');
      await deleteKeysWithPrefix(redis, keys.prefix);
      await redis.quit();
    }
  });
});

describe('Redis dashboard counters of a new store', () => {
  it('are kept from the first ticket on, so the first dashboard does not read every ticket', async () => {
    const keys = createRedisKeys(`epa-test:${crypto.randomUUID()}:`);
    const redis = new Redis(testRedisUrl());
    const store = new RedisTicketStore(new Redis(testRedisUrl()), keys, { ownsConnection: true });
    try {
      const a = (await store.file(wageComplaint({ county: '叶县' }), 'k-1')).ticket;
      await store.file(wageComplaint({ county: '郏县' }), 'k-2');
      await store.transition(a.id, 'accepted', { actor: 'li.ming', investigationDueAt: '2030-04-01T00:00:00Z' });
      expect(await redis.hmget(keys.ticketCounts(), '_init', 'status:new', 'status:accepted', 'county:叶县')).toEqual(['1', '1', '1', '1']);
      const stats = await store.stats();
      expect(stats.total).toBe(2);
      expect(stats.byStatus).toMatchObject({ new: 1, accepted: 1 });
    } finally {
      await store.close();
      const { deleteKeysWithPrefix } = await import('../../src/storage/redis/delete-prefix.js');
      await deleteKeysWithPrefix(redis, keys.prefix);
      await redis.quit();
    }
  });
});
