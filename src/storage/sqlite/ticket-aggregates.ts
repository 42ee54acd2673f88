/**
 * What lets the staff views answer without reading every ticket (1 M tickets: each view ≤ 50 ms):
 *   - ticket_counts: tickets per status, per China day of filing and per county, kept by triggers
 *     on the tickets table (so any writer keeps them right), and read by the dashboard and the
 *     unfiltered queue tabs;
 *   - accept_ms: acceptedAt − createdAt (ms) in its own indexed column, so the median is one index
 *     probe at the middle rank;
 *   - indexes that give the filtered pages in queue order (assignee; county + kind; the queue order
 *     carrying the running deadline, walked for a broad overdue or search page), and covering ones
 *     that count the filtered tickets per status;
 *   - ticket_status: each ticket's status by rowid in a narrow table (kept by triggers), so counting a
 *     search's matches per status reads small rows, not the tickets';
 *   - phone_digits: the phone number's digits only (138-0013-8000 → 13800138000), indexed;
 *   - ticket_search: a contentless FTS5 table of the id, the phone (as written and as digits) and
 *     the employer, each as overlapping character pairs written as hex tokens. A substring of two
 *     characters or more is the phrase of its pairs, so "宏达" (two characters, too short for a
 *     trigram index) is found from the index too; case is folded for ASCII only, as LIKE does.
 * Databases made before these existed are brought up to date once, on open (migrateTicketAggregates).
 */
import { TICKET_STATUSES, type TicketStatus } from '../../tickets/types.js';
import type { SqliteDatabase } from './open-database.js';

export const UNKNOWN_COUNTY_KEY = '未知';

const AGGREGATE_SCHEMA = `
CREATE TABLE IF NOT EXISTS ticket_counts (
  dim TEXT NOT NULL,
  key TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (dim, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tickets_accept_ms ON tickets(accept_ms) WHERE accept_ms IS NOT NULL;
CREATE INDEX IF NOT EXISTS tickets_phone_digits ON tickets(phone_digits) WHERE phone_digits IS NOT NULL;
CREATE INDEX IF NOT EXISTS tickets_due_status ON tickets(running_due_at, status) WHERE running_due_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS tickets_county_kind ON tickets(county, kind, status);
CREATE INDEX IF NOT EXISTS tickets_assignee_order ON tickets(assignee, priority DESC, accept_due_at, id);
CREATE INDEX IF NOT EXISTS tickets_county_kind_order ON tickets(county, kind, priority DESC, accept_due_at, id);
CREATE INDEX IF NOT EXISTS tickets_queue_due ON tickets(priority DESC, accept_due_at, id, running_due_at);
CREATE TABLE IF NOT EXISTS ticket_status (rid INTEGER PRIMARY KEY, status TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS tickets_status_insert AFTER INSERT ON tickets BEGIN
  INSERT OR REPLACE INTO ticket_status (rid, status) VALUES (NEW.rowid, NEW.status);
END;
CREATE TRIGGER IF NOT EXISTS tickets_status_update AFTER UPDATE OF status ON tickets WHEN OLD.status IS NOT NEW.status BEGIN
  UPDATE ticket_status SET status = NEW.status WHERE rid = NEW.rowid;
END;
CREATE TRIGGER IF NOT EXISTS tickets_status_delete AFTER DELETE ON tickets BEGIN
  DELETE FROM ticket_status WHERE rid = OLD.rowid;
END;
CREATE INDEX IF NOT EXISTS tickets_assignee_status_order ON tickets(assignee, status, priority DESC, accept_due_at, id);
CREATE VIRTUAL TABLE IF NOT EXISTS ticket_search USING fts5(tokens, content='', contentless_delete=1, tokenize='ascii');

CREATE TRIGGER IF NOT EXISTS tickets_counts_insert AFTER INSERT ON tickets BEGIN
  INSERT INTO ticket_counts (dim, key, n) VALUES ('status', NEW.status, 1) ON CONFLICT (dim, key) DO UPDATE SET n = n + 1;
  INSERT INTO ticket_counts (dim, key, n) VALUES ('day', date(NEW.created_at, '+8 hours'), 1) ON CONFLICT (dim, key) DO UPDATE SET n = n + 1;
  INSERT INTO ticket_counts (dim, key, n) VALUES ('county', coalesce(NEW.county, '${UNKNOWN_COUNTY_KEY}'), 1) ON CONFLICT (dim, key) DO UPDATE SET n = n + 1;
  INSERT INTO ticket_counts (dim, key, n) VALUES ('accepted', '', NEW.accept_ms IS NOT NULL) ON CONFLICT (dim, key) DO UPDATE SET n = n + (NEW.accept_ms IS NOT NULL);
END;
CREATE TRIGGER IF NOT EXISTS tickets_counts_update AFTER UPDATE OF status, county, accept_ms, created_at ON tickets
WHEN OLD.status IS NOT NEW.status OR OLD.county IS NOT NEW.county OR OLD.accept_ms IS NOT NEW.accept_ms OR OLD.created_at IS NOT NEW.created_at BEGIN
  UPDATE ticket_counts SET n = n - 1 WHERE dim = 'status' AND key = OLD.status;
  INSERT INTO ticket_counts (dim, key, n) VALUES ('status', NEW.status, 1) ON CONFLICT (dim, key) DO UPDATE SET n = n + 1;
  UPDATE ticket_counts SET n = n - 1 WHERE dim = 'day' AND key = date(OLD.created_at, '+8 hours');
  INSERT INTO ticket_counts (dim, key, n) VALUES ('day', date(NEW.created_at, '+8 hours'), 1) ON CONFLICT (dim, key) DO UPDATE SET n = n + 1;
  UPDATE ticket_counts SET n = n - 1 WHERE dim = 'county' AND key = coalesce(OLD.county, '${UNKNOWN_COUNTY_KEY}');
  INSERT INTO ticket_counts (dim, key, n) VALUES ('county', coalesce(NEW.county, '${UNKNOWN_COUNTY_KEY}'), 1) ON CONFLICT (dim, key) DO UPDATE SET n = n + 1;
  UPDATE ticket_counts SET n = n - (OLD.accept_ms IS NOT NULL) + (NEW.accept_ms IS NOT NULL) WHERE dim = 'accepted' AND key = '';
END;
CREATE TRIGGER IF NOT EXISTS tickets_counts_delete AFTER DELETE ON tickets BEGIN
  UPDATE ticket_counts SET n = n - 1 WHERE dim = 'status' AND key = OLD.status;
  UPDATE ticket_counts SET n = n - 1 WHERE dim = 'day' AND key = date(OLD.created_at, '+8 hours');
  UPDATE ticket_counts SET n = n - 1 WHERE dim = 'county' AND key = coalesce(OLD.county, '${UNKNOWN_COUNTY_KEY}');
  UPDATE ticket_counts SET n = n - (OLD.accept_ms IS NOT NULL) WHERE dim = 'accepted' AND key = '';
END;
`;

