/**
 * `npm run bench:http`: HTTP figures on loopback, never assertions. POST /api/chat of a real gateway
 * process (`node --import tsx src/server/server.ts`) against a bare fastify route that echoes its
 * input (a separate tiny process started here), in the same run, for the embedded store and for Redis
 * (a redis-server started here, AOF fsync always as deployed), each with the answer cache on (as
 * deployed) and off (ANSWER_CACHE_SIZE=0: every answer worked out afresh): requests/s, p50/p99
 * latency, the ratio to the echo route, the server's CPU µs per chat turn (target ≤ 150 µs on SQLite
 * with the answer cache off) and its ratio to an echo, errors, and the gateway's memory under load (RSS sampled). GET
 * /health of the gateway is measured too: the HTTP stack without the dialogue engine, so the gap
 * between the two shows what the engine (understanding, retrieval, storage) costs per message.
 *
 *   BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 32), BENCH_USERS (distinct userIds, 5000),
 *   BENCH_PIN (default 1: with 2+ cores and taskset, the servers run on core 0 and the load generator
 *   and redis-server on core 1, so the servers do not fight autocannon for a core and each server's
 *   req/s is what one core gives; 0 lets the OS schedule everything)
 *
 * Beside req/s, each server's CPU time per request is read from /proc (all its threads: GC, libuv):
 * unlike req/s it does not depend on what else the machine is doing, so the cost ratio of a chat
 * turn to an echo is the steadier figure.
 *
 * The messages repeat (65 distinct texts), as they do when thousands ask about the same policy, so
 * the gateway's understanding and answer caches serve most of them, as they would on that day.
 *
 * The gateway runs with RATE_LIMIT_PER_MINUTE high and the per-IP limit off (one client address).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { loadQuestionCases } from '../src/eval/questions.js';
import { freePort, startRedisServer } from '../test/setup/redis-server.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const USERS = Number(process.env.BENCH_USERS ?? 5000);
const SERVER_CPU = '0';
const LOADER_CPU = '1';
const PIN = process.env.BENCH_PIN !== '0' && availableParallelism() >= 2 && canPin();

function canPin(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Binds a process and all its threads to one core (no-op when pinning is off). */
function pin(pid: number, cpu: string): void {
  if (PIN) execFileSync('taskset', ['-a', '-pc', cpu, String(pid)], { stdio: 'ignore' });
}

/** The command line of a server child: under `taskset` when pinning. */
function serverCommand(args: string[]): [string, string[]] {
  return PIN ? ['taskset', ['-c', SERVER_CPU, process.execPath, ...args]] : [process.execPath, args];
}

/**
 * What people send: the 60 questions of the dev set (policy, eligibility, complaint openings, out of
 * scope) and the short messages that come between them. 5 000 senders each start a conversation, so
 * a message may start a form (eligibility, complaint) whose next turns continue it.
 */
const MESSAGES = [
  ...loadQuestionCases(join(ROOT, 'eval', 'dev', 'questions.dev.jsonl')).map((c) => c.text),
  '你好',
  '1',
  '取消',
  '老板欠我3个月工资',
  '12333是什么电话',
];

interface Figures {
  rps: number;
  /** CPU time of the server process per request, µs (null when /proc is not readable). */
  cpuPerRequest: number | null;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
}

async function load(url: string, body: ((i: number) => string) | null, serverPid: number): Promise<Figures> {
  let i = 0;
  const cpuBefore = cpuSecondsOf(serverPid);
  const result = await autocannon({
    url,
    method: body ? 'POST' : 'GET',
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { 'content-type': 'application/json' },
    ...(body ? { requests: [{ setupRequest: (req) => ({ ...req, body: body(i++) }) }] } : {}),
  });
  const cpuAfter = cpuSecondsOf(serverPid);
  const cpuPerRequest =
    cpuBefore !== null && cpuAfter !== null && result.requests.total > 0
      ? ((cpuAfter - cpuBefore) / result.requests.total) * 1e6
      : null;
  return {
    rps: result.requests.average,
    cpuPerRequest,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

const chatBody = (i: number) =>
  JSON.stringify({ userId: `bench-${(i * 7919) % USERS}`, text: MESSAGES[i % MESSAGES.length] });

/** User + system CPU seconds of a process, all threads (fields 14 and 15 of /proc/PID/stat). */
function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ", field 3 (state) is index 0, so utime (14) and stime (15) are 11 and 12.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
const CLOCK_TICKS = 100;

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function waitReady(url: string, child: ChildProcess, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode})`);
    try {
      const res = await fetch(url, { method: url.endsWith('/echo') ? 'POST' : 'GET', headers: { 'content-type': 'application/json' }, body: url.endsWith('/echo') ? '{}' : undefined });
      if (res.ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} not ready`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise((r) => {
    child.once('exit', r);
    child.kill('SIGTERM');
  });
}

