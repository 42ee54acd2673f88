import Fastify, { type FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { eligibilityRoutes, type EligibilityRoutesOptions } from '../../src/eligibility/routes.js';
import { ApiError } from '../../src/server/errors.js';

/** A bare app with the eligibility route and a minimal error handler mapping zod errors to the API's 400 body. */
export async function buildEligibilityApp(opts: EligibilityRoutesOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof ApiError) return reply.code(err.status).send(err.toBody());
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({ path: v.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(body)', message: v.message ?? 'invalid' }));
      return reply.code(400).send(new ApiError('BAD_REQUEST', `请求内容不符合要求：${issues.map((i) => i.path).join(', ')}`, issues).toBody());
    }
    return reply.code(500).send(new ApiError('INTERNAL').toBody());
  });
  await app.register(eligibilityRoutes, opts);
  await app.ready();
  return app;
}