/**
 * Counters for the views whose matches are many (overdue: most open tickets; "assigned to me": a
 * staff member's whole history), so that counting them per status reads a few hundred counters, not
 * hundreds of thousands of index entries:
 *   - dim 'due', key "<status> <UTC day of the running deadline>": open tickets per status and
 *     deadline day. Overdue at time T = the days before T's day from the counters + T's own day from
 *     the tickets_due_status index (a day's deadlines only).
 *   - dim 'assignee', key "<status> <assignee>" ("<status> " when nobody holds it).
 * Kept by triggers, like the other counters, in the transaction of the write that changes the row.
 */
export const DUE_KEY_SQL = (row: 'NEW' | 'OLD') => `${row}.status || ' ' || substr(${row}.running_due_at, 1, 10)`;
export const ASSIGNEE_KEY_SQL = (row: 'NEW' | 'OLD') => `${row}.status || ' ' || coalesce(${row}.assignee, '')`;
const VIEW_COUNTS_TRIGGERS = `
CREATE TRIGGER tickets_view_counts_insert AFTER INSERT ON tickets BEGIN
  INSERT INTO ticket_counts (dim, key, n) SELECT 'due', ${DUE_KEY_SQL('NEW')}, 1 WHERE NEW.running_due_at IS NOT NULL
    ON CONFLICT (dim, key) DO UPDATE SET n = n + 1;
  INSERT INTO ticket_counts (dim, key, n) VALUES ('assignee', ${ASSIGNEE_KEY_SQL('NEW')}, 1) ON CONFLICT (dim, key) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER tickets_view_counts_update AFTER UPDATE OF status, running_due_at, assignee ON tickets
WHEN OLD.status IS NOT NEW.status OR OLD.running_due_at IS NOT NEW.running_due_at OR OLD.assignee IS NOT NEW.assignee BEGIN
  UPDATE ticket_counts SET n = n - 1 WHERE OLD.running_due_at IS NOT NULL AND dim = 'due' AND key = ${DUE_KEY_SQL('OLD')};
  INSERT INTO ticket_counts (dim, key, n) SELECT 'due', ${DUE_KEY_SQL('NEW')}, 1 WHERE NEW.running_due_at IS NOT NULL
    ON CONFLICT (dim, key) DO UPDATE SET n = n + 1;
  UPDATE ticket_counts SET n = n - 1 WHERE dim = 'assignee' AND key = ${ASSIGNEE_KEY_SQL('OLD')};
  INSERT INTO ticket_counts (dim, key, n) VALUES ('assignee', ${ASSIGNEE_KEY_SQL('NEW')}, 1) ON CONFLICT (dim, key) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER tickets_view_counts_delete AFTER DELETE ON tickets BEGIN
  UPDATE ticket_counts SET n = n - 1 WHERE OLD.running_due_at IS NOT NULL AND dim = 'due' AND key = ${DUE_KEY_SQL('OLD')};
  UPDATE ticket_counts SET n = n - 1 WHERE dim = 'assignee' AND key = ${ASSIGNEE_KEY_SQL('OLD')};
END;
`;

