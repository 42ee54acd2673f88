/** Dashboard figures from the few fields each store reads per ticket; one computation for both. */
import { chinaDay } from './china-day.js';
import { runningDeadline } from './lifecycle.js';
import { emptyStatusCounts, type Ticket, type TicketStats } from './types.js';

export type StatsRow = Pick<Ticket, 'status' | 'createdAt' | 'county' | 'acceptedAt' | 'acceptDueAt' | 'investigationDueAt'>;

export const UNKNOWN_COUNTY = '未知';

export function computeStats(rows: Iterable<StatsRow>, now: Date): TicketStats {
  const byStatus = emptyStatusCounts();
  const perDay = new Map<string, number>();
  const perCounty = new Map<string, number>();
  const toAcceptance: number[] = [];
  let total = 0;
  let overdue = 0;
  for (const r of rows) {
    total++;
    byStatus[r.status]++;
    const day = chinaDay(r.createdAt);
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
    const county = r.county ?? UNKNOWN_COUNTY;
    perCounty.set(county, (perCounty.get(county) ?? 0) + 1);
    if (r.acceptedAt) toAcceptance.push(Date.parse(r.acceptedAt) - Date.parse(r.createdAt));
    const due = runningDeadline(r);
    if (due !== null && Date.parse(due) < now.getTime()) overdue++;
  }
  return {
    total,
    byStatus,
    perDay: [...perDay].sort(([a], [b]) => a.localeCompare(b)).map(([day, count]) => ({ day, count })),
    perCounty: [...perCounty]
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .map(([county, count]) => ({ county, count })),
    medianMsToAcceptance: median(toAcceptance),
    overdue,
  };
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
