/** Log-in (public), log-out, who am I, change my password. */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { publicAccount, type StaffAccounts } from './accounts.js';
import { bearer, errors, LoginBody, LoginOut, MeOut, PasswordChangeBody } from './api-schemas.js';
import type { StaffAuth } from './auth.js';
import { caller } from './auth-hook.js';

export const loginRoute: FastifyPluginAsync<{ auth: StaffAuth }> = async (app, { auth }) => {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/staff/login',
    {
      schema: {
        tags: ['登录与账号'],
        summary: '工作人员登录，换取访问令牌',
        description:
          `同一账号从同一地址15分钟内尝试超过${auth.policy.maxFailuresPerUser}次、或一天内失败${auth.policy.maxFailuresPerUserDay}次后，` +
          `该地址对该账号暂停登录（429，带 Retry-After），其他地址不受影响；同一地址对所有账号15分钟内失败${auth.policy.maxFailuresPerAddress}次后该地址暂停登录。`,
        body: LoginBody,
        response: { 200: LoginOut, ...errors(400, 401, 429) },
      },
    },
    async (req) => {
      const { token, account, session } = await auth.login(req.body.username, req.body.password, req.ip ?? null);
      req.log.info({ staff: account.username }, 'staff logged in');
      return {
        token,
        expiresAt: session.expiresAt,
        idleTimeoutSeconds: Math.round(auth.policy.idleMs / 1000),
        account: publicAccount(account),
      };
    },
  );
};

export const sessionRoutes: FastifyPluginAsync<{ auth: StaffAuth; accounts: StaffAccounts }> = async (app, { auth, accounts }) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['登录与账号'];

  api.get(
    '/api/staff/me',
    { schema: { tags, summary: '当前登录的工作人员', security: bearer, response: { 200: MeOut, ...errors(401) } } },
    async (req) => {
      const { account, session } = caller(req);
      return {
        account: publicAccount(account),
        session: { createdAt: session.createdAt, expiresAt: session.expiresAt, idleExpiresAt: session.idleExpiresAt },
      };
    },
  );

  api.post(
    '/api/staff/logout',
    { schema: { tags, summary: '退出登录（令牌立即失效）', security: bearer, response: { 200: z.object({ ok: z.literal(true) }), ...errors(401) } } },
    async (req) => {
      await auth.logout(caller(req).session, req.ip ?? null);
      return { ok: true as const };
    },
  );

  api.post(
    '/api/staff/me/password',
    {
      schema: {
        tags,
        summary: '修改自己的密码（其他会话随即失效）',
        security: bearer,
        body: PasswordChangeBody,
        response: { 200: z.object({ ok: z.literal(true) }), ...errors(400, 401, 429) },
      },
    },
    async (req) => {
      const { account, session } = caller(req);
      await accounts.changeOwnPassword(account.username, req.body.currentPassword, req.body.newPassword, session.id, req.ip ?? null);
      return { ok: true as const };
    },
  );
};
