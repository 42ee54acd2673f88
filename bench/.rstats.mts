import { Redis } from 'ioredis';
import { RedisTicketStore } from '../src/storage/redis/ticket-store.js';
import { createRedisKeys } from '../src/storage/redis/keys.js';
import { computeStats } from '../src/tickets/ticket-stats.js';
import { demoTickets, seedDemoTickets } from '../scripts/staff-fixtures.js';
const url = process.env.REDIS_URL!;
const keys = createRedisKeys(`epa-check:${Date.now()}:`);
const clock = { now: new Date('2026-12-01T00:00:00Z') };
const store = new RedisTicketStore(new Redis(url), keys, { clock: () => clock.now, ownsConnection: true });
const end = clock.now;
const batch = demoTickets(1500, end, { days: 120 });
await seedDemoTickets(store, clock, batch.slice(0, 700), ['a', 'b']);   // before the counters exist
const mid = await store.stats(end);                                     // initialises them
await seedDemoTickets(store, clock, batch.slice(700), ['a', 'b']);      // kept by the scripts
clock.now = end;
const r = new Redis(url);
const rows = (await r.hvals(keys.ticketStats())).map((x) => JSON.parse(x));
const expected = computeStats(rows, end);
const got = await store.stats(end);
console.log('mid total', mid.total, 'final equal:', JSON.stringify(expected) === JSON.stringify(got));
if (JSON.stringify(expected) !== JSON.stringify(got)) { console.log(JSON.stringify(expected).slice(0, 600)); console.log(JSON.stringify(got).slice(0, 600)); }
await store.close(); await r.quit();
