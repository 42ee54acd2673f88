/**
 * Staff see how many people each publication reached (Bearer token, like the rest of the staff API):
 *   GET /api/staff/publications/reach            the latest publications that had notices
 *   GET /api/staff/publications/:docId/reach     one publication
 * Counts only — no one's channel id leaves the server here.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CHANNELS } from '../core/types.js';
import { bearer, errors } from '../staff/api-schemas.js';
import type { StaffAccountStore } from '../staff/account-store.js';
import { StaffAuth } from '../staff/auth.js';
import { authenticate } from '../staff/auth-hook.js';
import { systemClock } from '../tickets/ticket-store.js';
import type { Subscriptions } from './index.js';

const ReachOut = z.object({
  docId: z.string(),
  title: z.string(),
  queued: z.number().int(),
  sent: z.number().int(),
  pending: z.number().int(),
  failed: z.number().int(),
  dropped: z.number().int(),
  byChannel: z.partialRecord(z.enum(CHANNELS), z.number().int()),
});
const DocParams = z.object({ docId: z.string().trim().regex(/^[A-Za-z0-9][\w.-]{0,127}$/, '文件编号格式不对') });
const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export const publicationReachRoutes: FastifyPluginAsync<{ subscriptions: Subscriptions; accounts: StaffAccountStore }> = async (app, opts) => {
  const auth = new StaffAuth(opts.accounts, systemClock);
  const api = app.withTypeProvider<ZodTypeProvider>();
  app.addHook('onRequest', authenticate(auth));
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('cache-control', 'no-store');
    return payload;
  });
  api.get(
    '/api/staff/publications/reach',
    { schema: { tags: ['政策推送'], summary: '各政策文件推送触达人数（最近的在前）', security: bearer, querystring: ListQuery, response: { 200: z.object({ publications: z.array(ReachOut) }), ...errors(400, 401) } } },
    async (req) => ({ publications: await opts.subscriptions.reachList(req.query.limit) }),
  );
  api.get(
    '/api/staff/publications/:docId/reach',
    { schema: { tags: ['政策推送'], summary: '一份政策文件的推送触达人数', security: bearer, params: DocParams, response: { 200: ReachOut, ...errors(400, 401) } } },
    async (req) => opts.subscriptions.reach(req.params.docId),
  );
};
