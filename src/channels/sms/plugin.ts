/**
 * SMS uplink webhooks: `POST /webhooks/sms/aliyun/<token>` (a JSON array, answered
 * `{"code":0,"msg":"接收成功"}`) and `POST /webhooks/sms/tencent/<token>` (one object, answered
 * `{"result":0,"errmsg":"OK"}`). Neither provider signs its callbacks: a wrong token is a 404 (and an
 * address outside SMS_WEBHOOK_ALLOW_IPS too) with nothing processed. The whole payload is validated
 * before anything is stored; every message is deduplicated (Aliyun sequence_id; Tencent
 * mobile + time + text) before it reaches the engine, and forgotten again if its turn fails so the
 * provider's retry is handled.
 *
 * The token is the only authentication of an uplink, so it never reaches a log (the request
 * serializer redacts the path, server/logger.ts). Rotation: SMS_WEBHOOK_TOKEN may list several tokens
 * separated by commas ("current,next"); each is accepted. Add the new one, change the URL at the
 * provider, then remove the old one.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SessionStore } from '../../dialogue/session-store.js';
import { ApiError } from '../../server/errors.js';
import type { SmsEngine, SmsService } from './service.js';

export interface SmsWebhookOptions {
  engine: SmsEngine;
  service: SmsService;
  sessions: SessionStore;
  /** Accepted tokens (several during a rotation). */
  tokens: readonly string[];
  allowIps?: string[] | null;
  log?: { info(o: object, m?: string): void; warn(o: object, m?: string): void };
  now?: () => Date;
}

const MAX_TEXT = 1000;
/** Phone numbers as the providers send them (documentation samples mask digits with * or x). */
const Phone = z.string().trim().regex(/^\+?[0-9*xX]{3,20}$/, '号码格式不对');

const AliyunItem = z.object({
  phone_number: Phone,
  send_time: z.string().max(40).optional(),
  content: z.string().max(MAX_TEXT),
  sign_name: z.string().max(64).optional(),
  dest_code: z.string().max(32).optional(),
  sequence_id: z.union([z.string().trim().min(1).max(64), z.number().int().nonnegative()]),
});
const AliyunBody = z.array(AliyunItem).min(1).max(100);

const TencentBody = z.object({
  mobile: Phone,
  nationcode: z.string().regex(/^\d{1,4}$/).optional(),
  text: z.string().max(MAX_TEXT),
  time: z.number().int().nonnegative(),
  sign: z.string().max(64).optional(),
  extend: z.string().max(64).optional(),
});

const DEDUPE_TTL = 7 * 24 * 3600;

function sameToken(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** The tokens of SMS_WEBHOOK_TOKEN: one, or several separated by commas while rotating. */
export function webhookTokens(value: string): string[] {
  return value
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

/** Whether `given` is one of the tokens; every token is compared (in constant time), none skipped. */
function anyToken(given: string, tokens: readonly string[]): boolean {
  let ok = false;
  for (const t of tokens) ok = sameToken(given, t) || ok;
  return ok;
}

/** The user id: national number without +86 / 0086 / 86. */
export function normalizePhone(raw: string, nationcode?: string): string {
  const p = raw.trim().replace(/^(\+86|0086)/, '');
  if (nationcode && nationcode !== '86') return `+${nationcode}${p}`;
  return /^86(1\d{10})$/.test(p) ? p.slice(2) : p;
}

export const smsWebhookPlugin: FastifyPluginAsync<SmsWebhookOptions> = async (app, opts) => {
  const now = opts.now ?? (() => new Date());

  const guard = (req: FastifyRequest<{ Params: { token: string } }>) => {
    const allowed = opts.allowIps ? opts.allowIps.includes(req.ip) : true;
    if (!allowed || !anyToken(req.params.token, opts.tokens)) {
      throw new ApiError('NOT_FOUND', `没有这个地址：${req.method} ${req.url.replace(/[^/]+$/, '…')}`);
    }
  };
  const invalid = (err: z.ZodError) =>
    new ApiError(
      'BAD_REQUEST',
      `请求内容不符合要求：${err.issues.map((i) => i.path.join('.') || '(body)').join(', ')}`,
      err.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })),
    );

  /** One message: dedupe, then the conversation; a failed turn forgets the id for the retry. */
  const one = async (dedupeId: string, phone: string, text: string): Promise<void> => {
    if (!(await opts.sessions.markSeen('msg:sms', dedupeId, DEDUPE_TTL))) {
      opts.log?.info({ dedupeId }, 'duplicate sms dropped');
      return;
    }
    try {
      await opts.service.receive(opts.engine, phone, text, now());
    } catch (err) {
      await opts.sessions.forgetSeen('msg:sms', dedupeId).catch(() => undefined);
      throw err;
    }
  };

  // Before the body is read: a wrong token or address learns nothing, not even whether the body is valid.
  app.addHook('onRequest', async (req) => guard(req as FastifyRequest<{ Params: { token: string } }>));

  app.post<{ Params: { token: string } }>('/webhooks/sms/aliyun/:token', async (req) => {
    const body = AliyunBody.safeParse(req.body);
    if (!body.success) throw invalid(body.error);
    for (const m of body.data) {
      // Scoped by sender as well: a sequence id reused for another number is another message.
      const phone = normalizePhone(m.phone_number);
      await one(`aliyun:${phone}:${String(m.sequence_id)}`, phone, m.content);
    }
    return { code: 0, msg: '接收成功' };
  });

  app.post<{ Params: { token: string } }>('/webhooks/sms/tencent/:token', async (req) => {
    const body = TencentBody.safeParse(req.body);
    if (!body.success) throw invalid(body.error);
    const m = body.data;
    const phone = normalizePhone(m.mobile, m.nationcode);
    const digest = createHash('sha1').update(m.text).digest('hex').slice(0, 12);
    await one(`tencent:${phone}:${m.time}:${digest}`, phone, m.text);
    return { result: 0, errmsg: 'OK' };
  });
};
