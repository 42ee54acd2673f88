import Database from 'better-sqlite3';
import { SqliteTicketStore } from '../src/storage/sqlite/ticket-store.js';
const file = process.argv[2]!;
new SqliteTicketStore(file).close(); // migrations / new indexes
const db = new Database(file, { readonly: true });
const now = new Date().toISOString();
const qs: Array<[string, Record<string, unknown>]> = [
  [`SELECT data FROM tickets WHERE assignee = @a ORDER BY priority DESC, accept_due_at ASC, id ASC LIMIT 50`, { a: 'li.ming' }],
  [`SELECT status, COUNT(*) AS n FROM tickets WHERE assignee = @a GROUP BY status`, { a: 'li.ming' }],
  [`SELECT data FROM tickets WHERE running_due_at IS NOT NULL AND running_due_at < @o ORDER BY priority DESC, accept_due_at ASC, id ASC LIMIT 50`, { o: now }],
  [`SELECT data FROM tickets WHERE +running_due_at < @o ORDER BY priority DESC, accept_due_at ASC, id ASC LIMIT 50`, { o: now }],
  [`SELECT data FROM tickets WHERE +rowid IN (SELECT rowid FROM ticket_search WHERE ticket_search MATCH @m) ORDER BY priority DESC, accept_due_at ASC, id ASC LIMIT 50`, { m: '"x005b8f008fbe"' }],
  [`SELECT status, COUNT(*) AS n FROM tickets WHERE running_due_at IS NOT NULL AND running_due_at < @o GROUP BY status`, { o: now }],
  [`SELECT data FROM tickets WHERE kind = 'wage_arrears' AND county = '叶县' ORDER BY priority DESC, accept_due_at ASC, id ASC LIMIT 50`, {}],
  [`SELECT status, COUNT(*) AS n FROM tickets WHERE kind = 'wage_arrears' AND county = '叶县' GROUP BY status`, {}],
  [`SELECT data FROM tickets WHERE rowid IN (SELECT rowid FROM ticket_search WHERE ticket_search MATCH @m) ORDER BY priority DESC, accept_due_at ASC, id ASC LIMIT 50`, { m: '"x005b8f008fbe"' }],
  [`SELECT status, COUNT(*) AS n FROM tickets WHERE rowid IN (SELECT rowid FROM ticket_search WHERE ticket_search MATCH @m) GROUP BY status`, { m: '"x005b8f008fbe"' }],
];
for (const [sql, p] of qs) {
  const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(p).map((r: any) => r.detail).join(' | ');
  const st = db.prepare(sql);
  let t = performance.now(); const rows = st.all(p); for (let i = 0; i < 4; i++) st.all(p); const ms = (performance.now() - t) / 5;
  console.log(ms.toFixed(1).padStart(7), 'ms', String(rows.length).padStart(4), sql.slice(0, 60), '\n        ', plan);
}
