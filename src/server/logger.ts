import type { LoggerOptions } from 'pino';
import { maskDeep, maskPersonalData } from '../core/privacy.js';

/** pino options: JSON logs with phone and ID numbers masked in every field and message. */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    formatters: { log: (obj) => maskDeep(obj) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        const masked = args.map((a) => (typeof a === 'string' ? maskPersonalData(a) : a));
        return method.apply(this, masked as Parameters<typeof method>);
      },
    },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
  };
}
