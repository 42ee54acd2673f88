/**
 * Personal data (mobile numbers, ID numbers) never reaches a log in full: it is masked here, once,
 * for every log line, and for any text shown to someone who is not authorised staff.
 *
 * Recognised however people type them: full-width digits (１３９…), a country prefix (+86, ＋86,
 * 86, 0086, with or without a space), and spaces or hyphens between digit groups
 * ("139 1234 5678", "410402 19900101 1234"). The masked forms are always written with ASCII digits:
 * mobile `139****5678` (a prefix kept as typed), ID number `410402********4` (birth date and
 * sequence hidden).
 */

/** Full-width digits map one-to-one (same UTF-16 length) onto ASCII, so match positions carry over. */
const FULL_WIDTH_DIGIT = /[\uFF10-\uFF19]/g;
const toAscii = (text: string) =>
  text
    .replace(FULL_WIDTH_DIGIT, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/\uFF0B/g, '+')
    .replace(/[\uFF38\uFF58]/g, 'X');

/** At most one separator between two digits: space, ideographic space, hyphen or dash. */
const S = '[ \\u3000\\-\\u2010-\\u2015]?';
/** Letters around do not protect a number ("u13912345678", "id410402…x"): only digits do. */
const ID_NUMBER = new RegExp(`(?<!\\d)\\d(?:${S}\\d){16}${S}[\\dXx](?!\\d)`, 'g');
const MOBILE = new RegExp(`(?<![\\d+])(\\+?(?:00)?86${S})?1${S}[3-9](?:${S}\\d){9}(?!\\d)`, 'g');

export function maskPersonalData(text: string): string {
  if (!/[0-9\uFF10-\uFF19]/.test(text)) return text;
  let out = maskMatches(text, ID_NUMBER, (digits) => `${digits.slice(0, 6)}********${digits.slice(-1)}`);
  out = maskMatches(out, MOBILE, (digits, prefix) => `${prefix}${digits.slice(0, 3)}****${digits.slice(-4)}`);
  return out;
}

/**
 * Replaces each match of `re` (found on the ASCII view of the text) in the original text by
 * `render(digits, prefix)`: digits are the match's digits (and X) without the country prefix.
 */
function maskMatches(text: string, re: RegExp, render: (digits: string, prefix: string) => string): string {
  const view = toAscii(text);
  let out = '';
  let last = 0;
  for (const m of view.matchAll(re)) {
    const start = m.index;
    const prefix = m[1] ?? '';
    const digits = m[0].slice(prefix.length).replace(/[^0-9Xx]/g, '').toUpperCase();
    out += text.slice(last, start) + render(digits, prefix);
    last = start + m[0].length;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Masks every string inside a JSON-like value (used by the logger's formatter). */
export function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPersonalData(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { type: value.name, message: maskPersonalData(value.message), stack: value.stack ? maskPersonalData(value.stack) : undefined };
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, depth + 1);
  return out;
}
