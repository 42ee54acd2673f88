/** The ticket queue and every action on a ticket, for the console and the bureau's other systems. */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AssignBody,
  bearer,
  errors,
  EventOut,
  NoteBody,
  ReplyBody,
  ReplyOut,
  TicketChangeOut,
  TicketDetailOut,
  TicketListOut,
  TicketListQuery,
  TicketParams,
  TransitionBody,
} from './api-schemas.js';
import { staffUser } from './auth-hook.js';
import type { TicketDesk } from './ticket-desk.js';

export const ticketRoutes: FastifyPluginAsync<{ desk: TicketDesk }> = async (app, { desk }) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['工单'];
  const changed = { 200: TicketChangeOut, ...errors(400, 401, 403, 404, 409) };

  api.get(
    '/api/tickets',
    {
      schema: {
        tags,
        summary: '工单队列：按紧急程度与期限排序，可筛选与搜索，附各状态数量',
        security: bearer,
        querystring: TicketListQuery,
        response: { 200: TicketListOut, ...errors(400, 401) },
      },
    },
    async (req) => {
      const page = await desk.queue(req.query, staffUser(req));
      return {
        tickets: page.tickets.map((t) => desk.summary(t)),
        total: page.total,
        countsByStatus: page.countsByStatus,
        limit: req.query.limit,
        offset: req.query.offset,
      };
    },
  );

  api.post(
    '/api/tickets/claim-next',
    {
      schema: {
        tags,
        summary: '领取下一件：最紧急的、无人处理的待受理工单',
        security: bearer,
        response: { 200: z.object({ ticket: TicketDetailOut.shape.ticket.nullable() }), ...errors(401) },
      },
    },
    async (req) => {
      const ticket = await desk.claimNext(staffUser(req));
      return { ticket: ticket ? desk.detail(ticket) : null };
    },
  );

  api.get(
    '/api/tickets/:id',
    {
      schema: {
        tags,
        summary: '工单详情：诉求信息、对话记录、处理记录（查看会被记录）',
        security: bearer,
        params: TicketParams,
        response: { 200: TicketDetailOut, ...errors(401, 404) },
      },
    },
    async (req) => {
      const { ticket, events } = await desk.open(req.params.id, staffUser(req));
      return { ticket: desk.detail(ticket), events };
    },
  );

  api.post(
    '/api/tickets/:id/claim',
    { schema: { tags, summary: '认领', security: bearer, params: TicketParams, response: changed } },
    async (req) => ({ ticket: desk.detail(await desk.claim(req.params.id, staffUser(req))) }),
  );

  api.post(
    '/api/tickets/:id/release',
    { schema: { tags, summary: '释放（退回队列）；管理员可释放他人的工单', security: bearer, params: TicketParams, response: changed } },
    async (req) => ({ ticket: desk.detail(await desk.release(req.params.id, staffUser(req))) }),
  );

  api.post(
    '/api/tickets/:id/assign',
    {
      schema: {
        tags,
        summary: '改派给某位工作人员，null 为取消分派（管理员）',
        security: bearer,
        params: TicketParams,
        body: AssignBody,
        response: changed,
      },
    },
    async (req) => ({ ticket: desk.detail(await desk.assign(req.params.id, req.body.assignee, staffUser(req))) }),
  );

  api.post(
    '/api/tickets/:id/transition',
    {
      schema: {
        tags,
        summary: '变更状态：受理 / 不予受理（须说明理由）/ 调查处理 / 处理完毕 / 办结 / 重新开启；诉求人会收到通知',
        description: '受理时自动计算60个工作日的查处期限（重新开启后恢复调查时重新计算）。',
        security: bearer,
        params: TicketParams,
        body: TransitionBody,
        response: changed,
      },
    },
    async (req) => {
      const { to, reason, notice } = req.body;
      return { ticket: desk.detail(await desk.transition(req.params.id, to, { reason, notice }, staffUser(req))) };
    },
  );

  api.post(
    '/api/tickets/:id/notes',
    {
      schema: {
        tags,
        summary: '内部备注（诉求人看不到）',
        security: bearer,
        params: TicketParams,
        body: NoteBody,
        response: { 201: z.object({ event: EventOut }), ...errors(400, 401, 404, 409, 413) },
      },
    },
    async (req, reply) => reply.code(201).send({ event: await desk.note(req.params.id, req.body.text, staffUser(req)) }),
  );

  api.post(
    '/api/tickets/:id/replies',
    {
      schema: {
        tags,
        summary: '答复诉求人：经其使用的渠道（短信、微信、网页）发送',
        security: bearer,
        params: TicketParams,
        body: ReplyBody,
        response: { 201: ReplyOut, ...errors(400, 401, 403, 404, 409, 413) },
      },
    },
    async (req, reply) => reply.code(201).send(await desk.reply(req.params.id, req.body.text, staffUser(req))),
  );
};
