/**
 * Recognises failures of the storage backend that are temporary (Redis restarting or unreachable,
 * SQLite busy), so the error handler answers 503 UNAVAILABLE ("try again") instead of 500.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTCONN', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const MESSAGES = [
  /max retries per request/i, // ioredis MaxRetriesPerRequestError
  /connection is closed/i, // ioredis, command issued while disconnected
  /stream isn't writeable/i, // ioredis with the offline queue off
  /^LOADING\b/, // Redis replaying its AOF after a restart
  /^(MASTERDOWN|TRYAGAIN|CLUSTERDOWN)\b/,
  /database is locked/i, // SQLITE_BUSY
];

export function isBackendUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (e.name === 'MaxRetriesPerRequestError' || e.name === 'ConversationBusyError') return true;
  if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || e.code === 'SQLITE_BUSY')) return true;
  if (typeof e.message === 'string' && MESSAGES.some((re) => re.test(e.message as string))) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isBackendUnavailable(x, depth + 1))) return true;
  return isBackendUnavailable(e.cause, depth + 1);
}
