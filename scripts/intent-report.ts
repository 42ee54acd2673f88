/**
 * Per-intent precision / recall / F1 and the most confused pairs, by cross-validation of
 * intents/intents.yaml. Usage: npx tsx scripts/intent-report.ts [--folds 5] [--classifier bayes|logistic|both]
 */
import { formatIntentReport, intentReport } from '../src/nlu/intent-report.js';
import type { ClassifierKind } from '../src/nlu/intents.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const folds = Number(arg('folds') ?? 5);
const which = arg('classifier') ?? 'bayes';
const kinds: ClassifierKind[] = which === 'both' ? ['bayes', 'logistic'] : [which === 'logistic' ? 'logistic' : 'bayes'];
for (const classifier of kinds) {
  console.log(formatIntentReport(intentReport({ folds, classifier })));
  console.log('');
}
