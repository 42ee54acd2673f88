/**
 * Tables of the embedded ticket queue. A ticket is stored whole as JSON (`data`) next to the columns
 * the queue filters and sorts on; both are written by the same statement. The indexes serve the
 * staff queue (status tab, sort order), the work queue (claimable new tickets), leases, owner look-up
 * and the outbox, so 10 000 tickets are listed from indexes rather than scanned.
 */
export const TICKET_SCHEMA = `
CREATE TABLE IF NOT EXISTS tickets (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  priority INTEGER NOT NULL,
  accept_due_at TEXT NOT NULL,
  running_due_at TEXT,
  county TEXT,
  assignee TEXT,
  lease_expires_at INTEGER,
  channel TEXT NOT NULL,
  user_id TEXT NOT NULL,
  phone TEXT,
  employer TEXT,
  created_at TEXT NOT NULL,
  rev INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tickets_queue_order ON tickets(priority DESC, accept_due_at, id);
CREATE INDEX IF NOT EXISTS tickets_status_order ON tickets(status, priority DESC, accept_due_at, id);
CREATE INDEX IF NOT EXISTS tickets_claimable ON tickets(priority DESC, accept_due_at, id)
  WHERE status = 'new' AND assignee IS NULL;
CREATE INDEX IF NOT EXISTS tickets_leases ON tickets(lease_expires_at) WHERE lease_expires_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS tickets_running_due ON tickets(running_due_at) WHERE running_due_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS tickets_owner ON tickets(channel, user_id, created_at);
CREATE INDEX IF NOT EXISTS tickets_county ON tickets(county, status);
CREATE INDEX IF NOT EXISTS tickets_assignee ON tickets(assignee, status);

CREATE TABLE IF NOT EXISTS ticket_idempotency (
  key TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL REFERENCES tickets(id),
  created_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS ticket_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  ticket_id TEXT NOT NULL REFERENCES tickets(id),
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ticket_events_ticket ON ticket_events(ticket_id, seq);

CREATE TABLE IF NOT EXISTS ticket_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  ticket_id TEXT NOT NULL REFERENCES tickets(id),
  channel TEXT NOT NULL,
  user_id TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at TEXT NOT NULL,
  delivered_at TEXT
);
CREATE INDEX IF NOT EXISTS ticket_outbox_pending ON ticket_outbox(seq) WHERE delivered_at IS NULL;
`;
