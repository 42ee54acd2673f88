import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createStores, DB_FILE_NAME } from '../../src/storage/create-stores.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('embedded store: conversation locks in memory (one gateway process, one write per turn)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'epa-locks-'));
  const stores = createStores({ dataDir: dir });
  afterEach(async () => {
    await stores.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds a lock against other takers until freed by its own token or expired, and writes nothing to the file', async () => {
    const s = stores.sessions;
    const token = await s.tryLock('turn:conv:web:u1', 10_000);
    expect(token).not.toBeNull();
    expect(await s.tryLock('turn:conv:web:u1', 10_000)).toBeNull();
    expect(await s.tryLock('turn:conv:web:u2', 10_000)).not.toBeNull();
    await s.unlock('turn:conv:web:u1', 'someone-else');
    expect(await s.tryLock('turn:conv:web:u1', 10_000)).toBeNull();

    const file = new Database(join(dir, DB_FILE_NAME), { readonly: true });
    expect(file.prepare('SELECT COUNT(*) AS n FROM session_locks').get()).toEqual({ n: 0 });
    file.close();

    await s.unlock('turn:conv:web:u1', token!);
    const again = await s.tryLock('turn:conv:web:u1', 200);
    expect(again).not.toBeNull();
    await sleep(250);
    expect(await s.tryLock('turn:conv:web:u1', 10_000)).not.toBeNull();
  });
});
