/**
 * Deadlines in working days (China): weekends and statutory holidays are not counted, make-up
 * working days (调休) are. chinese-days knows the official calendar for the years it ships; beyond them
 * only weekends are skipped. A bureau can add its own holidays / working days through configuration.
 */
import chineseDays from 'chinese-days';

/** 受理: a complaint is accepted or refused within 5 working days of filing. */
export const ACCEPT_WORKING_DAYS = 5;
/** 查处: an accepted case is investigated within 60 working days. */
export const INVESTIGATION_WORKING_DAYS = 60;

export interface CalendarOverrides {
  holidays?: string[];
  workdays?: string[];
}

const KNOWN_YEARS = knownYears();

function knownYears(): Set<number> {
  const years = new Set<number>();
  for (let y = 2004; y <= 2100; y++) {
    // A year the library has data for marks New Year's Day as a holiday.
    if (chineseDays.isHoliday(`${y}-01-01`) && chineseDays.getDayDetail(`${y}-01-01`).name.length > 0) years.add(y);
  }
  return years;
}

function ymdOfChina(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export function isWorkingDay(ymd: string, overrides: CalendarOverrides = {}): boolean {
  if (overrides.holidays?.includes(ymd)) return false;
  if (overrides.workdays?.includes(ymd)) return true;
  if (KNOWN_YEARS.has(Number(ymd.slice(0, 4)))) return chineseDays.isWorkday(ymd);
  const day = new Date(`${ymd}T00:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6;
}

/**
 * The end (23:59:59 China time) of the n-th working day after `from`'s China date. Filing on a
 * Monday with n = 5 gives the following Monday (the filing day itself is not counted).
 */
export function addWorkingDays(from: Date, n: number, overrides: CalendarOverrides = {}): Date {
  let ymd = ymdOfChina(from);
  let counted = 0;
  while (counted < n) {
    const next = new Date(`${ymd}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    ymd = next.toISOString().slice(0, 10);
    if (isWorkingDay(ymd, overrides)) counted += 1;
  }
  return new Date(`${ymd}T23:59:59+08:00`);
}

/** Working days left until `due` (0 on the day itself, negative when overdue). */
export function workingDaysLeft(now: Date, due: Date, overrides: CalendarOverrides = {}): number {
  const today = ymdOfChina(now);
  const end = ymdOfChina(due);
  if (today === end) return 0;
  const sign = today < end ? 1 : -1;
  let cursor = today;
  let n = 0;
  while (cursor !== end) {
    const d = new Date(`${cursor}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + sign);
    cursor = d.toISOString().slice(0, 10);
    if (isWorkingDay(cursor, overrides)) n += sign;
  }
  return n;
}
