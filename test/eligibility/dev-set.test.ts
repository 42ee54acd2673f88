import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/eligibility/evaluate.js';
import { runCalculatorEval } from '../../src/eligibility/eval.js';

const DEV = fileURLToPath(new URL('../../eval/dev/calculator.dev.jsonl', import.meta.url));

describe('calculator dev set', () => {
  it('when the shipped dev cases are scored, then every one passes', async () => {
    const score = await runCalculatorEval((input) => evaluate(input), DEV);
    expect(score.failures).toEqual([]);
    expect(score.passed).toBe(score.total);
    expect(score.total).toBeGreaterThan(0);
  });
});