async function scenario(name: string, env: Record<string, string>): Promise<void> {
  const echoPort = await freePort();
  const [echoCmd, echoArgs] = serverCommand(['--import', 'tsx', 'bench/http.ts', '--echo', String(echoPort)]);
  const echo = spawn(echoCmd, echoArgs, { cwd: ROOT, stdio: 'inherit' });
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'epa-bench-http-'));
  // The gateway as `npm start` runs it (its node flags, e.g. the semi-space size, from package.json).
  // BENCH_SEMI_SPACE=<MB> replaces its semi-space size, to compare.
  let start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
  if (process.env.BENCH_SEMI_SPACE) {
    start = [start[0]!, `--max-semi-space-size=${process.env.BENCH_SEMI_SPACE}`, ...start.slice(1).filter((w) => !w.startsWith('--max-semi-space-size'))];
  }
  const [gwCmd, gwArgs] = serverCommand(start.slice(1));
  const gw = spawn(gwCmd, gwArgs, {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_IP_PER_MINUTE: '0',
      ...env,
    },
  });
  try {
    await waitReady(`http://127.0.0.1:${echoPort}/echo`, echo, 'echo server');
    await waitReady(`http://127.0.0.1:${port}/health`, gw, 'gateway');
    const rssIdle = rssOf(gw.pid!);
    // Warm-up (JIT, caches), then the measured runs back to back.
    await autocannon({ url: `http://127.0.0.1:${port}/api/chat`, method: 'POST', connections: 8, amount: 400, headers: { 'content-type': 'application/json' }, requests: [{ setupRequest: (req) => ({ ...req, body: chatBody(Math.floor(Math.random() * 1e6)) }) }] });
    let rssPeak = 0;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssOf(gw.pid!))), 200);
    const chat = await load(`http://127.0.0.1:${port}/api/chat`, chatBody, gw.pid!);
    clearInterval(sampler);
    const echoFig = await load(`http://127.0.0.1:${echoPort}/echo`, chatBody, echo.pid!);
    // The gateway's HTTP stack alone (helmet, per-IP limit off, metrics hook, error handler).
    const health = await load(`http://127.0.0.1:${port}/health`, null, gw.pid!);
    const row = (label: string, f: Figures) =>
      `  ${label.padEnd(22)} ${f.rps.toFixed(0).padStart(7)} req/s   p50 ${String(f.p50).padStart(4)} ms   p99 ${String(f.p99).padStart(4)} ms   ` +
      `CPU ${f.cpuPerRequest === null ? '?' : f.cpuPerRequest.toFixed(0).padStart(4)} µs/req   ` +
      `requests ${f.total}, non-2xx ${f.non2xx}, errors ${f.errors}`;
    console.log(`\n${name}`);
    console.log(row('POST /api/chat', chat));
    console.log(row('bare echo route', echoFig));
    console.log(row('gateway GET /health', health));
    console.log(`  ratio chat/echo        ${((chat.rps / echoFig.rps) * 100).toFixed(1)} % of echo's req/s`);
    if (chat.cpuPerRequest && echoFig.cpuPerRequest) {
      console.log(
        `  CPU per chat turn      ${chat.cpuPerRequest.toFixed(0)} µs, ${(chat.cpuPerRequest / echoFig.cpuPerRequest).toFixed(1)}× an echo` +
          (env.ANSWER_CACHE_SIZE === '0' && !env.REDIS_URL ? '  (target ≤ 150 µs: SQLite, answer cache off)' : ''),
      );
    }
    if (chat.cpuPerRequest && echoFig.cpuPerRequest) {
      console.log(`  CPU cost echo/chat     ${((echoFig.cpuPerRequest / chat.cpuPerRequest) * 100).toFixed(1)} %  (the throughput ratio on equal, dedicated cores)`);
    }
    console.log(`  gateway memory         idle ${(rssIdle / 2 ** 20).toFixed(0)} MB, peak under load ${(rssPeak / 2 ** 20).toFixed(0)} MB`);
  } finally {
    await Promise.all([stop(gw), stop(echo)]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  pin(process.pid, LOADER_CPU);
  console.log(
    `bench:http — ${SECONDS} s per run, ${CONNECTIONS} connections, ${USERS} distinct userIds, loopback, node ${process.version}, ` +
      (PIN ? `servers pinned to CPU ${SERVER_CPU}, autocannon and redis-server to CPU ${LOADER_CPU}` : 'not pinned'),
  );
  await scenario('embedded store (SQLite)', {});
  // BENCH_ONLY=sqlite: that one scenario (quick comparisons).
  if (process.env.BENCH_ONLY === 'sqlite') return;
  // Every policy answer worked out afresh: what a turn costs when the question is new.
  await scenario('embedded store (SQLite), answer cache off', { ANSWER_CACHE_SIZE: '0' });
  const redisDir = mkdtempSync(join(tmpdir(), 'epa-bench-redis-'));
  const redisPort = await freePort();
  const redis = await startRedisServer(redisPort, redisDir);
  pin(redis.pid!, LOADER_CPU);
  try {
    await scenario('Redis (AOF, fsync always)', { REDIS_URL: `redis://127.0.0.1:${redisPort}` });
    await scenario('Redis (AOF, fsync always), answer cache off', { REDIS_URL: `redis://127.0.0.1:${redisPort}`, ANSWER_CACHE_SIZE: '0' });
  } finally {
    await stop(redis);
    rmSync(redisDir, { recursive: true, force: true });
  }
}

// Role of this process: the echo server (child), or the bench.
if (process.argv[2] === '--echo') {
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  app.post('/echo', async (req) => req.body);
  await app.listen({ port: Number(process.argv[3]), host: '127.0.0.1' });
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
} else {
  await main();
}
