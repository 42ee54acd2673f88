/**
 * Personal data (mobile numbers, ID numbers) never reaches a log in full: it is masked here, once,
 * for every log line, and for any text shown to someone who is not authorised staff.
 */
const MOBILE = /(?<!\d)(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)/g;
const ID_NUMBER = /(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])/g;

export function maskPersonalData(text: string): string {
  return text
    .replace(ID_NUMBER, (_m, head: string, _birth: string, tail: string) => `${head}********${tail.slice(-1)}`)
    .replace(MOBILE, (_m, a: string, _b: string, c: string) => `${a}****${c}`);
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
