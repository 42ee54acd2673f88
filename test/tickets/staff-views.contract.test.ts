/**
 * The staff views that count many tickets (issue 17: overdue banner and list, "assigned to me",
 * county + kind), on both backends: whatever keeps them fast (counters on SQLite, view sets on Redis),
 * they give the
 * same answers as a reading of every ticket, through filing, claims and reassignment, acceptance
 * with an investigation deadline, resumption with a new one, resolution, closing, refusal and the
 * retention job's anonymisation — and a store made before these structures is counted (SQLite: on
 * open; Redis: by the first such view).
 */
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { deleteKeysWithPrefix } from '../../src/storage/redis/delete-prefix.js';
import { createRedisKeys } from '../../src/storage/redis/keys.js';
import { RedisTicketStore } from '../../src/storage/redis/ticket-store.js';
import { testRedisUrl } from '../helpers/redis.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteTicketStore } from '../../src/storage/sqlite/ticket-store.js';
import { runningDeadline } from '../../src/tickets/lifecycle.js';
import type { TicketStore } from '../../src/tickets/ticket-store.js';
import { emptyStatusCounts, TicketFilterSchema, type Ticket, type TicketFilter } from '../../src/tickets/types.js';
import { listView } from '../../src/storage/redis/ticket-views.js';
import { BACKENDS, backend, type Backend } from '../storage/backends.js';
import { wageComplaint } from './ticket-input.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DAY = 86_400_000;
const START = Date.parse('2030-03-10T08:00:00.000Z');

/** The view as a reading of every ticket gives it: matches in queue order, their count per status. */
async function byReading(store: TicketStore, keep: (t: Ticket) => boolean, status?: Ticket['status']) {
  const all = (await store.list({ limit: 500 })).tickets;
  const matches = all.filter(keep);
  const countsByStatus = emptyStatusCounts();
  for (const t of matches) countsByStatus[t.status]++;
  const page = matches.filter((t) => !status || t.status === status);
  return { ids: page.map((t) => t.id), total: page.length, countsByStatus };
}

async function expectSame(store: TicketStore, filter: TicketFilter, keep: (t: Ticket) => boolean) {
  const got = await store.list({ ...filter, limit: 500 });
  const want = await byReading(store, keep, filter.status);
  expect({ ids: got.tickets.map((t) => t.id), total: got.total, countsByStatus: got.countsByStatus }).toEqual(want);
  const page = await store.list({ ...filter, limit: 2, offset: 1 });
  expect({ ids: page.tickets.map((t) => t.id), total: page.total }).toEqual({ ids: want.ids.slice(1, 3), total: want.total });
}

async function expectViews(store: TicketStore, now: Date) {
  const at = now.toISOString();
  const overdue = (t: Ticket) => {
    const due = runningDeadline(t);
    return due !== null && due < at;
  };
  await expectSame(store, { overdueAt: at }, overdue);
  await expectSame(store, { overdueAt: at, status: 'new' }, overdue);
  await expectSame(store, { overdueAt: at, status: 'in_progress' }, overdue);
  expect((await store.stats(now)).overdue).toBe((await byReading(store, overdue)).total);
  for (const who of ['li.ming', 'wang.fang']) {
    await expectSame(store, { assignee: who }, (t) => t.assignee === who);
    await expectSame(store, { assignee: who, status: 'in_progress' }, (t) => t.assignee === who);
  }
  await expectSame(store, { assignee: null }, (t) => t.assignee === null);
  await expectSame(store, { county: '叶县', kind: 'wage_arrears' }, (t) => t.county === '叶县' && t.kind === 'wage_arrears');
  await expectSame(store, { county: '叶县', kind: 'wage_arrears', status: 'new' }, (t) => t.county === '叶县' && t.kind === 'wage_arrears');
  // Search: counted per status from the index (SQLite: the status's own tokens), a status change moves the ticket.
  const employs = (t: Ticket) => (t.employer ?? '').includes('劳务');
  await expectSame(store, { q: '劳务' }, employs);
  await expectSame(store, { q: '劳务', status: 'in_progress' }, employs);
  await expectSame(store, { q: '8000' }, (t) => (t.phone ?? '').includes('8000'));
}

