/**
 * kill -9 of the gateway in the middle of complaint intakes and right after confirmations, with the
 * embedded (SQLite) storage: after a restart every confirmed complaint is a ticket exactly once, a
 * confirmation whose answer was lost can be sent again without a second ticket, and every
 * unconfirmed intake resumes where it stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStores } from '../../src/storage/create-stores.js';
import { freePort } from '../setup/redis-server.js';

const WORKERS = 12;
const TICKET = /QX\d{6}-[0-9A-Z]{4}/;

interface Server {
  child: ChildProcess;
  url: string;
}

async function startServer(dataDir: string, port: number): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/server.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'error', REDIS_URL: '', RATE_LIMIT_PER_MINUTE: '1000' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return { child, url };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become healthy');
}

async function kill9(server: Server): Promise<void> {
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGKILL');
  await exited;
}

async function say(server: Server, userId: string, text: string): Promise<string> {
  const res = await fetch(`${server.url}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, text }),
  });
  const body = (await res.json()) as { replies: Array<{ text: string }> };
  return body.replies.map((r) => r.text).join('\n');
}

/** A worker's intake up to the read-back, in the colloquial style of the dev dialogues. */
async function intakeToReadBack(server: Server, userId: string, i: number): Promise<string> {
  await say(server, userId, '老板欠我工资不给');
  await say(server, userId, `在宝丰县一个砖厂 叫兴旺${i}号砖厂`);
  await say(server, userId, `欠了${3000 + i * 100}块`);
  await say(server, userId, '就我自己');
  let reply = await say(server, userId, `1390375${String(1000 + i).padStart(4, '0')}`);
  // Answer any remaining optional question until the read-back asks for confirmation.
  for (let k = 0; k < 4 && !/确认|对吗/.test(reply); k++) reply = await say(server, userId, '没有了');
  return reply;
}

const dataDir = mkdtempSync(join(tmpdir(), 'epa-crash-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('gateway killed with SIGKILL during complaint intakes', () => {
  it('when it restarts, then confirmed complaints are tickets exactly once and unconfirmed intakes resume', { timeout: 240_000 }, async () => {
    const port = await freePort();
    let server = await startServer(dataDir, port);
    const users = Array.from({ length: WORKERS }, (_, i) => `crash-worker-${i}`);

    // Every worker reaches the read-back.
    for (const [i, u] of users.entries()) expect(await intakeToReadBack(server, u, i)).toMatch(/确认|对吗/);

    // The first third confirm and get their number before the crash.
    const acknowledged = new Map<string, string>();
    for (const u of users.slice(0, WORKERS / 3)) {
      const id = TICKET.exec(await say(server, u, '对'))?.[0];
      expect(id).toBeDefined();
      acknowledged.set(u, id!);
    }
    // The second third confirm all at once and the gateway dies while they are in flight.
    const inFlight = users.slice(WORKERS / 3, (2 * WORKERS) / 3);
    const racing = inFlight.map((u) => say(server, u, '对').then((r) => ({ u, id: TICKET.exec(r)?.[0] }), () => ({ u, id: undefined })));
    await new Promise((r) => setTimeout(r, 15));
    await kill9(server);
    for (const { u, id } of await Promise.all(racing)) if (id) acknowledged.set(u, id);
    // The last third never confirmed.
    const unconfirmed = users.slice((2 * WORKERS) / 3);

    server = await startServer(dataDir, port);
    // A worker whose answer was lost sends "对" again, as people do; one who got a number asks again too.
    const afterRestart = new Map<string, string>();
    for (const u of [...inFlight, ...users.slice(0, WORKERS / 3)]) {
      const reply = await say(server, u, '对');
      const id = TICKET.exec(reply)?.[0];
      if (id) afterRestart.set(u, id);
    }
    // Unconfirmed intakes are still waiting at the read-back: confirming files them now.
    let resumed = 0;
    for (const u of unconfirmed) {
      const reply = await say(server, u, '对');
      if (TICKET.test(reply)) resumed += 1;
    }
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));

    const stores = createStores({ dataDir });
    try {
      let exactlyOnce = 0;
      for (const u of users) {
        const tickets = await stores.tickets.findForOwner('web', u);
        expect(tickets, u).toHaveLength(1);
        exactlyOnce += 1;
        const known = acknowledged.get(u);
        if (known) expect(tickets[0]!.id).toBe(known);
      }
      console.log(
        `gateway crash: ${WORKERS} intakes, ${acknowledged.size} acknowledged before/at the crash (${inFlight.length} in flight at SIGKILL), ` +
          `${afterRestart.size} re-confirmations answered with a number, ${resumed}/${unconfirmed.length} unconfirmed intakes resumed, ` +
          `${exactlyOnce}/${WORKERS} workers with exactly one ticket`,
      );
      expect(resumed).toBe(unconfirmed.length);
    } finally {
      await stores.close();
    }
  });
});
