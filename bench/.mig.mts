// usage: tsx bench/.mig.mts <repoRoot> <dbFile> <fill?>
const [root, file, fill] = process.argv.slice(2) as [string, string, string?];
const { SqliteTicketStore } = await import(`${root}/src/storage/sqlite/ticket-store.ts`);
const fx = await import(`${root}/scripts/staff-fixtures.ts`);
const clock = { now: new Date('2026-12-01T00:00:00Z') };
const store = new SqliteTicketStore(file, { clock: () => clock.now });
if (fill) await fx.seedDemoTickets(store, clock, fx.demoTickets(3000, clock.now, { days: 120 }), ['li.ming', 'wang.fang']);
const now = new Date('2026-12-01T00:00:00Z');
const out: unknown[] = [await store.stats(now)];
for (const f of [{}, { status: 'new' }, { q: '宏达' }, { q: '1380' }, { q: 'qx' }, { q: '宏' }, { county: '叶县', kind: 'wage_arrears' }, { assignee: 'li.ming' }, { overdueAt: now.toISOString() }, { q: '138-0' }])
  { const p = await store.list({ ...f, limit: 20 }); out.push({ ids: p.tickets.map((t: { id: string }) => t.id), total: p.total, c: p.countsByStatus }); }
console.log(JSON.stringify(out));
await store.close();
