import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteSessionStore } from '../../src/storage/sqlite/session-store.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SqliteSessionStore with rate-limit counters in memory (the embedded gateway)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'epa-hits-'));
  const store = new SqliteSessionStore(join(dir, 'assistant.db'), { hitsInMemory: true });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts hits per key, refuses beyond the limit, and starts again when the window has passed', async () => {
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await store.hit('rate:web:u1', 1, 2));
    expect(results).toEqual([
      { allowed: true, count: 1 },
      { allowed: true, count: 2 },
      { allowed: false, count: 3 },
      { allowed: false, count: 4 },
    ]);
    expect(await store.hit('rate:web:u2', 1, 2)).toEqual({ allowed: true, count: 1 });
    await sleep(1_100);
    expect(await store.hit('rate:web:u1', 1, 2)).toEqual({ allowed: true, count: 1 });
  });
});