/** Files tickets due over several days and moves them through every change that touches the views. */
async function exercise(store: TicketStore, clock: { now: Date }) {
  const file = async (dueInDays: number, county: string) =>
    (
      await store.file(
        wageComplaint({ acceptDueAt: new Date(START + dueInDays * DAY).toISOString(), county, ...(county === '鲁山县' ? { kind: 'wage_arrears' } : {}) }),
        crypto.randomUUID(),
      )
    ).ticket;
  const t: Ticket[] = [];
  for (let i = 0; i < 12; i++) t.push(await file((i % 6) - 3 + (i % 2 ? 0.2 : -0.2), i % 3 ? '叶县' : '鲁山县'));
  await expectViews(store, clock.now);

  await store.claim(t[0]!.id, 'li.ming');
  await store.claim(t[1]!.id, 'wang.fang');
  await store.assign(t[2]!.id, 'li.ming', 'admin');
  await expectViews(store, clock.now);

  // Accepting sets the investigation deadline: the running deadline moves (here into the past and the future).
  await store.transition(t[0]!.id, 'accepted', { actor: 'li.ming', investigationDueAt: new Date(START - 2 * DAY).toISOString() });
  await store.transition(t[2]!.id, 'accepted', { actor: 'li.ming', investigationDueAt: new Date(START + 5 * DAY).toISOString() });
  await store.transition(t[0]!.id, 'in_progress', { actor: 'li.ming' });
  await store.transition(t[3]!.id, 'refused', { actor: 'admin', reason: '不属于受理范围' });
  await store.assign(t[0]!.id, 'wang.fang', 'admin');
  await expectViews(store, clock.now);

  await store.transition(t[0]!.id, 'resolved', { actor: 'wang.fang' });
  await store.transition(t[0]!.id, 'closed', { actor: 'wang.fang' });
  await store.assign(t[1]!.id, null, 'admin');
  await expectViews(store, clock.now);

  // Reopened and resumed with a new deadline.
  await store.transition(t[3]!.id, 'reopened', { actor: 'admin' });
  await store.transition(t[3]!.id, 'in_progress', { actor: 'admin', investigationDueAt: new Date(START + 0.1 * DAY).toISOString() });
  await expectViews(store, clock.now);

  // Time passes: what was due later today and in the next days is overdue now.
  clock.now = new Date(START + 3 * DAY);
  await expectViews(store, clock.now);
  clock.now = new Date(START + 400 * DAY);
  expect(await store.anonymiseClosed(new Date(START + 200 * DAY), 180)).toEqual([t[0]!.id]);
  await expectViews(store, clock.now);
  return t;
}

describe.each(BACKENDS)('staff views that count many tickets (%s)', (name) => {
  let b: Backend;
  let store: TicketStore;
  const clock = { now: new Date(START) };
  beforeEach(() => {
    clock.now = new Date(START);
    b = backend(name);
    store = b.openTickets({ clock: () => clock.now });
  });
  afterEach(async () => {
    await b.dispose();
  });

  it('give what a reading of every ticket gives, through claims, reassignment, deadlines, closing and anonymisation', async () => {
    await exercise(store, clock);
  });
});

