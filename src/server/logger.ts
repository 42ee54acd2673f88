import type { LoggerOptions } from 'pino';
import { maskPersonalData } from '../core/privacy.js';

/** Masks inside the JSON string literals of a finished log line (numbers and syntax untouched). */
export function maskLogLine(line: string): string {
  return line.replace(/"(?:[^"\\]|\\.)*"/g, (literal) => maskPersonalData(literal));
}

/** pino options: JSON logs with phone and ID numbers masked in every field and message. */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    hooks: {
      // On the serialised line, after pino's and fastify's serializers (masking the raw objects
      // before serialisation emptied fastify's req/res serializers: no method, no url in the logs).
      streamWrite: maskLogLine,
      logMethod(args, method) {
        const masked = args.map((a) => (typeof a === 'string' ? maskPersonalData(a) : a));
        return method.apply(this, masked as Parameters<typeof method>);
      },
    },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
  };
}
