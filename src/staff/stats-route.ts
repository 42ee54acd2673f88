/** Dashboard figures: tickets per day and county, time to acceptance, overdue, unanswered questions. */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Clock, TicketStore } from '../tickets/ticket-store.js';
import { bearer, errors, StatsOut } from './api-schemas.js';

/** Questions the assistant could not answer, kept elsewhere; the dashboard only reads them. */
export interface UnansweredSource {
  list(limit: number): Promise<Array<{ text: string; at: string; count: number; reason?: string }>>;
}

export const UNANSWERED_SHOWN = 50;

export const statsRoute: FastifyPluginAsync<{ tickets: TicketStore; clock: Clock; unanswered?: UnansweredSource | undefined }> = async (
  app,
  { tickets, clock, unanswered },
) => {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/stats',
    {
      schema: {
        tags: ['统计'],
        summary: '统计：每日与各县区工单量、受理用时中位数、超期数、助手未能回答的问题',
        security: bearer,
        response: { 200: StatsOut, ...errors(401) },
      },
    },
    async () => {
      const now = clock();
      const [stats, questions] = await Promise.all([tickets.stats(now), unanswered ? unanswered.list(UNANSWERED_SHOWN) : null]);
      return {
        generatedAt: now.toISOString(),
        tickets: stats,
        unanswered: questions ? questions.map(({ text, at, count }) => ({ text, at, count })) : null,
      };
    },
  );
};
