/**
 * Every amount, rate, cap and threshold lives in knowledge/rules/parameters; the TypeScript only holds
 * the logic. Crude check: no number ≥ 100 (other than a year) in code or string literals, and no
 * "N元 / N万 / N% / N个月 / N岁 / N学时" policy figure in a string. Comments are ignored.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/eligibility/', import.meta.url));
const MARK = '// not a policy figure';

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : n.endsWith('.ts') ? [p] : [];
  });
}

/** Blanks out comments, keeping line breaks so line numbers stay right. */
function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`])\/\/(?! not a policy figure)[^\n]*/gm, '$1');
}

describe('no policy figures in src/eligibility', () => {
  it('when the TypeScript is scanned, then it holds no amount, cap or threshold literal', () => {
    const offending: string[] = [];
    for (const file of tsFiles(SRC)) {
      const lines = stripComments(readFileSync(file, 'utf8')).split('\n');
      lines.forEach((code, i) => {
        if (code.includes(MARK)) return;
        for (const m of code.matchAll(/(?<![\w.$])(\d+(?:\.\d+)?)(?![\w.])/g)) {
          const n = Number(m[1]);
          const isYear = Number.isInteger(n) && n >= 1900 && n <= 2100;
          if (n >= 100 && !isYear) offending.push(`${file.slice(SRC.length)}:${i + 1}: ${m[1]}`);
        }
        for (const m of code.matchAll(/\d+(?:\.\d+)?\s*(?:元|万|%|个月|岁|周岁|学时|年以上|天)/g)) offending.push(`${file.slice(SRC.length)}:${i + 1}: “${m[0]}”`);
      });
    }
    expect(offending).toEqual([]);
  });
});
