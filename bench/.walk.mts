import Database from 'better-sqlite3';
const db = new Database(process.argv[2]!, { readonly: true });
const now = new Date().toISOString();
for (const [a, b, p] of [
  ['running_due_at IS NOT NULL AND running_due_at < @o', '+running_due_at < @o', { o: now }],
  ['rowid IN (SELECT rowid FROM ticket_search WHERE ticket_search MATCH @m)', '+rowid IN (SELECT rowid FROM ticket_search WHERE ticket_search MATCH @m)', { m: '"x005b8f008fbe"' }],
] as const) {
  for (const off of [0, 1000, 2150]) {
    const q = (w: string) => db.prepare(`SELECT id FROM tickets WHERE ${w} ORDER BY priority DESC, accept_due_at ASC, id ASC LIMIT 50 OFFSET ${off}`).all(p).map((r: any) => r.id).join();
    console.log(off, q(a) === q(b) ? 'same' : 'DIFF');
  }
}