describe('SQLite view counters of a database made before them', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'epa-views-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are filled from its tickets when it is opened, and kept from then on', async () => {
    const file = join(dir, 'assistant.db');
    const clock = { now: new Date(START) };
    let store: TicketStore = new SqliteTicketStore(file, { clock: () => clock.now });
    const t = await exercise(store, clock);
    await store.close();
    // As the database was before: no view triggers, no view counters.
    const db = new Database(file);
    db.exec(`DROP TRIGGER tickets_view_counts_insert; DROP TRIGGER tickets_view_counts_update; DROP TRIGGER tickets_view_counts_delete;
      DELETE FROM ticket_counts WHERE dim IN ('due', 'assignee');`);
    // …and a search index of the earlier format (no per-status tokens): what the new queries find in it, nothing.
    db.exec(`INSERT INTO ticket_search (ticket_search) VALUES ('delete-all'); DELETE FROM ticket_counts WHERE dim = 'format';`);
    db.close();
    store = new SqliteTicketStore(file, { clock: () => clock.now });
    try {
      clock.now = new Date(START);
      await expectViews(store, clock.now);
      await store.assign(t[5]!.id, 'li.ming', 'admin');
      await store.transition(t[5]!.id, 'accepted', { actor: 'li.ming', investigationDueAt: new Date(START - DAY).toISOString() });
      await expectViews(store, clock.now);
    } finally {
      await store.close();
    }
  });
});

describe.each([
  ['the view sets', false],
  ['the search index and the view sets', true],
])('Redis store written before %s', (_, beforeSearchIndex) => {
  it('is put into them by the first such view, and kept from then on (a change meanwhile included)', async () => {
    const keys = createRedisKeys(`epa-test:${crypto.randomUUID()}:`);
    const redis = new Redis(testRedisUrl());
    const clock = { now: new Date(START) };
    const open = () => new RedisTicketStore(new Redis(testRedisUrl()), keys, { clock: () => clock.now, ownsConnection: true });
    let store = open();
    try {
      const t = await exercise(store, clock);
      expect(await redis.exists(keys.ticketViewsIndexed())).toBe(1);
      // Back to the data an older version wrote: no view sets and no flag (and, older still, no search index).
      const old = await redis.keys(`${keys.prefix}tickets:v*`);
      if (beforeSearchIndex) {
        old.push(...(await redis.keys(`${keys.prefix}tickets:gram:*`)), ...(await redis.keys(`${keys.prefix}tickets:term*`)), keys.ticketSearchIndexed());
        for (const x of t) await redis.hdel(keys.ticket(x.id), 'sx');
      }
      await redis.del(...old);
      expect(await redis.exists(keys.ticketViewsIndexed())).toBe(0);
      // The upgraded version starts (a new process: nothing cached).
      await store.close();
      store = open();
      clock.now = new Date(START);
      await store.assign(t[6]!.id, 'li.ming', 'admin');
      await expectViews(store, clock.now);
      expect(await redis.exists(keys.ticketViewsIndexed())).toBe(1);
      await store.transition(t[6]!.id, 'accepted', { actor: 'li.ming', investigationDueAt: new Date(START - DAY).toISOString() });
      await store.assign(t[7]!.id, 'wang.fang', 'admin');
      await expectViews(store, clock.now);
    } finally {
      await store.close();
      await deleteKeysWithPrefix(redis, keys.prefix);
      await redis.quit();
    }
  });
});

describe('Redis overdue page of many matches', () => {
  it('walks the queue order to the same page as sorting the matches', async () => {
    const keys = createRedisKeys(`epa-test:${crypto.randomUUID()}:`);
    const redis = new Redis(testRedisUrl());
    const clock = { now: new Date(START) };
    const store = new RedisTicketStore(new Redis(testRedisUrl()), keys, { clock: () => clock.now, ownsConnection: true });
    try {
      await exercise(store, clock);
      clock.now = new Date(START + DAY);
      for (const status of [undefined, 'new', 'in_progress'] as const) {
        for (const [offset, limit] of [[0, 50], [1, 2], [3, 1]] as const) {
          const f = TicketFilterSchema.parse({ overdueAt: clock.now.toISOString(), offset, limit, ...(status ? { status } : {}) });
          const sorted = await listView(redis, keys, f);
          expect(sorted.total).toBeGreaterThan(0);
          expect(await listView(redis, keys, f, 0)).toEqual(sorted);
        }
      }
    } finally {
      await store.close();
      await deleteKeysWithPrefix(redis, keys.prefix);
      await redis.quit();
    }
  });
});
