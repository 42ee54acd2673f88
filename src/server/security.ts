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
 * the engine); loopback clients (the machine itself: health checks, tools, tests through inject).
 * The address is the socket's, or the X-Forwarded-For client only with TRUST_PROXY=true (behind a
 * reverse proxy that overwrites that header). If Redis is away the limit is skipped and the request goes on (and
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
import { optionalEnv, parseEnv } from './config.js';
import { ApiError } from './errors.js';

const SecurityEnv = z.object({
  RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().min(0).default(300),
  /** When set, GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: optionalEnv,
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

export function isExempt(url: string, ip: string): boolean {
  const path = url.split('?')[0] ?? url;
  return path === '/health' || path === '/metrics' || path.startsWith('/webhooks/') || LOOPBACK.test(ip);
}

export async function registerSecurity(
  app: FastifyInstance,
  opts: { redisUrl?: string | undefined; config?: SecurityConfig },
): Promise<void> {
  const config = opts.config ?? loadSecurityConfig();
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
    allowList: (req) => isExempt(req.url, req.ip),
    errorResponseBuilder: () => new ApiError('RATE_LIMITED'),
  });
}
