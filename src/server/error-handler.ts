import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ApiError } from './errors.js';
import { isBackendUnavailable } from './unavailable.js';

/** Maps every failure to the catalogue's `{error: {code, message, issues?}}` body. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof ApiError) {
      const wait = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
      if (typeof wait === 'number' && wait > 0) reply.header('retry-after', String(Math.ceil(wait)));
      return reply.code(err.status).send(err.toBody());
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({
        path: v.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(body)',
        message: v.message ?? 'invalid',
      }));
      const where = issues.map((i) => i.path).join(', ');
      return reply.code(400).send(new ApiError('BAD_REQUEST', `请求内容不符合要求：${where}`, issues).toBody());
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send(new ApiError('PAYLOAD_TOO_LARGE').toBody());
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.statusCode === 400) {
      return reply.code(400).send(new ApiError('BAD_REQUEST', `请求内容不符合要求：${err.message}`).toBody());
    }
    if (err.statusCode === 429) return reply.code(429).send(new ApiError('RATE_LIMITED').toBody());
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send({ error: { code: 'BAD_REQUEST', message: err.message } });
    }
    if (isBackendUnavailable(err)) {
      // Storage away for a moment (Redis restarting): a clear "try again", nothing was acknowledged.
      req.log.warn({ err }, 'storage unavailable');
      return reply.code(503).header('retry-after', '5').send(new ApiError('UNAVAILABLE').toBody());
    }
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send(new ApiError('INTERNAL').toBody());
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send(new ApiError('NOT_FOUND', `没有这个地址：${req.method} ${req.url}`).toBody()));
}
