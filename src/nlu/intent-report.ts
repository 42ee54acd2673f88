/**
 * Cross-validation of the intent classifier on intents/intents.yaml (like `rasa test nlu`):
 * stratified k folds with a fixed seed, per-intent precision / recall / F1, accuracy and the most
 * confused pairs. Used by scripts/intent-report.ts, the eval CLI and the tests.
 */
import {
  classifyWith,
  DEFAULT_CLASSIFIER,
  intentExamples,
  trainIntentModel,
  type ClassifierKind,
  type IntentExample,
  type TrainOptions,
} from './intents.js';
import { seededRandom } from '../core/seeded-random.js';

export interface IntentMetrics {
  intent: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ConfusedPair {
  expected: string;
  predicted: string;
  count: number;
  examples: string[];
}

export interface IntentReport {
  classifier: ClassifierKind;
  folds: number;
  examples: number;
  accuracy: number;
  macroF1: number;
  perIntent: IntentMetrics[];
  confused: ConfusedPair[];
  /** Mean training time of one fold, milliseconds. */
  trainMs: number;
}

export interface IntentReportOptions {
  folds?: number;
  classifier?: ClassifierKind;
  /** Training options passed through (balance, smoothing, feature families …). */
  train?: TrainOptions;
  seed?: number;
  examples?: IntentExample[];
}


/** Stratified fold number for every example (each intent spread evenly over the folds). */
export function stratifiedFolds(examples: IntentExample[], folds: number, seed = 42): number[] {
  const random = seededRandom(seed);
  const assignment = new Array<number>(examples.length).fill(0);
  const byIntent = new Map<string, number[]>();
  examples.forEach((e, i) => byIntent.set(e.intent, [...(byIntent.get(e.intent) ?? []), i]));
  for (const idx of byIntent.values()) {
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [idx[i], idx[j]] = [idx[j] ?? 0, idx[i] ?? 0];
    }
    idx.forEach((exampleIndex, k) => (assignment[exampleIndex] = k % folds));
  }
  return assignment;
}

export function intentReport(opts: IntentReportOptions = {}): IntentReport {
  const folds = opts.folds ?? 5;
  const classifier = opts.classifier ?? DEFAULT_CLASSIFIER;
  const examples = opts.examples ?? intentExamples();
  const assignment = stratifiedFolds(examples, folds, opts.seed ?? 42);
  const predictions: Array<{ expected: string; predicted: string; text: string }> = [];
  let trainMs = 0;
  for (let f = 0; f < folds; f++) {
    const train = examples.filter((_, i) => assignment[i] !== f);
    const test = examples.filter((_, i) => assignment[i] === f);
    const t0 = performance.now();
    const model = trainIntentModel(train, { ...opts.train, kind: classifier });
    trainMs += performance.now() - t0;
    for (const ex of test) {
      predictions.push({ expected: ex.intent, predicted: classifyWith(model, ex.text).intent, text: ex.text });
    }
  }
  const intents = [...new Set(examples.map((e) => e.intent))];
  const perIntent = intents.map((intent): IntentMetrics => {
    const tp = predictions.filter((p) => p.expected === intent && p.predicted === intent).length;
    const predicted = predictions.filter((p) => p.predicted === intent).length;
    const support = predictions.filter((p) => p.expected === intent).length;
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { intent, precision, recall, f1, support };
  });
  const pairs = new Map<string, ConfusedPair>();
  for (const p of predictions) {
    if (p.expected === p.predicted) continue;
    const key = `${p.expected}→${p.predicted}`;
    const pair = pairs.get(key) ?? { expected: p.expected, predicted: p.predicted, count: 0, examples: [] };
    pair.count++;
    if (pair.examples.length < 3) pair.examples.push(p.text);
    pairs.set(key, pair);
  }
  const correct = predictions.filter((p) => p.expected === p.predicted).length;
  return {
    classifier,
    folds,
    examples: examples.length,
    accuracy: correct / predictions.length,
    macroF1: perIntent.reduce((a, m) => a + m.f1, 0) / perIntent.length,
    perIntent,
    confused: [...pairs.values()].sort((a, b) => b.count - a.count),
    trainMs: trainMs / folds,
  };
}

const pct = (n: number): string => `${(n * 100).toFixed(1)}%`.padStart(7);

/** The report as a plain-text table. */
export function formatIntentReport(r: IntentReport, topConfused = 8): string {
  const width = Math.max(...r.perIntent.map((m) => m.intent.length), 6);
  const lines = [
    `intent classifier: ${r.classifier}, ${r.folds}-fold cross-validation on ${r.examples} examples`,
    `accuracy ${pct(r.accuracy).trim()}  macro-F1 ${pct(r.macroF1).trim()}  training ${r.trainMs.toFixed(0)} ms/fold`,
    '',
    `${'intent'.padEnd(width)}  precision  recall      F1  support`,
    ...r.perIntent.map(
      (m) => `${m.intent.padEnd(width)}    ${pct(m.precision)} ${pct(m.recall)} ${pct(m.f1)}  ${String(m.support).padStart(7)}`,
    ),
    '',
    'most confused (expected → predicted):',
    ...r.confused
      .slice(0, topConfused)
      .map((c) => `  ${c.count}× ${c.expected} → ${c.predicted}   e.g. ${c.examples.map((e) => `「${e}」`).join(' ')}`),
  ];
  return lines.join('\n');
}
