/**
 * `npm run bench:http`: HTTP figures on loopback, never assertions. POST /api/chat of a real gateway
 * process (`node --import tsx src/server/server.ts`) against a bare fastify route that echoes its
 * input (a separate tiny process started here), in the same run, for the embedded store and for Redis
 * (a redis-server started here, AOF fsync always as deployed): requests/s, p50/p99 latency, the ratio
 * to the echo route (target ≥ 50 %), errors, and the gateway's memory under load (RSS sampled). GET
 * /health of the gateway is measured too: the HTTP stack without the dialogue engine, so the gap
 * between the two shows what the engine (understanding, retrieval, storage) costs per message.
 *
 *   BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 32), BENCH_USERS (distinct userIds, 5000)
 *
 * The messages repeat (65 distinct texts), as they do when thousands ask about the same policy, so
 * the gateway's understanding and answer caches serve most of them, as they would on that day.
 *
 * The gateway runs with RATE_LIMIT_PER_MINUTE high and the per-IP limit off (one client address).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
}

async function load(url: string, body: ((i: number) => string) | null): Promise<Figures> {
  let i = 0;
  const result = await autocannon({
    url,
    method: body ? 'POST' : 'GET',
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { 'content-type': 'application/json' },
    ...(body ? { requests: [{ setupRequest: (req) => ({ ...req, body: body(i++) }) }] } : {}),
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

const chatBody = (i: number) =>
  JSON.stringify({ userId: `bench-${(i * 7919) % USERS}`, text: MESSAGES[i % MESSAGES.length] });

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
  const echo = spawn(process.execPath, ['--import', 'tsx', 'bench/http.ts', '--echo', String(echoPort)], { cwd: ROOT, stdio: 'inherit' });
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'epa-bench-http-'));
  const gw = spawn(process.execPath, ['--max-semi-space-size=64', '--import', 'tsx', 'src/server/server.ts'], {
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
    const chat = await load(`http://127.0.0.1:${port}/api/chat`, chatBody);
    clearInterval(sampler);
    const echoFig = await load(`http://127.0.0.1:${echoPort}/echo`, chatBody);
    // The gateway's HTTP stack alone (helmet, per-IP limit off, metrics hook, error handler).
    const health = await load(`http://127.0.0.1:${port}/health`, null);
    const row = (label: string, f: Figures) =>
      `  ${label.padEnd(22)} ${f.rps.toFixed(0).padStart(7)} req/s   p50 ${String(f.p50).padStart(4)} ms   p99 ${String(f.p99).padStart(4)} ms   ` +
      `requests ${f.total}, non-2xx ${f.non2xx}, errors ${f.errors}`;
    console.log(`\n${name}`);
    console.log(row('POST /api/chat', chat));
    console.log(row('bare echo route', echoFig));
    console.log(row('gateway GET /health', health));
    console.log(`  ratio chat/echo        ${((chat.rps / echoFig.rps) * 100).toFixed(1)} %  (target ≥ 50 %)`);
    console.log(`  gateway memory         idle ${(rssIdle / 2 ** 20).toFixed(0)} MB, peak under load ${(rssPeak / 2 ** 20).toFixed(0)} MB`);
  } finally {
    await Promise.all([stop(gw), stop(echo)]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`bench:http — ${SECONDS} s per run, ${CONNECTIONS} connections, ${USERS} distinct userIds, loopback, node ${process.version}`);
  await scenario('embedded store (SQLite)', {});
  const redisDir = mkdtempSync(join(tmpdir(), 'epa-bench-redis-'));
  const redisPort = await freePort();
  const redis = await startRedisServer(redisPort, redisDir);
  try {
    await scenario('Redis (AOF, fsync always)', { REDIS_URL: `redis://127.0.0.1:${redisPort}` });
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
