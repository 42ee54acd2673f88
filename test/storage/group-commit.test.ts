import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/storage/sqlite/group-commit.js';
import { openDatabase, type SqliteDatabase } from '../../src/storage/sqlite/open-database.js';

describe('GroupCommit (embedded SQLite)', () => {
  let dir: string;
  let db: SqliteDatabase;
  let batches: number;
  let commits: GroupCommit;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'epa-group-commit-'));
    db = openDatabase(join(dir, 'g.db'), 'NORMAL');
    db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL CHECK (v >= 0))');
    batches = 0;
    commits = new GroupCommit(db, () => batches++);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const put = (k: string, v: number) => commits.write(() => db.prepare('INSERT OR REPLACE INTO t (k, v) VALUES (?, ?)').run(k, v).changes);
  const read = (k: string) => commits.read(() => (db.prepare('SELECT v FROM t WHERE k = ?').get(k) as { v: number } | undefined)?.v ?? null);

  it('commits the writes of one turn of the event loop together, in order, each caller getting its own result', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => put(`k${i % 5}`, i)));
    expect(results).toEqual(Array(20).fill(1));
    expect(batches).toBe(1);
    // Later writes to the same key win, as if run one by one.
    expect(await read('k0')).toBe(15);
    expect(await read('k4')).toBe(19);
  });

  it('a read queued behind a write sees it; a read with nothing queued runs at once', async () => {
    const write = put('a', 1);
    const seen = read('a');
    expect(await seen).toBe(1);
    await write;
    expect(await read('missing')).toBeNull();
  });

  it('a failing statement rejects its own caller only; the others are committed', async () => {
    const ok1 = put('x', 1);
    const bad = put('y', -1); // CHECK constraint
    const ok2 = put('z', 2);
    await expect(bad).rejects.toThrow(/CHECK/);
    await expect(ok1).resolves.toBe(1);
    await expect(ok2).resolves.toBe(1);
    expect(await read('x')).toBe(1);
    expect(await read('y')).toBeNull();
    expect(await read('z')).toBe(2);
  });

  it('a promise settles only after its write is committed (visible to another connection)', async () => {
    const other = openDatabase(join(dir, 'g.db'), 'NORMAL');
    try {
      await put('durable', 7);
      expect(other.prepare('SELECT v FROM t WHERE k = ?').get('durable')).toEqual({ v: 7 });
    } finally {
      other.close();
    }
  });

  it('flush() runs what is queued at once (close path)', async () => {
    const pending = put('late', 3);
    commits.flush();
    expect(db.prepare('SELECT v FROM t WHERE k = ?').get('late')).toEqual({ v: 3 });
    await expect(pending).resolves.toBe(1);
  });
});
