/**
 * The request side of authentication: reads `Authorization: Bearer <token>`, resolves the session and
 * remembers who is calling for the route handlers. Tokens travel only in that header (never in a
 * cookie), so other sites cannot make a staff member's browser act on their behalf (no CSRF).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticated, StaffAuth } from './auth.js';
import { ForbiddenError, NotAuthenticatedError } from './staff-errors.js';
import type { StaffUser } from './ticket-desk.js';

const callers = new WeakMap<FastifyRequest, Authenticated>();

export function bearerToken(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const m = /^Bearer\s+([A-Za-z0-9_-]{20,200})\s*$/i.exec(header);
  return m ? m[1]! : null;
}

/** onRequest hook: 401 unless the request carries a live session of an enabled account. */
export function authenticate(auth: StaffAuth) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const token = bearerToken(req);
    if (!token) {
      reply.header('www-authenticate', 'Bearer realm="staff"');
      throw new NotAuthenticatedError('需要登录：请在 Authorization 头中提供 Bearer 令牌');
    }
    try {
      callers.set(req, await auth.authenticate(token));
    } catch (err) {
      reply.header('www-authenticate', 'Bearer realm="staff", error="invalid_token"');
      throw err;
    }
  };
}

/** preHandler for administrators' routes. */
export async function adminOnly(req: FastifyRequest): Promise<void> {
  if (caller(req).account.role !== 'admin') throw new ForbiddenError('需要管理员权限');
}

export function caller(req: FastifyRequest): Authenticated {
  const c = callers.get(req);
  if (!c) throw new NotAuthenticatedError();
  return c;
}

/** The caller when the request was authenticated, else undefined (never throws). */
export function callerIfAny(req: FastifyRequest): Authenticated | undefined {
  return callers.get(req);
}

export function staffUser(req: FastifyRequest): StaffUser {
  const { account } = caller(req);
  return { username: account.username, role: account.role };
}
