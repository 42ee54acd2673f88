/** Administrators manage accounts and read the staff audit trail (log-ins, account changes). */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { StaffAccountStore } from './account-store.js';
import type { StaffAccounts } from './accounts.js';
import { AccountCreateBody, AccountOut, DirectoryEntry, AccountPatchBody, AuditOut, AuditQuery, bearer, errors, UsernameParams } from './api-schemas.js';
import { adminOnly, caller } from './auth-hook.js';

export const accountRoutes: FastifyPluginAsync<{ accounts: StaffAccounts; store: StaffAccountStore }> = async (app, { accounts, store }) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['登录与账号'];
  const admin = { preHandler: adminOnly };

  api.get(
    '/api/staff/accounts',
    {
      ...admin,
      schema: { tags, summary: '账号列表（管理员）', security: bearer, response: { 200: z.object({ accounts: z.array(AccountOut) }), ...errors(401, 403) } },
    },
    async () => ({ accounts: await accounts.list() }),
  );

  api.get(
    '/api/staff/directory',
    {
      schema: {
        tags,
        summary: '启用中的工作人员名单（用户名与姓名），供显示与分派',
        security: bearer,
        response: { 200: z.object({ staff: z.array(DirectoryEntry) }), ...errors(401) },
      },
    },
    async () => ({
      staff: (await accounts.list())
        .filter((a) => !a.disabled)
        .map((a) => ({ username: a.username, displayName: a.displayName, role: a.role })),
    }),
  );

  api.post(
    '/api/staff/accounts',
    {
      ...admin,
      schema: {
        tags,
        summary: '新建账号（管理员）',
        security: bearer,
        body: AccountCreateBody,
        response: { 201: z.object({ account: AccountOut }), ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => {
      const account = await accounts.create(caller(req).account.username, req.body, req.ip ?? null);
      return reply.code(201).send({ account });
    },
  );

  api.patch(
    '/api/staff/accounts/:username',
    {
      ...admin,
      schema: {
        tags,
        summary: '修改账号：角色、姓名、停用/启用、重置密码（管理员）',
        security: bearer,
        params: UsernameParams,
        body: AccountPatchBody,
        response: { 200: z.object({ account: AccountOut }), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => ({
      account: await accounts.update(caller(req).account.username, req.params.username, req.body, req.ip ?? null),
    }),
  );

  api.get(
    '/api/staff/audit',
    {
      ...admin,
      schema: {
        tags,
        summary: '操作日志：登录、账号变更（管理员）；工单操作见各工单的处理记录',
        security: bearer,
        querystring: AuditQuery,
        response: { 200: AuditOut, ...errors(400, 401, 403) },
      },
    },
    async (req) => ({
      entries: await store.listAudit({
        limit: req.query.limit,
        ...(req.query.actor ? { actor: req.query.actor } : {}),
        ...(req.query.action ? { action: req.query.action } : {}),
      }),
    }),
  );
};
