/**
 * SMS length the way Chinese providers count it: the signature 【…】 and the template's fixed text
 * included, every character (Chinese, letter, digit, punctuation) counts 1; up to 70 is one message,
 * longer texts go in 67-character segments; 500 at most.
 */
export const SINGLE_LIMIT = 70;
export const SEGMENT_SIZE = 67;
export const MAX_LENGTH = 500;
export const MORE_PROMPT = '（回复1看下一条）';

export function smsLength(text: string): number {
  return Array.from(text).length;
}

/** Billable segments for a message of this length. */
export function segmentCount(length: number): number {
  if (length <= 0) return 0;
  return length <= SINGLE_LIMIT ? 1 : Math.ceil(length / SEGMENT_SIZE);
}

/** Characters available in a message of at most `maxSegments` segments (capped at 500). */
export function lengthBudget(maxSegments: number): number {
  return Math.min(MAX_LENGTH, maxSegments <= 1 ? SINGLE_LIMIT : maxSegments * SEGMENT_SIZE);
}

export interface SmsTemplate {
  signName: string;
  /** Template text with one variable, `${content}` (Aliyun) or `{1}` (Tencent). */
  template: string;
}

const VARIABLE = /\$\{content\}|\{1\}/;

export function templateOverhead(t: SmsTemplate): number {
  return smsLength(`【${t.signName}】`) + smsLength(t.template.replace(VARIABLE, ''));
}

/** What the recipient sees: signature, template text, the content in place of the variable. */
export function renderSms(t: SmsTemplate, content: string): string {
  return `【${t.signName}】${VARIABLE.test(t.template) ? t.template.replace(VARIABLE, () => content) : content}`;
}

/** Compacts text for SMS: no blank lines, no runs of spaces, no decoration. */
export function compactForSms(text: string): string {
  return text
    .replace(/\r/g, '')
    .replace(/[ \t\u3000]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{2,}/g, '\n')
    .replace(/[*#>`]+/g, '')
    .trim();
}

/** Sentences (ending in 。！？；!?; or a line end), each keeping its end mark. */
function sentences(text: string): string[] {
  return text.match(/[^。！？；!?;\n]*(?:[。！？；!?;]+|\n|$)/g)?.filter((s) => s.length > 0) ?? [];
}

/** Cuts one over-long piece at a comma or, failing that, at the size. */
function hardCut(piece: string, size: number): [string, string] {
  const chars = Array.from(piece);
  const head = chars.slice(0, size).join('');
  const comma = Math.max(head.lastIndexOf('，'), head.lastIndexOf(','), head.lastIndexOf('、'));
  const at = comma >= size / 2 ? comma + 1 : size;
  return [chars.slice(0, at).join(''), chars.slice(at).join('')];
}

/**
 * Pages of at most `budget` characters, cut at sentence boundaries; every page but the last ends
 * with the prompt to ask for more.
 */
export function paginate(text: string, budget: number): string[] {
  const body = compactForSms(text);
  if (smsLength(body) <= budget) return body ? [body] : [];
  const room = budget - smsLength(MORE_PROMPT);
  if (room < 10) throw new Error('SMS budget too small for the template');
  const pages: string[] = [];
  let current = '';
  const queue = sentences(body);
  while (queue.length > 0) {
    const s = queue.shift()!;
    if (smsLength(current + s) <= room) {
      current += s;
      continue;
    }
    if (current) {
      pages.push(current);
      current = '';
      queue.unshift(s);
      continue;
    }
    const [head, tail] = hardCut(s, room);
    pages.push(head);
    if (tail) queue.unshift(tail);
  }
  if (current) pages.push(current);
  // The last page may hold up to the full budget: merge it back when the prompt was the only reason.
  return pages.map((p, i) => (i < pages.length - 1 ? `${p.replace(/\n$/, '')}${MORE_PROMPT}` : p.replace(/\n$/, '')));
}
