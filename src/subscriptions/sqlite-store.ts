/** Embedded SubscriptionStore: three tables in the gateway's SQLite file (FULL sync: consent is a record). */
import type { Channel } from '../core/types.js';
import { openDatabase, type SqliteDatabase } from '../storage/sqlite/open-database.js';
import type { Notice, Subscription, SubscriptionStore } from './types.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS subscriptions (
  channel TEXT NOT NULL,
  user_id TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (channel, user_id)
);
CREATE TABLE IF NOT EXISTS subscription_notices (
  doc_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  user_id TEXT NOT NULL,
  status TEXT NOT NULL,
  queued_at TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (doc_id, channel, user_id)
);
CREATE INDEX IF NOT EXISTS subscription_notices_status ON subscription_notices(status, queued_at);
CREATE TABLE IF NOT EXISTS subscription_notice_days (
  channel TEXT NOT NULL,
  user_id TEXT NOT NULL,
  day TEXT NOT NULL,
  PRIMARY KEY (channel, user_id)
);
`;

export class SqliteSubscriptionStore implements SubscriptionStore {
  private readonly db: SqliteDatabase;

  constructor(file: string) {
    this.db = openDatabase(file, 'FULL');
    this.db.exec(SCHEMA);
  }

  async get(channel: Channel, userId: string): Promise<Subscription | null> {
    const row = this.db.prepare('SELECT data FROM subscriptions WHERE channel = ? AND user_id = ?').get(channel, userId) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as Subscription) : null;
  }

  async put(sub: Subscription): Promise<void> {
    this.db
      .prepare('INSERT INTO subscriptions (channel, user_id, data) VALUES (?, ?, ?) ON CONFLICT (channel, user_id) DO UPDATE SET data = excluded.data')
      .run(sub.channel, sub.userId, JSON.stringify(sub));
  }

  async delete(channel: Channel, userId: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM subscriptions WHERE channel = ? AND user_id = ?').run(channel, userId).changes > 0;
  }

  async list(): Promise<Subscription[]> {
    const rows = this.db.prepare('SELECT data FROM subscriptions ORDER BY channel, user_id').all() as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as Subscription);
  }

  async enqueue(n: Notice): Promise<boolean> {
    const res = this.db
      .prepare('INSERT OR IGNORE INTO subscription_notices (doc_id, channel, user_id, status, queued_at, data) VALUES (?, ?, ?, ?, ?, ?)')
      .run(n.docId, n.channel, n.userId, n.status, n.queuedAt, JSON.stringify(n));
    return res.changes > 0;
  }

  async enqueueAll(notices: readonly Notice[]): Promise<number> {
    const insert = this.db.prepare('INSERT OR IGNORE INTO subscription_notices (doc_id, channel, user_id, status, queued_at, data) VALUES (?, ?, ?, ?, ?, ?)');
    return this.db.transaction(() => notices.reduce((n, x) => n + insert.run(x.docId, x.channel, x.userId, x.status, x.queuedAt, JSON.stringify(x)).changes, 0))();
  }

  async pending(): Promise<Notice[]> {
    const rows = this.db.prepare("SELECT data FROM subscription_notices WHERE status = 'pending' ORDER BY queued_at, doc_id").all() as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as Notice);
  }

  async update(n: Notice): Promise<void> {
    this.db
      .prepare('UPDATE subscription_notices SET status = ?, data = ? WHERE doc_id = ? AND channel = ? AND user_id = ?')
      .run(n.status, JSON.stringify(n), n.docId, n.channel, n.userId);
  }

  async notices(docId: string): Promise<Notice[]> {
    const rows = this.db.prepare('SELECT data FROM subscription_notices WHERE doc_id = ? ORDER BY queued_at, channel, user_id').all(docId) as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as Notice);
  }

  async docIds(): Promise<string[]> {
    const rows = this.db.prepare('SELECT doc_id, MAX(queued_at) AS last FROM subscription_notices GROUP BY doc_id ORDER BY last DESC').all() as { doc_id: string }[];
    return rows.map((r) => r.doc_id);
  }

  async lastNoticeDay(channel: Channel, userId: string): Promise<string | null> {
    const row = this.db.prepare('SELECT day FROM subscription_notice_days WHERE channel = ? AND user_id = ?').get(channel, userId) as { day: string } | undefined;
    return row?.day ?? null;
  }

  async setLastNoticeDay(channel: Channel, userId: string, day: string): Promise<void> {
    this.db
      .prepare('INSERT INTO subscription_notice_days (channel, user_id, day) VALUES (?, ?, ?) ON CONFLICT (channel, user_id) DO UPDATE SET day = excluded.day')
      .run(channel, userId, day);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
