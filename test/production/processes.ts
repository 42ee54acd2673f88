/**
 * Real processes for the production tests: redis-server (started and killed by the test) and gateway
 * processes (`node --import tsx src/server/server.ts`) with PORT, REDIS_URL and DATA_DIR.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startRedisServer } from '../setup/redis-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface RedisProcess {
  url: string;
  port: number;
  dir: string;
  child: ChildProcess;
  /** SIGKILL (no shutdown save; AOF with fsync always keeps every acknowledged write). */
  kill(): Promise<void>;
  /** Starts redis-server again on the same port and directory (replays the AOF). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisProcess> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'epa-prod-redis-'));
  const r: RedisProcess = {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    child: await startRedisServer(port, dir),
    async kill() {
      await exitOf(r.child, 'SIGKILL');
    },
    async restart() {
      r.child = await startRedisServer(port, dir);
    },
    async stop() {
      await exitOf(r.child, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return r;
}

function exitOf(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

export interface Gateway {
  url: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  /** Every line the process wrote (stdout and stderr), in order. */
  output: string[];
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startGateway(env: Record<string, string>, dataDir?: string): Promise<Gateway> {
  const port = await freePort();
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'epa-prod-gw-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  // Whole lines only: a chunk may end in the middle of a log line.
  const collector = () => {
    let partial = '';
    return (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      output.push(...lines.filter((l) => l.length > 0));
    };
  };
  child.stdout?.on('data', collector());
  child.stderr?.on('data', collector());
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}:\n${output.join('\n')}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`gateway did not become ready:\n${output.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    dataDir: dir,
    child,
    output,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export interface ChatOutcome {
  status: number;
  body: unknown;
  text: string;
}

/** POST /api/chat; a network failure is reported as status 0, never thrown. */
export async function chat(gw: { url: string }, userId: string, text: string, messageId?: string): Promise<ChatOutcome> {
  try {
    const res = await fetch(`${gw.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId, text, ...(messageId ? { messageId } : {}) }),
    });
    const body = (await res.json().catch(() => null)) as { replies?: Array<{ text: string }> } | null;
    return { status: res.status, body, text: body?.replies?.map((r) => r.text).join('\n') ?? '' };
  } catch (err) {
    return { status: 0, body: String(err), text: '' };
  }
}

/** The dev-set complaint d002, then "没有" to optional questions and "对" to the read-back. */
export const COMPLAINT_TURNS = ['老板不给钱怎么办', '在叶县一个纸箱厂', '叫鑫达包装', '欠了1.5万 干了5个月', '就我自己', '15937500202'];
export const TICKET_IN_REPLY = /QX\d{6}-[23456789A-Z]{4}/;
const ASKS_CONFIRMATION = /确认|对吗|对不对|是否正确|核对/;

/** The next message of the intake after reply `last`, or null when a ticket number was given. */
export function nextComplaintTurn(sent: number, last: string): string | null {
  if (TICKET_IN_REPLY.test(last)) return null;
  if (sent < COMPLAINT_TURNS.length) return COMPLAINT_TURNS[sent]!;
  return ASKS_CONFIRMATION.test(last) ? '对' : '没有';
}
