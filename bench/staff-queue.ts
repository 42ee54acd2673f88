/**
 * The staff queue with 10 000 tickets (or 100 000, or 1 000 000): server time to the console's first
 * page (GET /api/tickets, the landing tab and the other common views) and to the dashboard figures,
 * measured in-process with fastify inject (routing, bearer check, store query, zod serialisation; no
 * network). Figures only; target: every view ≤ 50 ms at 1 M tickets.
 *
 *   npx tsx bench/staff-queue.ts [--tickets 10000|100000|1000000] [--backend sqlite|redis] [--rounds 50]
 *
 * The tickets are filled through the store (file, claim, accept …, as staff would have moved them),
 * not through HTTP, in chunks of 5 000 generated demo tickets (each chunk its own seed, so a million
 * never sit in memory at once); on SQLite each chunk is one transaction (SqliteTicketStore.bulk).
 *
 * `benchStaffQueue()` is exported for bench/run.ts. The embedded database goes to /dev/shm when it
 * exists, so that filling 10 000 tickets (each commit fsynced) does not take minutes; the queries
 * measured do not depend on the disk once the pages are cached.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { Redis } from 'ioredis';
import { demoTickets, seedDemoTickets } from '../scripts/staff-fixtures.js';
import { installErrorHandler } from '../src/server/error-handler.js';
import type { StaffAccountStore } from '../src/staff/account-store.js';
import { StaffAccounts } from '../src/staff/accounts.js';
import { RedisStaffAccountStore } from '../src/staff/redis-account-store.js';
import { createStaffRedisKeys } from '../src/staff/redis-keys.js';
import { staffRoutes } from '../src/staff/routes.js';
import { SqliteStaffAccountStore } from '../src/staff/sqlite-account-store.js';
import { createRedisKeys } from '../src/storage/redis/keys.js';
import { RedisTicketStore } from '../src/storage/redis/ticket-store.js';
import { searchDocument } from '../src/storage/sqlite/ticket-aggregates.js';
import { SqliteTicketStore } from '../src/storage/sqlite/ticket-store.js';
import type { TicketStore } from '../src/tickets/ticket-store.js';
import type { TicketStatus } from '../src/tickets/types.js';
import { deleteKeysWithPrefix } from '../src/storage/redis/delete-prefix.js';

export interface StaffQueueBenchOptions {
  tickets?: number;
  backend?: 'sqlite' | 'redis';
  /** Required for the redis backend. */
  redisUrl?: string;
  rounds?: number;
  /**
   * SQLite only: the database file to use and keep (default: a temporary one, removed). When it
   * already holds the tickets, the fill is skipped, so the views can be measured again after a change.
   */
  db?: string;
  /**
   * SQLite only: fill this many tickets through the store, then copy them in SQL (new ids, same
   * fields; the counters' triggers run, the search index is written for each copy) up to `tickets`.
   * For a million tickets when filling each through the store would take an hour; reported as such.
   */
  cloneFrom?: number;
}

export interface StaffQueueFigure {
  view: string;
  url: string;
  /** The very first request after start-up (cold statement cache, cold page cache). */
  firstMs: number;
  p50Ms: number;
  p95Ms: number;
  /** Median CPU time of this process per request (steadier than wall time on a shared machine; Redis's own CPU not included). */
  cpuP50Ms: number;
  bytes: number;
  total: number | null;
}

export interface StaffQueueBenchResult {
  backend: string;
  tickets: number;
  fillSeconds: number;
  /** Tickets filled through the store; the rest were SQL copies of them. */
  clonedFrom?: number;
  /** Redis only: the server's used_memory once filled (every key of the run; the run's prefix alone on a bench Redis). */
  redisUsedBytes?: number;
  figures: StaffQueueFigure[];
}

