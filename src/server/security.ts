/**
 * Security headers (helmet) and the per-IP rate limit (@fastify/rate-limit).
 *
 * The headers depend on nothing in the request, so helmet works them out once at start-up and a hook
 * copies them onto every reply. (@fastify/helmet builds helmet's middleware anew on every request,
 * re-parsing the CSP each time: about 6 % of the CPU of a chat message under load.)
 *
 * CSP: the web chat page at / carries one inline <script> and <style>; its scripts are allowed by
 * their sha256 hashes, computed from the page at start-up (no 'unsafe-inline' for scripts), inline
 * styles are allowed. The staff console at /staff sets its own stricter policy (console-route.ts),
 * which replaces this one on its responses. `upgrade-insecure-requests` is left out: a bureau
 * intranet may serve plain HTTP, where it would break the page's own fetches.
 *
 * Per-IP limit: RATE_LIMIT_IP_PER_MINUTE requests per client address per minute (default 300; 0
 * turns it off), shared by every gateway process through Redis when REDIS_URL is set (key prefix
 * "epa:ipr:"). Exempt: /health and /metrics; /webhooks/* (WeChat and the SMS gateways push every
 * user's messages from a few provider addresses; those are authenticated and limited per sender by
 * the engine); loopback clients (the machine itself: health checks, tools, tests through inject) —
 * only when the loopback address is the socket's own and the request carries no X-Forwarded-For:
 * an address taken from a header is never exempt (anyone can write "X-Forwarded-For: 127.0.0.1"),
 * and a request relayed by a proxy on the same machine is a client's, not the machine's.
 * The address is the socket's, or the X-Forwarded-For client as far as TRUST_PROXY says to believe
 * it (a hop count or the proxies' addresses, config.ts). When requests carry X-Forwarded-For but no
 * proxy is trusted, a warning is logged once: behind nginx every client then looks like 127.0.0.1
 * and shares one limit. If Redis is away the limit is skipped and the request goes on (and
 * fails there with 503 if it needs storage). The per-sender message limit lives in the engine.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import rateLimit from '@fastify/rate-limit';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { Redis } from 'ioredis';
import { newRedis } from '../storage/redis/connect.js';
import { z } from 'zod';
import { optionalEnv, parseEnv, type TrustProxy } from './config.js';
import { ApiError } from './errors.js';

const SecurityEnv = z.object({
  RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().min(0).default(300),
  /** When set, GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`; unset, only internal clients get it. */
  METRICS_TOKEN: optionalEnv,
  /**
   * The OpenAPI document and Swagger UI at /api/docs: `internal` (default: this machine and private
   * networks only), `public`, or `off`.
   */
  API_DOCS: z.enum(['internal', 'public', 'off']).default('internal'),
});

export type SecurityConfig = z.infer<typeof SecurityEnv>;

export function loadSecurityConfig(env: NodeJS.ProcessEnv = process.env): SecurityConfig {
  return parseEnv(SecurityEnv, env);
}

const CHAT_PAGE = fileURLToPath(new URL('../channels/web/public/index.html', import.meta.url));

/** 'sha256-…' sources for every inline <script> of the chat page (empty when the page is absent). */
export function inlineScriptHashes(file: string = CHAT_PAGE): string[] {
  let html: string;
  try {
    html = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const hashes: string[] = [];
  for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)) {
    hashes.push(`'sha256-${createHash('sha256').update(m[1] ?? '', 'utf8').digest('base64')}'`);
  }
  return hashes;
}

/** The headers helmet sets for these options (its middleware run once against a recording response). */
export function securityHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err) => {
    if (err) throw err;
  });
  return headers;
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/** Loopback, RFC 1918 / 6598 private IPv4, IPv6 unique-local and link-local (also IPv4-mapped). */
const PRIVATE = /^(?:::ffff:)?(?:127\.|10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|100\.(?:6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.)|^::1$|^f[cd][0-9a-f]{2}:|^fe[89ab][0-9a-f]:/i;

/**
 * Whether a request comes from this machine or the bureau's private network, for internal endpoints
 * (/metrics without a token, /api/docs). The address is the client's as TRUST_PROXY allows; a
 * request carrying X-Forwarded-For while no proxy is trusted is never internal (it came through a
 * proxy that we cannot tell the client of).
 */
export function isInternalRequest(req: { ip: string; headers: Record<string, unknown> }, trustProxy: TrustProxy = false): boolean {
  if (!trustProxy && req.headers['x-forwarded-for'] !== undefined) return false;
  return PRIVATE.test(req.ip);
}

/** Whether a request skips the per-IP limit (see above); `ip` is the address the limit would count. */
export function isExempt(req: { url: string; ip: string; socket?: { remoteAddress?: string | undefined }; headers: Record<string, unknown> }): boolean {
  const path = req.url.split('?')[0] ?? req.url;
  if (path === '/health' || path === '/metrics' || path.startsWith('/webhooks/')) return true;
  const peer = req.socket?.remoteAddress ?? '';
  return req.headers['x-forwarded-for'] === undefined && req.ip === peer && LOOPBACK.test(peer);
}

export async function registerSecurity(
  app: FastifyInstance,
  opts: { redisUrl?: string | undefined; config?: SecurityConfig; trustProxy?: TrustProxy },
): Promise<void> {
  const config = opts.config ?? loadSecurityConfig();
  if (!opts.trustProxy) {
    let warned = false;
    app.addHook('onRequest', (req, _reply, done) => {
      if (!warned && req.headers['x-forwarded-for'] !== undefined) {
        warned = true;
        req.log.warn(
          { remoteAddress: req.socket.remoteAddress },
          'requests arrive with X-Forwarded-For but TRUST_PROXY is not set: the proxy address counts as the client (one rate limit and login throttle for everyone behind it). Set TRUST_PROXY to the number of proxy hops or the proxy addresses.',
        );
      }
      done();
    });
  }
  const headers = securityHeaders({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'script-src': ["'self'", ...inlineScriptHashes()],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'upgrade-insecure-requests': null,
      },
    },
    // Plain-HTTP intranet deployments are possible; HSTS is the TLS terminator's decision.
    strictTransportSecurity: false,
  });
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });
  if (config.API_DOCS !== 'public') {
    app.addHook('onRequest', async (req) => {
      const path = req.url.split('?')[0] ?? req.url;
      if (path !== '/api/docs' && !path.startsWith('/api/docs/')) return;
      if (config.API_DOCS === 'off' || !isInternalRequest(req, opts.trustProxy ?? false)) {
        throw new ApiError('NOT_FOUND', `没有这个地址：${req.method} ${path}`);
      }
    });
  }

  if (config.RATE_LIMIT_IP_PER_MINUTE === 0) return;
  let redis: Redis | undefined;
  if (opts.redisUrl) {
    // Its own connection, failing at once while Redis is away (no offline queue): the limit is then
    // skipped (skipOnError) and never holds a request.
    redis = newRedis(opts.redisUrl, { connectTimeout: 500, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    redis.on('error', () => undefined); // the stores' connection already logs Redis trouble
    app.addHook('onClose', async () => {
      if (redis?.status === 'ready') await redis.quit().catch(() => redis?.disconnect());
      else redis?.disconnect();
    });
  }
  await app.register(rateLimit, {
    global: true,
    max: config.RATE_LIMIT_IP_PER_MINUTE,
    timeWindow: 60_000,
    ...(redis ? { redis, nameSpace: 'epa:ipr:' } : {}),
    skipOnError: true,
    allowList: (req) => isExempt(req),
    errorResponseBuilder: () => new ApiError('RATE_LIMITED'),
  });
}
