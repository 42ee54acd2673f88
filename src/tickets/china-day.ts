/** Calendar day in China (UTC+8, no daylight saving), as the bureau and the worker count days. */
const CHINA_OFFSET_MS = 8 * 3600_000;

/** "2025-03-01" for an instant. */
export function chinaDay(at: Date | string): string {
  const t = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return new Date(t + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}
