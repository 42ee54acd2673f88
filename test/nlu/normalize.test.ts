import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { intentExamples } from '../../src/nlu/intents.js';
import { normalize } from '../../src/nlu/normalize.js';

describe('normalize', () => {
  it('when letters and digits are full width, then they become ASCII', () => {
    expect(normalize('ＱＸ２０２６１１１６－００３２')).toBe('QX20261116-0032');
    expect(normalize('电话１３９０３７５０３０３')).toBe('电话13903750303');
  });

  it('when Chinese sentence punctuation is used, then it is kept full width', () => {
    expect(normalize('补贴，多少？')).toBe('补贴，多少？');
    expect(normalize('豫政办〔2023〕17号《通知》')).toBe('豫政办〔2023〕17号《通知》');
  });

  it('when the text is traditional Chinese, then it becomes simplified', () => {
    expect(normalize('見習補貼怎麼申請')).toBe('见习补贴怎么申请');
    expect(normalize('創業擔保貸款')).toBe('创业担保贷款');
  });

  it('when a domain word is mistyped, then the typo is fixed', () => {
    expect(normalize('实习补帖是发给谁的')).toBe('实习补贴是发给谁的');
    expect(normalize('贷欵能贷多少')).toBe('贷款能贷多少');
    expect(normalize('公积今')).toBe('公积金');
    expect(normalize('工姿拖了三个月')).toBe('工资拖了三个月');
    expect(normalize('想创也')).toBe('想创业');
    expect(normalize('见刁补贴')).toBe('见习补贴');
  });

  it('when there are zero-width or control characters and runs of spaces, then they go', () => {
    expect(normalize('\u200b老板\u200d欠我\t\t工资\r\n  3个月 ')).toBe('老板欠我 工资 3个月');
    expect(normalize('\u3000你好\u3000')).toBe('你好');
  });

  it('when dashes of several kinds separate digits, then they all become "-"', () => {
    expect(normalize('139–0375—0303')).toBe('139-0375—0303');
    expect(normalize('139－0375‐0303')).toBe('139-0375-0303');
  });

  it('when normalised twice, then the result does not change (idempotent)', () => {
    const samples = [
      'ＱＸ２０２６１１１６－００３２',
      '見習補帖怎麼申請？',
      '俺在鲁山那个养殖场干了半年  一分钱没给',
      '老板欠俺工姿3个月了 咋办!!',
      '贷欵 公积今 工姿条 创也 见刁',
      '①②③ ㎡ … ～',
    ];
    for (const s of samples) expect(normalize(normalize(s))).toBe(normalize(s));
  });

  it('when every training example and dev question is normalised twice, then nothing changes', () => {
    const dev = readFileSync(new URL('../../eval/dev/questions.dev.jsonl', import.meta.url), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { text: string }).text);
    const changed = [...dev, ...intentExamples().map((e) => e.text)].filter((t) => normalize(normalize(t)) !== normalize(t));
    expect(changed).toEqual([]);
  });

  it('when the text is empty or only spaces, then the result is empty', () => {
    expect(normalize('')).toBe('');
    expect(normalize('   \u200b ')).toBe('');
  });
});
