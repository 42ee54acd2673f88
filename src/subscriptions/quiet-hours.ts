/**
 * Quiet hours in China time (UTC+8, no daylight saving): notices due then are held and sent at the
 * end of the quiet period. "21:00-08:00" spans midnight; "off" disables them.
 */
export interface QuietHours {
  /** Minutes after China-time midnight; from > to spans midnight. */
  from: number;
  to: number;
  label: { from: string; to: string };
}

const CHINA_OFFSET_MS = 8 * 3600_000;

export function parseQuietHours(spec: string): QuietHours | null {
  if (spec.trim().toLowerCase() === 'off') return null;
  const m = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(spec);
  if (!m) throw new Error('quiet hours must be HH:MM-HH:MM or off');
  const [fh, fm, th, tm] = m.slice(1).map(Number) as [number, number, number, number];
  if (fh > 23 || th > 23 || fm > 59 || tm > 59) throw new Error('quiet hours must be HH:MM-HH:MM or off');
  const pad = (h: number, min: number) => `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
  return { from: fh * 60 + fm, to: th * 60 + tm, label: { from: pad(fh, fm), to: pad(th, tm) } };
}

function chinaMinutes(now: Date): number {
  const d = new Date(now.getTime() + CHINA_OFFSET_MS);
  return d.getUTCHours() * 60 + d.getUTCMinutes();
}

export function isQuiet(q: QuietHours | null, now: Date): boolean {
  if (!q || q.from === q.to) return false;
  const m = chinaMinutes(now);
  return q.from < q.to ? m >= q.from && m < q.to : m >= q.from || m < q.to;
}

/** The China calendar day (YYYY-MM-DD) of an instant: "one notice per person per day" counts these. */
export function chinaDay(now: Date): string {
  return new Date(now.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}
