/**
 * `npm run eval [-- --dir eval/dev] [--out reports/eval.json]`: scores the assistant on the dev set
 * through its real HTTP API (in-process, fastify inject): questions, calculator cases, complaint
 * dialogues, and the intent classifier. Each question file is reported on its own, with reply lengths. Prints a summary table; writes the full report as JSON.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAssistant } from '../assistant.js';
import type { Reply } from '../core/types.js';
import { runCalculatorEval } from '../eligibility/eval.js';
import { loadDialogueCases, runDialogue, type DialogueResult } from '../eval/dialogues.js';
import { loadFollowupCases, runFollowupEval } from '../eval/followups.js';
import { loadQuestionCases, runQuestionEval, type QuestionReport, type RateTable } from '../eval/questions.js';
import { shapeOf, type ShapeReport } from '../eval/reply-shape.js';
import { formatIntentReport, intentReport } from '../nlu/intent-report.js';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: 'eval/dev' },
    out: { type: 'string', default: 'reports/eval.json' },
    'no-intents': { type: 'boolean', default: false },
  },
});
const dir = values.dir!;
const dataDir = mkdtempSync(join(tmpdir(), 'epa-eval-'));
const config = loadConfig({ ...process.env, DATA_DIR: dataDir, REDIS_URL: '', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '1000' });
const assistant = await createAssistant(config);
const app = await buildApp(assistant, { logLevel: 'silent' });

async function chat(userId: string, text: string): Promise<Reply[]> {
  const res = await app.inject({ method: 'POST', url: '/api/chat', payload: { userId, text } });
  if (res.statusCode !== 200) return [{ text: `HTTP ${res.statusCode}: ${res.body}`, citations: [] }];
  return (res.json() as { replies: Reply[] }).replies;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const table = (t: RateTable) =>
  Object.entries(t)
    .sort()
    .map(([k, v]) => `  ${k.padEnd(16)} ${String(v.correct).padStart(3)}/${String(v.total).padEnd(3)} ${pct(v.rate)}`)
    .join('\n');

const QUESTION_FILES = ['questions.dev.jsonl', 'questions.more.jsonl'];

function printQuestionFile(name: string, q: QuestionReport, shape: ShapeReport): void {
  console.log('\n== Questions (%s) ==', join(dir, name));
  for (const f of q.results.filter((r) => !r.correct)) {
    console.log(`✗ ${f.id} [${f.kind}] ${f.text}\n    ${f.problems.join('\n    ')}\n    reply: ${f.reply.replace(/\n/g, ' ⏎ ').slice(0, 300)}`);
  }
  console.log('\nby kind:\n' + table(q.byKind));
  console.log('by persona:\n' + table(q.byPersona));
  console.log(`reply length (in scope): median ${shape.medianReply} chars, first line median ${shape.medianFirstLine} chars`);
}

try {
  const files: Array<{ name: string; report: QuestionReport; shape: ShapeReport }> = [];
  for (const name of QUESTION_FILES) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    const cases = loadQuestionCases(path);
    const report = await runQuestionEval(cases, (u, t) => chat(`${name}-${u}`, t));
    files.push({ name, report, shape: shapeOf(cases, report.results) });
  }
  const followupPath = join(dir, 'followups.dev.jsonl');
  const followups = existsSync(followupPath) ? await runFollowupEval(loadFollowupCases(followupPath), (u, t) => chat(u, t)) : null;
  const calculator = await runCalculatorEval(async (input) => {
    const res = await app.inject({ method: 'POST', url: '/api/eligibility', payload: input });
    return res.json();
  }, join(dir, 'calculator.dev.jsonl'));
  const dialogues: DialogueResult[] = [];
  for (const c of loadDialogueCases(join(dir, 'dialogues.dev.jsonl'))) {
    dialogues.push(await runDialogue(c, chat, (userId) => assistant.stores.tickets.findForOwner('web', userId)));
  }
  const intents = values['no-intents'] ? null : intentReport();

  for (const f of files) printQuestionFile(f.name, f.report, f.shape);
  if (followups) {
    console.log('\n== Follow-ups (%s) ==', followupPath);
    for (const f of followups.results.filter((r) => !r.correct)) {
      console.log(`✗ ${f.id} ${f.text}\n    ${f.problems.join('\n    ')}\n    reply: ${f.reply.replace(/\n/g, ' ⏎ ').slice(0, 300)}`);
    }
  }
  if (intents) console.log('\n== Intents (5-fold cross-validation of intents/intents.yaml) ==\n' + formatIntentReport(intents));
  console.log('\n== Calculator ==');
  for (const f of calculator.failures) console.log(`✗ ${f.id}: ${f.problems.join('; ')}`);
  console.log('\n== Dialogues ==');
  for (const d of dialogues) console.log(`${d.passed ? '✓' : '✗'} ${d.id} ${d.ticketId ?? ''} (+${d.extraMessages} messages) ${d.problems.join('; ')}`);

  const all = files.flatMap((f) => f.report.results);
  const expired = all.filter((r) => r.kind === 'expired');
  const oos = all.filter((r) => r.kind === 'out_of_scope');
  const oosWithFigure = files.flatMap((f) => f.shape.outOfScopeWithFigure);
  const summary: string[][] = [];
  for (const f of files) {
    summary.push([`${f.name} fully correct`, `${f.report.correct}/${f.report.total}`, pct(f.report.fullyCorrectRate)]);
    summary.push([`  facts only / citation only`, '', `${pct(f.report.factsRate)} / ${pct(f.report.citationRate)}`]);
    summary.push([`  median reply / first line (chars)`, '', `${f.shape.medianReply} / ${f.shape.medianFirstLine}`]);
    summary.push([`  first line carries the fact`, '', pct(f.shape.firstLineFact)]);
  }
  if (followups) {
    summary.push(['followups later turns correct', `${followups.laterTurnsCorrect}/${followups.laterTurns}`, pct(followups.laterTurnsCorrect / (followups.laterTurns || 1))]);
    summary.push(['followups all turns correct', `${followups.turnsCorrect}/${followups.turns}`, pct(followups.turnsCorrect / (followups.turns || 1))]);
    summary.push(['followups whole conversations', `${followups.allTurnsCorrect}/${followups.conversations}`, pct(followups.allTurnsCorrect / (followups.conversations || 1))]);
  }
  summary.push(
    ['expired flagged', `${expired.filter((r) => r.facts).length}/${expired.length}`, pct(expired.filter((r) => r.facts).length / (expired.length || 1))],
    ['out of scope, no invented figure', `${oos.filter((r) => r.facts).length}/${oos.length}`, pct(oos.filter((r) => r.facts).length / (oos.length || 1))],
    ['out of scope replies with a figure', `${oosWithFigure.length}`, oosWithFigure.join(' ')],
    ['calculator exact', `${calculator.passed}/${calculator.total}`, pct(calculator.passed / (calculator.total || 1))],
    ['dialogues ticket as expected', `${dialogues.filter((d) => d.passed).length}/${dialogues.length}`, pct(dialogues.filter((d) => d.passed).length / (dialogues.length || 1))],
    ['dialogues harness messages (max)', `${Math.max(0, ...dialogues.map((d) => d.extraMessages))}`, ''],
    ...(intents ? [['intent accuracy (cv)', '', pct(intents.accuracy)]] : []),
  );
  console.log('\n== Summary ==');
  for (const [name, count, rate] of summary) console.log(`${name!.padEnd(36)} ${count!.padStart(7)}  ${rate}`);

  mkdirSync(dirname(values.out!), { recursive: true });
  writeFileSync(values.out!, JSON.stringify({ at: new Date().toISOString(), dir, files, followups, calculator, dialogues, intents }, null, 2));
  console.log(`\nreport: ${values.out}`);
} finally {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
}
