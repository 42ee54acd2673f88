/** Calendar dates as 'YYYY-MM-DD' strings: comparison, adding years/months, Chinese formatting. */

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(s: string): boolean {
  const m = ISO.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function parts(s: string): [number, number, number] {
  const m = ISO.exec(s);
  if (!m) throw new Error(`not a date: ${s}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function iso(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Adds whole months; the day is clamped to the end of the target month (2020-02-29 + 12 → 2021-02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = parts(date);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return iso(ny, nm, Math.min(d, last));
}

export function addYears(date: string, years: number): string {
  return addMonths(date, years * 12);
}

export function yearOf(date: string): number {
  return parts(date)[0];
}

/** 2021-12-31 → 2021年12月31日 */
export function formatDateZh(date: string): string {
  const [y, m, d] = parts(date);
  return `${y}年${m}月${d}日`;
}

/**
 * Accepts what a profile may carry for a date: 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY' (string or number).
 * A bare year or month is completed to the usual graduation day (June 30) or the month's last day,
 * and the completion is reported so the result can say which reading it used.
 */
export function completeDate(value: string | number): { date: string; completed: string | null } | null {
  const s = String(value).trim();
  if (isIsoDate(s)) return { date: s, completed: null };
  let m = /^(\d{4})-(\d{1,2})$/.exec(s);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    if (mo < 1 || mo > 12) return null;
    const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    return { date: iso(y, mo, last), completed: `只知道${y}年${mo}月，按该月最后一天计` };
  }
  m = /^(\d{4})$/.exec(s);
  if (m) return { date: iso(Number(m[1]), 6, 30), completed: `只知道${m[1]}年，按当年6月30日毕业计` };
  return null;
}
