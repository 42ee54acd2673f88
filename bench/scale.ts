/**
 * `npm run bench -- --scale 15`: the knowledge base grown to a bureau's whole library. Figures only.
 *
 * Copies every document of knowledge/docs `scale` times into a temporary knowledge folder (copy k of
 * a document gets the id `<id>-s<k>`; rules, lexicon and seeds are linked, not copied), then, each in
 * a fresh process:
 *   1. `npm run index` on it: the build (and, where the index is saved, the snapshot written);
 *   2. the server exactly as `npm start` runs it (same node flags, read from package.json), timed
 *      from spawn to the first 200 of GET /health ("start-up to ready"), and its RSS once idle
 *      (ready, then 3 s without requests);
 *   3. bench/run.ts on that knowledge base (BENCH_SKIP_STAFF=1): in-process p50/p99 per message.
 * `--scale 1` gives the same figures for the shipped knowledge base.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/setup/redis-server.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Writes a knowledge folder with every document copied `scale` times; returns its path. */
export function scaledKnowledge(scale: number): string {
  const dir = mkdtempSync(join(tmpdir(), `epa-scale-${scale}-`));
  const knowledge = join(dir, 'knowledge');
  mkdirSync(join(knowledge, 'docs'), { recursive: true });
  for (const sub of readdirSync(join(ROOT, 'knowledge'))) {
    if (sub !== 'docs') symlinkSync(join(ROOT, 'knowledge', sub), join(knowledge, sub));
  }
  for (const name of readdirSync(join(ROOT, 'knowledge', 'docs')).filter((n) => n.endsWith('.md'))) {
    const text = readFileSync(join(ROOT, 'knowledge', 'docs', name), 'utf8');
    const id = name.replace(/\.md$/, '');
    for (let k = 0; k < scale; k++) {
      const copyId = k === 0 ? id : `${id}-s${k}`;
      writeFileSync(join(knowledge, 'docs', `${copyId}.md`), k === 0 ? text : text.replace(/^id: .*$/m, `id: ${copyId}`));
    }
  }
  return dir;
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/**
 * `npm start`'s command line, from package.json, with this node. BENCH_SEMI_SPACE=<MB> replaces its
 * --max-semi-space-size (how the size in package.json was chosen: run with 16, 32, 64 …, compare).
 */
function startCommand(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const words = pkg.scripts.start!.split(/\s+/);
  if (words[0] !== 'node') throw new Error(`unexpected start script: ${pkg.scripts.start}`);
  const args = words.slice(1).filter((w) => !(process.env.BENCH_SEMI_SPACE && w.startsWith('--max-semi-space-size')));
  return process.env.BENCH_SEMI_SPACE ? [`--max-semi-space-size=${process.env.BENCH_SEMI_SPACE}`, ...args] : args;
}

/** User + system CPU seconds of a process so far, all threads (fields 14 and 15 of /proc/PID/stat). */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function startServer(knowledgeDir: string, dataDir: string): Promise<{ readyMs: number; readyCpu: number; idleRss: number }> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, startCommand(), {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', KNOWLEDGE_DIR: knowledgeDir, DATA_DIR: dataDir, LOG_LEVEL: 'warn', REDIS_URL: '' },
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode})`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        if (res.ok) break;
      } catch {
        // not yet listening
      }
      if (performance.now() - t0 > 300_000) throw new Error('server not ready after 300 s');
      await new Promise((r) => setTimeout(r, 25));
    }
    const readyMs = performance.now() - t0;
    // CPU time does not grow when other work slows the machine down; wall time does.
    const readyCpu = cpuSecondsOf(child.pid!);
    await new Promise((r) => setTimeout(r, 3000));
    return { readyMs, readyCpu, idleRss: rssOf(child.pid!) };
  } finally {
    await new Promise((r) => {
      if (child.exitCode !== null) return r(null);
      child.once('exit', r);
      child.kill('SIGTERM');
    });
  }
}

export async function benchScale(scale: number): Promise<void> {
  const dir = scaledKnowledge(scale);
  const knowledgeDir = join(dir, 'knowledge');
  const dataDir = join(dir, 'data');
  const docs = readdirSync(join(knowledgeDir, 'docs')).length;
  console.log(`== Knowledge base ×${scale}: ${docs} documents (${dir}) ==`);
  try {
    const t0 = performance.now();
    const indexOut = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/index-knowledge.ts'], {
      cwd: ROOT,
      env: { ...process.env, KNOWLEDGE_DIR: knowledgeDir },
      encoding: 'utf8',
    });
    const indexMs = performance.now() - t0;
    const summary = indexOut.split('\n').filter((l) => /^(clauses|load|snapshot)/.test(l));
    console.log(`npm run index: ${(indexMs / 1000).toFixed(1)} s wall (process included); ${summary.join('; ')}`);
    const server = await startServer(knowledgeDir, dataDir);
    console.log(`server (npm start flags: ${startCommand().slice(0, -1).join(' ')}): start-up to ready ${(server.readyMs / 1000).toFixed(2)} s wall, ${server.readyCpu.toFixed(2)} s CPU, idle RSS ${(server.idleRss / 2 ** 20).toFixed(0)} MB`);
    const nodeFlags = startCommand().filter((w) => w.startsWith('--max-semi-space-size'));
    const runOut = execFileSync(process.execPath, [...nodeFlags, '--expose-gc', '--import', 'tsx', 'bench/run.ts'], {
      cwd: ROOT,
      env: { ...process.env, KNOWLEDGE_DIR: knowledgeDir, BENCH_SKIP_STAFF: '1' },
      encoding: 'utf8',
    });
    for (const line of runOut.split('\n')) if (/understand \+ retrieve|^load|^rss|^GC/.test(line)) console.log(`  ${line.trim()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
