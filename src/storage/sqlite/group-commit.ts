/**
 * Group commit for an embedded SQLite database. Every commit writes the WAL (one write per page,
 * plus the WAL index), which costs more than the statement itself; a busy gateway makes several
 * session writes in the same turn of the event loop. Statements queued here run in arrival order,
 * and all those queued before the next check phase (setImmediate) share one transaction. A caller's
 * promise settles only once its statement is committed, so a reply sent after `await` is still
 * backed by what was written — the batching changes the cost, never the durability.
 *
 * A read with nothing queued ahead of it runs at once (it cannot miss a write of its own); otherwise
 * it waits its turn, so it sees every write queued before it.
 */
import type { SqliteDatabase } from './open-database.js';

interface Pending {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly db: SqliteDatabase,
    /** Runs inside each batch's transaction, after its statements (housekeeping such as purges). */
    private readonly afterBatch: () => void = () => undefined,
  ) {}

  /** A statement that writes: committed with the others queued in this turn of the event loop. */
  write<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** A statement that only reads. */
  read<T>(run: () => T): Promise<T> {
    if (this.queue.length === 0) {
      try {
        return Promise.resolve(run());
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.write(run);
  }

  /** Runs what is queued now (also called on close, so nothing queued is dropped). */
  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0 || !this.db.open) {
      for (const p of batch) p.reject(new Error('database closed'));
      return;
    }
    let results: unknown[];
    try {
      results = this.db.transaction(() => {
        const out = batch.map((p) => p.run());
        this.afterBatch();
        return out;
      })();
    } catch {
      // The transaction rolled back as a whole: run each statement alone, so one failure (a busy
      // file, a constraint) fails its own caller only.
      for (const p of batch) {
        try {
          p.resolve(this.db.transaction(p.run)());
        } catch (err) {
          p.reject(err);
        }
      }
      return;
    }
    batch.forEach((p, i) => p.resolve(results[i]));
  }
}
