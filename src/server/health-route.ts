import type { FastifyPluginAsync } from 'fastify';

export const healthRoute: FastifyPluginAsync<{ check: () => Promise<Record<string, unknown>> }> = async (app, { check }) => {
  app.get('/health', async (_req, reply) => {
    try {
      return { status: 'ok', ...(await check()) };
    } catch (err) {
      return reply.code(503).send({ status: 'unavailable', error: err instanceof Error ? err.message : String(err) });
    }
  });
};
