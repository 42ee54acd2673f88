/**
 * The wage vocabulary has one home, knowledge/lexicon/wage.yaml, read by the understanding layer
 * (src/nlu/intents.ts), the routing check (src/assistant.ts) and the complaint intake (extract.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dataPath, loadWageWords, WAGE_CONCEPTS, wageWords, WageWordsSchema } from '../../src/nlu/lexicon.js';

const raw = (): { concepts: Record<string, string[]> } => parse(readFileSync(dataPath('knowledge/lexicon/wage.yaml'), 'utf8'));

describe('when the wage vocabulary is loaded', () => {
  it('then every concept is there and no word stands under two concepts', () => {
    const words = loadWageWords();
    expect(Object.keys(words).sort()).toEqual([...WAGE_CONCEPTS].sort());
    const all = Object.values(words).flat();
    expect(new Set(all).size).toBe(all.length);
  });

  it('then a word listed under two concepts is named, with both', () => {
    const r = raw();
    r.concepts.pay!.push('欠');
    const parsed = WageWordsSchema.safeParse(r);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.message).join(' ')).toContain('"欠" is also listed under owed');
  });

  it('then a missing concept is named', () => {
    const r = raw();
    delete r.concepts.runaway;
    expect(WageWordsSchema.safeParse(r).success).toBe(false);
  });

  it('then no copy of the words is left in the code that reads them', () => {
    for (const file of ['src/nlu/intents.ts', 'src/assistant.ts', 'src/complaints/extract.ts']) {
      const src = readFileSync(dataPath(file), 'utf8');
      expect(src, file).not.toMatch(/欠\|拖\|不给\|没给|欠\|工资\|工钱\|薪|欠\|拖\|没给\|没发/);
      expect(src, file).toMatch(/wageWords(Source)?\(/);
    }
  });

  it('then the shared words match what workers write', () => {
    const owed = wageWords('owed', 'runaway', 'pay', 'payer', 'complain');
    for (const t of ['老板欠我工资', '包工头跑路了', '三个月没发钱', '我要投诉', '工钱一直拖着']) expect(owed.test(t), t).toBe(true);
    expect(owed.test('后天会下雨不')).toBe(false);
  });
});
