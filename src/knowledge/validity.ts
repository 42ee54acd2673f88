/**
 * Finds sentences that state when a policy (or part of it) ends or starts, so that the import can
 * check that every such statement is recorded in the document's validity or clauseValidity.
 */

export interface DateStatement {
  kind: 'end' | 'start' | 'period';
  /** YYYY-MM-DD when the sentence gives a calendar date, else null (e.g. "有效期三年"). */
  date: string | null;
  /** The sentence (up to its 。/；), whitespace removed. */
  sentence: string;
  match: string;
}

function iso(y: string, m: string, d: string): string {
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

function lastDay(y: string, m: string): string {
  const d = new Date(Date.UTC(Number(y), Number(m), 0)).getUTCDate();
  return iso(y, m, String(d));
}

function sentenceAround(text: string, index: number, length: number): string {
  const startCut = Math.max(text.lastIndexOf('。', index), text.lastIndexOf('\n', index), text.lastIndexOf('；', index));
  const after = text.slice(index + length).search(/[。；\n]/);
  const end = after < 0 ? text.length : index + length + after + 1;
  return text.slice(startCut + 1, end).trim();
}

const PATTERNS: Array<{ re: RegExp; kind: DateStatement['kind']; date: (m: RegExpExecArray) => string | null }> = [
  {
    re: /(?:截止|截至|延续至|延长至|有效期至|执行至|实施至|执行到|有效期截至)\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/g,
    kind: 'end',
    date: (m) => iso(m[1] ?? '', m[2] ?? '', m[3] ?? ''),
  },
  {
    re: /(?:截止|截至|延续至|延长至|执行至|实施至)\s*(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d{1,2}\s*日)/g,
    kind: 'end',
    date: (m) => lastDay(m[1] ?? '', m[2] ?? ''),
  },
  { re: /(?:截止|截至|延续至|延长至|执行至|实施至)\s*(\d{4})\s*年底/g, kind: 'end', date: (m) => iso(m[1] ?? '', '12', '31') },
  { re: /(?:有效期|试行期|为期)[为是]?\s*([一二三四五六七八九十两\d]+)\s*(?:个)?(?:年|月)/g, kind: 'period', date: () => null },
  { re: /（(\d{4})\s*[—–-]\s*(\d{4})\s*年）/g, kind: 'period', date: (m) => iso(m[2] ?? '', '12', '31') },
  {
    re: /自\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*起\s*(?:施行|执行|实施|试行)/g,
    kind: 'start',
    date: (m) => iso(m[1] ?? '', m[2] ?? '', m[3] ?? ''),
  },
  { re: /自(?:印发|发布|公布)之日起(?:施行|执行|实施|试行)/g, kind: 'start', date: () => null },
];

/** All statements of a start, an end or a period found in a text. */
export function findDateStatements(text: string): DateStatement[] {
  const found: DateStatement[] = [];
  for (const p of PATTERNS) {
    p.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = p.re.exec(text))) {
      found.push({
        kind: p.kind,
        date: p.date(m),
        sentence: sentenceAround(text, m.index, m[0].length).replace(/\s+/g, ''),
        match: m[0],
      });
    }
  }
  return found;
}
