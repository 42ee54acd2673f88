/**
 * TTLs are whole seconds in both backends (Redis EX has one-second granularity): fractions round up,
 * anything below one second becomes one, so a mark is never dropped earlier than asked.
 */
export function wholeSeconds(seconds: number): number {
  if (!Number.isFinite(seconds)) throw new RangeError(`ttl must be a finite number of seconds, got ${seconds}`);
  return Math.max(1, Math.ceil(seconds));
}
