import type { FastifyRequest } from 'fastify';
import type { LoggerOptions } from 'pino';
import { maskPersonalData } from '../core/privacy.js';

/** Masks inside the JSON string literals of a finished log line (numbers and syntax untouched). */
export function maskLogLine(line: string): string {
  return line.replace(/"(?:[^"\\]|\\.)*"/g, (literal) => maskPersonalData(literal));
}

/**
 * Query parameters that authenticate a request or identify a person (WeChat's signature, timestamp,
 * nonce, msg_signature, echostr and openid; tokens of any kind): their values never reach a log.
 */
const SECRET_PARAMS = /^(signature|msg_signature|timestamp|nonce|echostr|openid|token|access_token|secret|key|sign)$/i;
/** Paths whose last segment is a secret: the SMS uplinks' /webhooks/sms/<provider>/<token>. */
const SECRET_PATH = /^(\/webhooks\/sms\/[^/?#]+\/)[^?#]*/;
export const REDACTED = '[redacted]';

/** The URL as it may be logged: secret query values and path tokens replaced by [redacted]. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).replace(SECRET_PATH, `$1${REDACTED}`);
  if (q < 0) return path;
  const parts = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // a malformed name is logged as it came
      }
      return SECRET_PARAMS.test(decoded.trim()) ? `${name}=${REDACTED}` : pair;
    });
  return `${path}?${parts.join('&')}`;
}

/** fastify's request serializer, with the URL redacted. */
export function serializeRequest(req: FastifyRequest): Record<string, unknown> {
  return {
    method: req.method,
    url: redactUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/** pino options: JSON logs with phone and ID numbers masked in every field and message. */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    serializers: { req: serializeRequest as unknown as (req: unknown) => unknown },
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
