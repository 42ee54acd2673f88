/**
 * The staff side of the assistant as one fastify plugin: the JSON API (log-in, accounts, tickets,
 * dashboard figures) with its OpenAPI document at /api/docs, and the console at /staff.
 *
 *   public:  POST /api/staff/login, GET /staff…, GET /api/docs…
 *   staff:   everything else under /api/staff, /api/tickets, /api/stats (Bearer token)
 *   admin:   /api/staff/accounts…, /api/staff/audit, POST /api/tickets/:id/assign
 *
 * Authentication is default-deny: every route of the `authenticated` scope passes the bearer hook;
 * only the log-in lives outside it. Responses of the API are never cached (they carry personal data).
 */
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { CalendarOverrides } from '../tickets/deadlines.js';
import { systemClock, type Clock, type TicketStore } from '../tickets/ticket-store.js';
import type { StaffAccountStore } from './account-store.js';
import { accountRoutes } from './account-routes.js';
import { StaffAccounts } from './accounts.js';
import { StaffAuth, type AuthPolicy } from './auth.js';
import { authenticate, callerIfAny } from './auth-hook.js';
import { newAuditEntry } from './audit.js';
import { ForbiddenError } from './staff-errors.js';
import { consoleRoute } from './console-route.js';
import { loginRoute, sessionRoutes } from './session-routes.js';
import { statsRoute, type UnansweredSource } from './stats-route.js';
import { TicketDesk } from './ticket-desk.js';
import { ticketRoutes } from './ticket-routes.js';
import { knowledgeFixRoutes, type KnowledgeFixOptions } from './knowledge-fix-routes.js';
import { exportRoutes } from './export-routes.js';
import { documentRoutes } from './document-routes.js';
import type { DocumentDesk } from '../knowledge/publishing/document-desk.js';

export interface StaffRoutesOptions {
  tickets: TicketStore;
  accounts: StaffAccountStore;
  /** Questions the assistant could not answer, shown on the dashboard when given. */
  unanswered?: UnansweredSource | undefined;
  clock?: Clock;
  /** Answers marked 没用 and the staff fixes (src/feedback); the review and fix routes when given. */
  feedback?: Omit<KnowledgeFixOptions, 'unanswered'> | undefined;
  /** Session lifetimes, throttling limits, scrypt cost (tests lower the cost). */
  authPolicy?: Partial<AuthPolicy>;
  /** Bureau-specific holidays / working days for the investigation deadline. */
  calendar?: CalendarOverrides;
  /** Publishing policy documents from the console (issue 18), when given. */
  documents?: DocumentDesk | undefined;
  /** Serve the OpenAPI document and Swagger UI at /api/docs (default true). */
  docs?: boolean;
}

export const staffRoutes: FastifyPluginAsync<StaffRoutesOptions> = async (app, opts) => {
  const clock = opts.clock ?? systemClock;
  const auth = new StaffAuth(opts.accounts, clock, opts.authPolicy, app.log);
  const accounts = new StaffAccounts(opts.accounts, clock, auth.policy.scryptCost);
  const desk = new TicketDesk(opts.tickets, opts.accounts, clock, opts.calendar);

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  if (opts.docs !== false) await registerDocs(app);

  await app.register(consoleRoute);
  await app.register(async (api) => {
    api.addHook('onSend', async (_req, reply, payload) => {
      reply.header('cache-control', 'no-store');
      return payload;
    });
    await api.register(loginRoute, { auth });
    await api.register(async (authenticated) => {
      authenticated.addHook('onRequest', authenticate(auth));
      // Denied attempts are audited too: a staff member trying an administrator's action.
      authenticated.addHook('onError', async (req, _reply, err) => {
        if (!(err instanceof ForbiddenError)) return;
        const who = callerIfAny(req);
        if (!who) return;
        await opts.accounts
          .appendAudit(newAuditEntry(clock(), who.account.username, 'access_denied', { ip: req.ip ?? null, data: { method: req.method, route: req.routeOptions.url ?? null } }))
          .catch(() => undefined);
      });
      await authenticated.register(sessionRoutes, { auth, accounts });
      await authenticated.register(accountRoutes, { accounts, store: opts.accounts });
      await authenticated.register(ticketRoutes, { desk });
      await authenticated.register(statsRoute, { tickets: opts.tickets, clock, unanswered: opts.unanswered });
      await authenticated.register(exportRoutes, { desk, tickets: opts.tickets, clock, unanswered: opts.unanswered });
      if (opts.feedback) await authenticated.register(knowledgeFixRoutes, { ...opts.feedback, unanswered: opts.unanswered, accounts: opts.accounts, clock });
      if (opts.documents) await authenticated.register(documentRoutes, { desk: opts.documents });
    });
  });
};

async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: '平顶山市人力资源和社会保障局 · 工单处理 API',
        description:
          '欠薪投诉与咨询转人工工单的处理接口，供工作台和局内其他系统使用。先 POST /api/staff/login 取得令牌，' +
          '之后每个请求带请求头 `Authorization: Bearer 令牌`。错误统一为 {"error": {"code", "message", "issues"?}}。',
        version: '1.0.0',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
      tags: [
        { name: '登录与账号', description: '登录、会话、账号与角色（staff / admin）' },
        { name: '工单', description: '队列、认领、答复、备注、状态、改派；每个操作都记入处理记录' },
        { name: '统计', description: '工作台统计' },
        { name: '知识修正', description: '群众评为没用的回答、未能回答的问题，以及工作人员的修正（指定条款、别名、答复）' },
        { name: '导出', description: '工单队列（按筛选）与统计导出为 CSV / Excel' },
        { name: '政策文件', description: '上传、核对、发布、撤回政策文件（管理员）；发布后各网关无需重启即用新文件回答' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
}
