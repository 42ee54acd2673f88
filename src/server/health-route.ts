import type { FastifyPluginAsync } from 'fastify';

export const healthRoute: FastifyPluginAsync<{ check: () => Promise<Record<string, unknown>> }> = async (app, { check }) => {
  app.get('/health', async (req, reply) => {
    try {
      return { status: 'ok', ...(await check()) };
    } catch (err) {
      // The driver's text (addresses, ports, hostnames) goes to the log, never to the client.
      req.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'health check failed');
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
};
