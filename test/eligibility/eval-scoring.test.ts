import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCalculatorEval } from '../../src/eligibility/eval.js';
import type { EvaluateOutput, ProgramResult } from '../../src/eligibility/types.js';

const result = (program: string, eligible: boolean, amount: number | null): ProgramResult => ({ program, title: program, eligible, amount, reasons: [], citations: [] });

function casesFile(lines: object[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'calc-'));
  const file = join(dir, 'cases.jsonl');
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
  return file;
}

const base = { as_of: '2023-09-20', region: '平顶山市', profile: {} };

describe('runCalculatorEval scoring (eval/README.md)', () => {
  const out: EvaluateOutput = { results: [result('a', true, 450), result('b', false, null), result('household_total', true, 750.004)] };
  const fn = () => out;

  it('when eligibility, amounts to the fen and extra keys all match, then the case passes', async () => {
    const file = casesFile([{ id: 'ok', ...base, expect: { eligible: ['a'], not_eligible: ['b'], amounts: { a: 450, household_total: 750 } } }]);
    expect(await runCalculatorEval(fn, file)).toEqual({ total: 1, passed: 1, failures: [] });
  });

  it('when an amount differs by a fen, or a key is not returned, then the case fails and says why', async () => {
    const file = casesFile([
      { id: 'fen', ...base, expect: { eligible: [], amounts: { a: 450.01 } } },
      { id: 'absent', ...base, expect: { not_eligible: ['c'] } },
      { id: 'wrong', ...base, expect: { eligible: ['b'] } },
    ]);
    const score = await runCalculatorEval(fn, file);
    expect(score.passed).toBe(0);
    expect(score.failures.map((f) => f.id)).toEqual(['fen', 'absent', 'wrong']);
    expect(score.failures[1]!.problems[0]).toContain('没有返回');
  });

  it('when acceptable_amounts lists alternatives, then any of them passes; undetermined programmes are not judged', async () => {
    const file = casesFile([
      { id: 'alt', ...base, expect: { amounts: { a: 600 }, acceptable_amounts: { a: [600, 450] } } },
      { id: 'und', ...base, undetermined: ['b'], expect: { eligible: ['b'] } },
    ]);
    expect((await runCalculatorEval(fn, file)).passed).toBe(2);
  });

  it('when the evaluate function throws, then the case fails with the error', async () => {
    const file = casesFile([{ id: 'boom', ...base, expect: {} }]);
    const score = await runCalculatorEval(() => {
      throw new Error('boom');
    }, file);
    expect(score.failures[0]!.problems[0]).toContain('boom');
  });
});
