/**
 * Cross-cutting HTTP concerns registered before the routes:
 *  - security headers and the per-IP rate limit (security.ts; RATE_LIMIT_IP_PER_MINUTE, default 300);
 *  - Prometheus metrics at GET /metrics (metrics.ts; METRICS_TOKEN, when set, guards it; unset, only
 *    internal clients get it); /api/docs only for internal clients unless API_DOCS=public. To count messages and intents on every channel,
 *    this decorates the assistant in place: `assistant.engine.handle` and `assistant.unanswered.record`
 *    are replaced by wrappers that record metrics and call the originals.
 */
import type { FastifyInstance } from 'fastify';
import type { Assistant } from '../assistant.js';
import { createMetrics, registerMetrics } from './metrics.js';
import { isInternalRequest, loadSecurityConfig, registerSecurity } from './security.js';

export async function registerPlatform(app: FastifyInstance, assistant: Assistant): Promise<void> {
  // RATE_LIMIT_IP_PER_MINUTE and METRICS_TOKEN are read (and validated) here, from the environment.
  const config = loadSecurityConfig();
  await registerSecurity(app, { redisUrl: assistant.config.REDIS_URL, config, trustProxy: assistant.config.TRUST_PROXY });
  const trustProxy = assistant.config.TRUST_PROXY;
  registerMetrics(app, createMetrics(assistant), { token: config.METRICS_TOKEN, internal: (req) => isInternalRequest(req, trustProxy) });
}