const VIEWS: Array<[string, string]> = [
  ['console landing (待受理, first 50)', '/api/tickets?status=new&limit=50'],
  ['overdue banner count (also on landing)', '/api/tickets?overdue=true&limit=1'],
  ['all tickets, first 50', '/api/tickets?limit=50'],
  ['all tickets, page 100', '/api/tickets?limit=50&offset=4950'],
  ['overdue', '/api/tickets?overdue=true&limit=50'],
  ['county + kind', `/api/tickets?county=${encodeURIComponent('叶县')}&kind=wage_arrears&limit=50`],
  ['assigned to me', '/api/tickets?assignee=me&limit=50'],
  ['search by phone', '/api/tickets?q=1380&limit=50'],
  ['search by employer', `/api/tickets?q=${encodeURIComponent('宏达')}&limit=50`],
  ['dashboard (/api/stats)', '/api/stats'],
];

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export async function benchStaffQueue(options: StaffQueueBenchOptions = {}): Promise<StaffQueueBenchResult> {
  const n = options.tickets ?? 10_000;
  const rounds = options.rounds ?? 50;
  const backend = options.backend ?? 'sqlite';
  const clock = { now: new Date() };
  const cleanups: Array<() => Promise<void>> = [];
  let tickets: TicketStore;
  let accounts: StaffAccountStore;

  if (backend === 'redis') {
    if (!options.redisUrl) throw new Error('the redis backend needs redisUrl (REDIS_URL)');
    const prefix = `epa-bench:${randomUUID()}:`;
    tickets = new RedisTicketStore(new Redis(options.redisUrl), createRedisKeys(prefix), { clock: () => clock.now, ownsConnection: true });
    accounts = new RedisStaffAccountStore(new Redis(options.redisUrl), createStaffRedisKeys(prefix), { ownsConnection: true });
    cleanups.push(async () => {
      const redis = new Redis(options.redisUrl!);
      await deleteKeysWithPrefix(redis, prefix);
      await redis.quit();
    });
  } else {
    const dir = options.db ? null : mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'epa-bench-'));
    const file = options.db ?? join(dir!, 'assistant.db');
    tickets = new SqliteTicketStore(file, { clock: () => clock.now });
    accounts = new SqliteStaffAccountStore(file);
    if (dir) cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  }

  const t0 = performance.now();
  const kept = options.db ? (await tickets.list({ limit: 1 })).total : 0;
  if (kept === 0) await new StaffAccounts(accounts, () => new Date()).create('cli', { username: 'li.ming', role: 'staff', password: 'bench-pass-1' });
  // A kept database of `cloneFrom` tickets (a 100 000 run's) is copied up to `tickets`.
  const cloneKept = options.cloneFrom !== undefined && kept === options.cloneFrom && n > kept;
  if (kept > 0 && kept !== n && !cloneKept) throw new Error(`${options.db} holds ${kept} tickets, not ${n}`);
  const end = clock.now;
  const CHUNK = 5000;
  const throughStore = options.cloneFrom && backend === 'sqlite' ? Math.min(options.cloneFrom, n) : n;
  for (let done = kept, chunk = 0; done < throughStore; done += CHUNK, chunk++) {
    const batch = demoTickets(Math.min(CHUNK, throughStore - done), end, { days: 120, seed: n <= CHUNK ? 7 : 7 + chunk });
    const fill = () => seedDemoTickets(tickets, clock, batch, ['li.ming', 'wang.fang']);
    await (tickets instanceof SqliteTicketStore ? tickets.bulk(fill) : fill());
    clock.now = end;
    if (n >= 100_000 && (chunk + 1) % 20 === 0) console.error(`  filled ${done + CHUNK} tickets, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  if ((kept === 0 || cloneKept) && options.cloneFrom && backend === 'sqlite') cloneTickets(options.db!, options.cloneFrom, n);
  const fillSeconds = (performance.now() - t0) / 1000;
  let redisUsedBytes: number | undefined;
  if (backend === 'redis') {
    const redis = new Redis(options.redisUrl!);
    redisUsedBytes = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? NaN);
    await redis.quit();
  }

  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  await app.register(staffRoutes, { tickets, accounts, docs: false });
  await app.ready();
  const login = await app.inject({ method: 'POST', url: '/api/staff/login', payload: { username: 'li.ming', password: 'bench-pass-1' } });
  const headers = { authorization: `Bearer ${(login.json() as { token: string }).token}` };

  const figures: StaffQueueFigure[] = [];
  try {
    for (const [view, url] of VIEWS) {
      const timed = async () => {
        const a = performance.now();
        const cpu = process.cpuUsage();
        const res = await app.inject({ url, headers });
        const used = process.cpuUsage(cpu);
        const ms = performance.now() - a;
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
        return { ms, cpuMs: (used.user + used.system) / 1000, res };
      };
      const first = await timed();
      const samples: number[] = [];
      const cpuSamples: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const s = await timed();
        samples.push(s.ms);
        cpuSamples.push(s.cpuMs);
      }
      samples.sort((a, b) => a - b);
      cpuSamples.sort((a, b) => a - b);
      const body = first.res.json() as { total?: number; tickets?: { total: number } };
      figures.push({
        view,
        url,
        firstMs: first.ms,
        p50Ms: pct(samples, 50),
        p95Ms: pct(samples, 95),
        cpuP50Ms: pct(cpuSamples, 50),
        bytes: first.res.rawPayload.length,
        total: typeof body.total === 'number' ? body.total : (body.tickets?.total ?? null),
      });
    }
  } finally {
    await app.close();
    await tickets.close();
    await accounts.close();
    for (const c of cleanups) await c();
  }
  return {
    backend,
    tickets: n,
    fillSeconds,
    figures,
    ...(options.cloneFrom ? { clonedFrom: options.cloneFrom } : {}),
    ...(redisUsedBytes !== undefined ? { redisUsedBytes } : {}),
  };
}

/** Copies the first `base` tickets until there are `total` (ids get a "-c<k>" suffix). */
function cloneTickets(file: string, base: number, total: number): void {
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  const cols = 'kind, status, priority, accept_due_at, running_due_at, county, assignee, lease_expires_at, channel, user_id, phone, employer, created_at, rev, accept_ms, phone_digits';
  const copy = db.prepare(
    `INSERT INTO tickets (id, data, ${cols}) SELECT id || @suffix, json_set(data, '$.id', id || @suffix), ${cols} FROM tickets WHERE rowid <= @base`,
  );
  const rows = db.prepare<[number, number], { rid: number; id: string; phone: string | null; employer: string | null; status: TicketStatus }>(
    'SELECT rowid AS rid, id, phone, employer, status FROM tickets WHERE rowid > ? ORDER BY rowid LIMIT ?',
  );
  const index = db.prepare('INSERT INTO ticket_search (rowid, tokens) VALUES (?, ?)');
  for (let k = 1, have = base; have < total; k++, have += base) {
    db.transaction(() => {
      const { lastInsertRowid } = copy.run({ suffix: `-c${k}`, base: Math.min(base, total - have) });
      void lastInsertRowid;
    })();
    console.error(`  copied to ${Math.min(total, have + base)} tickets`);
  }
  for (let last = base; ; ) {
    const batch = rows.all(last, 5000);
    if (batch.length === 0) break;
    db.transaction(() => {
      for (const r of batch) index.run(r.rid, searchDocument(r));
    })();
    last = batch.at(-1)!.rid;
  }
  db.close();
}

export function formatStaffQueueBench(r: StaffQueueBenchResult): string {
  const lines = [
    `staff queue, ${r.tickets} tickets on ${r.backend} (filled in ${r.fillSeconds.toFixed(1)} s${r.clonedFrom ? `: ${r.clonedFrom} through the store, the rest SQL copies of them` : ''}); server time per request, in-process:`,
    `${'view'.padEnd(40)} ${'first'.padStart(8)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'cpu p50'.padStart(8)} ${'matches'.padStart(8)} ${'bytes'.padStart(8)}`,
  ];
  if (r.redisUsedBytes !== undefined) lines.splice(1, 0, `Redis used_memory once filled: ${(r.redisUsedBytes / 2 ** 20).toFixed(0)} MB`);
  for (const f of r.figures) {
    lines.push(
      `${f.view.padEnd(40)} ${f.firstMs.toFixed(1).padStart(6)}ms ${f.p50Ms.toFixed(1).padStart(6)}ms ${f.p95Ms.toFixed(1).padStart(6)}ms ${f.cpuP50Ms.toFixed(1).padStart(6)}ms ${String(f.total ?? '').padStart(8)} ${String(f.bytes).padStart(8)}`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      tickets: { type: 'string', default: '10000' },
      backend: { type: 'string', default: 'sqlite' },
      rounds: { type: 'string', default: '50' },
      db: { type: 'string' },
      'clone-from': { type: 'string' },
    },
  });
  const result = await benchStaffQueue({
    tickets: Number(values.tickets),
    backend: values.backend === 'redis' ? 'redis' : 'sqlite',
    redisUrl: process.env.REDIS_URL,
    rounds: Number(values.rounds),
    ...(values.db ? { db: values.db } : {}),
    ...(values['clone-from'] ? { cloneFrom: Number(values['clone-from']) } : {}),
  });
  console.log(formatStaffQueueBench(result));
}