/** Adds the view counters to a database made before them, filled from its tickets (in the same transaction). */
function migrateViewCounts(db: SqliteDatabase): void {
  if (db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'tickets_view_counts_insert'`).get()) return;
  db.exec(VIEW_COUNTS_TRIGGERS);
  db.exec(`
    DELETE FROM ticket_counts WHERE dim IN ('due', 'assignee');
    INSERT INTO ticket_counts (dim, key, n) SELECT 'due', k, COUNT(*) FROM (SELECT ${DUE_KEY_SQL('NEW').replaceAll('NEW.', '')} AS k FROM tickets WHERE running_due_at IS NOT NULL) GROUP BY k;
    INSERT INTO ticket_counts (dim, key, n) SELECT 'assignee', k, COUNT(*) FROM (SELECT ${ASSIGNEE_KEY_SQL('NEW').replaceAll('NEW.', '')} AS k FROM tickets) GROUP BY k;
  `);
}

/** Digits of a phone number, or null when it has none. */
export function phoneDigits(phone: string | null): string | null {
  if (!phone) return null;
  const d = phone.replace(/\D/g, '');
  return d === '' ? null : d;
}

/** ms from filing to acceptance, or null. */
export function acceptMs(t: { createdAt: string; acceptedAt: string | null }): number | null {
  return t.acceptedAt ? Date.parse(t.acceptedAt) - Date.parse(t.createdAt) : null;
}

const foldAscii = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const hex = (cp: number) => cp.toString(16).padStart(6, '0');

/**
 * The hex tokens of a text's overlapping character pairs, tagged by the ticket's status ("s<n>", n its
 * place in TICKET_STATUSES): each status has its own tokens, so a search's matches are counted per
 * status by the index alone — one COUNT of that status's phrase each, no look-up of every match's
 * status (73 670 look-ups for a common employer at a million tickets). A status change re-indexes the
 * ticket's row, in the transaction of the change.
 */
function pairTokens(text: string, status: TicketStatus): string[] {
  const tag = `s${TICKET_STATUSES.indexOf(status)}`;
  const cps = Array.from(foldAscii(text), (c) => c.codePointAt(0)!);
  const out: string[] = [];
  for (let i = 0; i + 1 < cps.length; i++) out.push(`${tag}${hex(cps[i]!)}${hex(cps[i + 1]!)}`);
  return out;
}

/** The search document of a ticket: its texts' pair tokens, with a breaker between texts (no phrase spans two). */
export function searchDocument(t: { id: string; phone: string | null; employer: string | null; status: TicketStatus }): string {
  const texts = [t.id, t.phone ?? '', t.employer ?? ''];
  const digits = phoneDigits(t.phone);
  if (digits && digits !== t.phone) texts.push(digits);
  return texts.map((x) => pairTokens(x, t.status).join(' ')).filter((x) => x !== '').join(' zz ');
}

/**
 * The FTS5 query for a substring among tickets of the given statuses (default: all), or null when it
 * is shorter than two characters (the caller scans).
 */
export function searchMatch(q: string, statuses: readonly TicketStatus[] = TICKET_STATUSES): string | null {
  if (Array.from(q).length < 2) return null;
  return statuses.map((s) => `"${pairTokens(q, s).join(' ')}"`).join(' OR ');
}

/** The search index's format; older databases are re-indexed once on open (migrateSearchFormat). */
const SEARCH_FORMAT = 2;

/** Re-indexes a database whose search rows predate the per-status tokens. */
function migrateSearchFormat(db: SqliteDatabase, indexedNow: boolean): void {
  const format = db.prepare<[], { n: number }>(`SELECT n FROM ticket_counts WHERE dim = 'format' AND key = 'search'`).get();
  if (format?.n === SEARCH_FORMAT) return;
  if (!indexedNow) {
    db.exec(`INSERT INTO ticket_search (ticket_search) VALUES ('delete-all')`);
    const index = db.prepare('INSERT INTO ticket_search (rowid, tokens) VALUES (?, ?)');
    const batch = db.prepare<[number], { rid: number; id: string; phone: string | null; employer: string | null; status: TicketStatus }>(
      'SELECT rowid AS rid, id, phone, employer, status FROM tickets WHERE rowid > ? ORDER BY rowid LIMIT 5000',
    );
    for (let rows = batch.all(-1); rows.length > 0; rows = batch.all(rows.at(-1)!.rid)) {
      for (const row of rows) index.run(row.rid, searchDocument(row));
    }
  }
  db.prepare(`INSERT INTO ticket_counts (dim, key, n) VALUES ('format', 'search', ?) ON CONFLICT (dim, key) DO UPDATE SET n = excluded.n`).run(SEARCH_FORMAT);
}

/** Creates the aggregates and, on a database made before them, fills them from the tickets. */
export function migrateTicketAggregates(db: SqliteDatabase): void {
  db.transaction(() => {
    const cols = new Set((db.prepare('PRAGMA table_info(tickets)').all() as Array<{ name: string }>).map((c) => c.name));
    if (!cols.has('accept_ms')) db.exec('ALTER TABLE tickets ADD COLUMN accept_ms INTEGER');
    if (!cols.has('phone_digits')) db.exec('ALTER TABLE tickets ADD COLUMN phone_digits TEXT');
    const fresh = !db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'ticket_counts'`).get();
    const hadStatus = Boolean(db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'ticket_status'`).get());
    db.exec(AGGREGATE_SCHEMA);
    if (!hadStatus) db.exec('INSERT OR REPLACE INTO ticket_status (rid, status) SELECT rowid, status FROM tickets');
    migrateViewCounts(db);
    if (!fresh) {
      migrateSearchFormat(db, false);
      return;
    }
    // Tickets written before: fill the columns, the search index and the counters from them.
    const update = db.prepare('UPDATE tickets SET accept_ms = ?, phone_digits = ? WHERE rowid = ?');
    const index = db.prepare('INSERT INTO ticket_search (rowid, tokens) VALUES (?, ?)');
    const batch = db.prepare<[number], { rid: number; data: string }>('SELECT rowid AS rid, data FROM tickets WHERE rowid > ? ORDER BY rowid LIMIT 1000');
    for (let last = -Infinity, rows = batch.all(last); rows.length > 0; rows = batch.all(last)) {
      for (const row of rows) {
        const t = JSON.parse(row.data) as {
          id: string;
          phone: string | null;
          employer: string | null;
          status: TicketStatus;
          createdAt: string;
          acceptedAt: string | null;
        };
        update.run(acceptMs(t), phoneDigits(t.phone), row.rid);
        index.run(row.rid, searchDocument(t));
        last = row.rid;
      }
    }
    db.exec(`
      DELETE FROM ticket_counts WHERE dim IN ('status', 'day', 'county', 'accepted');
      INSERT INTO ticket_counts (dim, key, n) SELECT 'status', status, COUNT(*) FROM tickets GROUP BY status;
      INSERT INTO ticket_counts (dim, key, n) SELECT 'day', date(created_at, '+8 hours'), COUNT(*) FROM tickets GROUP BY 2;
      INSERT INTO ticket_counts (dim, key, n) SELECT 'county', coalesce(county, '${UNKNOWN_COUNTY_KEY}'), COUNT(*) FROM tickets GROUP BY 2;
      INSERT INTO ticket_counts (dim, key, n) SELECT 'accepted', '', COUNT(*) FROM tickets WHERE accept_ms IS NOT NULL;
    `);
    migrateSearchFormat(db, true);
  }).immediate();
}
