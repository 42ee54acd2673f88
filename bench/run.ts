/**
 * `npm run bench`: figures, never assertions. Knowledge base load and index build time, and the
 * per-message cost of understanding + retrieval + answer composition over the dev questions (p50/p99,
 * without the answer cache: every message is worked out afresh), with the process's memory. The first
 * pass over the questions is reported apart (cold: code not yet optimised by V8); the per-message
 * figures are measured after BENCH_WARMUP passes (default 5), the state of a server that has been
 * answering for a few seconds.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { computeAnswer } from '../src/answers/policy-answer.js';
import { loadQuestionTypes } from '../src/answers/question-types.js';
import { loadQuestionCases } from '../src/eval/questions.js';
import { loadIndexedKnowledge } from '../src/knowledge/index-snapshot.js';
import { understand, warmUpUnderstanding } from '../src/nlu/understand.js';

const { values: args } = parseArgs({ options: { scale: { type: 'string' } }, strict: false });
if (typeof args.scale === 'string') {
  // `npm run bench -- --scale 15`: the library grown (bench/scale.ts), then stop.
  const { benchScale } = await import('./scale.js');
  await benchScale(Number(args.scale));
  process.exit(0);
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const WARMUP = Math.max(1, Number(process.env.BENCH_WARMUP ?? 5));
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

const t0 = performance.now();
// As the server does: the snapshot of `npm run index` when it is fresh, else a build (not saved).
const { documents: docs, index, source } = await loadIndexedKnowledge(process.env.KNOWLEDGE_DIR ?? 'knowledge', { save: false });
const t1 = performance.now();
const t2 = t1;
warmUpUnderstanding();
const t3 = performance.now();
const questionTypes = loadQuestionTypes('intents');

const questions = loadQuestionCases(join('eval', 'dev', 'questions.dev.jsonl')).map((c) => c.text);
const today = '2026-11-23';
const run = (text: string) => {
  const u = understand(text, { today });
  return computeAnswer(index, questionTypes, { text: u.normalized, region: u.entities.region, today });
};
const coldMs: number[] = [];
for (let w = 0; w < WARMUP; w++) {
  // Before the last warm-up pass, collect the heap (npm run bench passes --expose-gc): otherwise the
  // first scavenge after start-up, which moves the index built just before to the old generation
  // (20–60 ms, once in a process's life), lands in the measured rounds.
  if (w === WARMUP - 1) (globalThis as { gc?: () => void }).gc?.();
  for (const q of questions) {
    const a = performance.now();
    run(q);
    if (w === 0) coldMs.push(performance.now() - a);
  }
}
coldMs.sort((a, b) => a - b);

// Garbage collections during the measured rounds (how the semi-space size was chosen: fewer, shorter
// scavenges with a larger young generation, against the memory it holds).
const gcPauses: number[] = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcPauses.push(e.duration);
});
gcObserver.observe({ entryTypes: ['gc'] });
const understandMs: number[] = [];
const totalMs: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  for (const q of questions) {
    const a = performance.now();
    const u = understand(q, { today });
    const b = performance.now();
    computeAnswer(index, questionTypes, { text: u.normalized, region: u.entities.region, today });
    const c = performance.now();
    understandMs.push(b - a);
    totalMs.push(c - a);
  }
}
await new Promise((r) => setTimeout(r, 0));
gcObserver.disconnect();
understandMs.sort((a, b) => a - b);
totalMs.sort((a, b) => a - b);
const mem = process.memoryUsage();

console.log('== Knowledge base ==');
console.log(`documents ${docs.length}, clauses ${index.entries.length}`);
console.log(`load ${(t1 - t0).toFixed(0)} ms (index ${source === 'snapshot' ? 'from the snapshot' : 'built: no fresh snapshot, run npm run index'}), understanding warm-up ${(t3 - t2).toFixed(0)} ms`);
console.log(`\n== Per message (${questions.length} dev questions; first pass cold, then ${ROUNDS} rounds after ${WARMUP} warm-up passes) ==`);
console.log(`first pass (cold), understand + retrieve + compose p50 ${percentile(coldMs, 50).toFixed(2)} ms   p99 ${percentile(coldMs, 99).toFixed(2)} ms`);
console.log(`understand()                 p50 ${percentile(understandMs, 50).toFixed(2)} ms   p99 ${percentile(understandMs, 99).toFixed(2)} ms`);
console.log(`understand + retrieve + compose p50 ${percentile(totalMs, 50).toFixed(2)} ms   p99 ${percentile(totalMs, 99).toFixed(2)} ms`);
console.log(
  `GC during the measured rounds: ${gcPauses.length} pauses, ${gcPauses.reduce((a, b) => a + b, 0).toFixed(0)} ms in all ` +
    `(${((gcPauses.reduce((a, b) => a + b, 0) / totalMs.length) * 1000).toFixed(0)} µs per message), longest ${Math.max(0, ...gcPauses).toFixed(1)} ms`,
);
console.log(`\n== Memory ==\nrss ${mb(mem.rss)}, heap used ${mb(mem.heapUsed)}`);

// The staff console's queue with 10 000 tickets (issue: "server time to first page").
if (process.env.BENCH_SKIP_STAFF !== '1') {
  const { benchStaffQueue, formatStaffQueueBench } = await import('./staff-queue.js');
  console.log('\n== Staff queue, 10 000 tickets (embedded storage) ==');
  console.log(formatStaffQueueBench(await benchStaffQueue({ tickets: 10_000, rounds: 30 })));
  if (process.env.REDIS_URL) {
    console.log('\n== Staff queue, 10 000 tickets (Redis) ==');
    console.log(formatStaffQueueBench(await benchStaffQueue({ tickets: 10_000, rounds: 30, backend: 'redis', redisUrl: process.env.REDIS_URL })));
  }
}
console.log('\nHTTP throughput against a bare echo route: npm run bench:http');
