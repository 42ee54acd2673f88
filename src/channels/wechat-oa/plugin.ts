/**
 * The WeChat Official Account webhook, `GET|POST /webhooks/wechat`.
 *
 * GET: the server-verification handshake (echo `echostr` when the signature matches).
 * POST: signed pushes in plain or safe (AES) mode. Text and recognised voice go to the dialogue
 * engine; the answer is a passive reply when it is ready within the deadline (WeChat waits 5 s),
 * otherwise `success` now and a customer-service message once it is ready. Retries of the same
 * message (openid + MsgId) attach to the turn in progress (never a second turn); a retry reaching
 * another process is a duplicate for the engine and answered `success`. A turn that fails (storage
 * down) is answered 503, never `success`, so that WeChat retries it.
 *
 * Replay and forgery: the signature must match, the timestamp must be within 5 minutes of our clock,
 * and a nonce is accepted once per window (remembered in the session store: Redis, shared by every
 * gateway, when REDIS_URL is set). A nonce seen again is accepted only with the very same body (a
 * WeChat retry); with another body it is refused. In plain mode the signature covers only token,
 * timestamp and nonce, not the body: safe mode (encrypted, msg_signature over the body) is the
 * recommended setting; in plain mode the timestamp window and the nonce memory bound what a captured
 * URL can be used for.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Reply } from '../../core/types.js';
import { maskPersonalData } from '../../core/privacy.js';
import type { SessionStore } from '../../dialogue/session-store.js';
import { ApiError } from '../../server/errors.js';
import { repliesToText, UNSUPPORTED_MESSAGE_TEXT } from '../reply-text.js';
import type { WechatClient } from './client.js';
import { sha1Signature, signatureMatches, WechatCrypto } from './crypto.js';
import { EncryptedEnvelopeSchema, encryptedReplyXml, parseWechatMessage, parseXmlRoot, textReplyXml, type WechatMessage } from './xml.js';

export interface EngineLike {
  handle(msg: { channel: 'wechat'; userId: string; text: string; messageId?: string; receivedAt: Date }): Promise<{ replies: Reply[]; duplicate: boolean }>;
}

export interface WechatOaOptions {
  engine: EngineLike;
  token: string;
  /** Safe mode needs both. */
  appId?: string | undefined;
  encodingAESKey?: string | undefined;
  /** Customer-service messages for late answers; without it a late answer is only logged. */
  client?: WechatClient | null;
  /** Where nonces are remembered (the session store: shared by all gateways on Redis). */
  nonces: Pick<SessionStore, 'markSeen' | 'forgetSeen'>;
  /** How long a push waits for the answer before `success` (WeChat gives up after 5 s). */
  replyDeadlineMs?: number;
  log?: { info(o: object, m?: string): void; warn(o: object, m?: string): void };
  now?: () => Date;
}

const Query = z.object({
  signature: z.string().regex(/^[0-9a-f]{40}$/i).optional(),
  timestamp: z.string().regex(/^\d{1,12}$/),
  nonce: z.string().min(1).max(64),
  echostr: z.string().min(1).max(256).optional(),
  openid: z.string().max(128).optional(),
  encrypt_type: z.enum(['raw', 'aes']).optional(),
  msg_signature: z.string().regex(/^[0-9a-f]{40}$/i).optional(),
});

/** Pushes dated further than this from our clock are refused (replays of captured requests). */
export const MAX_CLOCK_SKEW_SECONDS = 300;
/** Nonces are remembered for the whole window on both sides of now, and a minute more. */
const NONCE_TTL_SECONDS = 2 * MAX_CLOCK_SKEW_SECONDS + 60;

/** The engine failed: no `success`, so that WeChat retries. */
const FAILED = Symbol('failed');
type Outcome = string | null | typeof FAILED;

/** Pauses before handling again a message whose turn failed after WeChat was answered `success`. */
const LATE_RETRY_DELAYS_MS = [2_000, 10_000, 30_000];

interface TurnInput {
  text: string;
  receivedAt: Date;
  prefix?: string;
}

/** Passive replies carry at most 2048 bytes of content. */
const MAX_PASSIVE_BYTES = 2000;
/** How long a finished turn's answer is kept for retries of the same MsgId. */
const KEEP_ANSWER_MS = 60_000;

interface Turn {
  /** Request waiting to answer passively (the first push or a retry). */
  waiter: ((outcome: Outcome) => void) | null;
  settled: boolean;
  text: string | null;
  /** 'passive' when a request took the answer, 'async' when it went as a customer-service message. */
  delivered: 'passive' | 'async' | null;
}

export const wechatOaPlugin: FastifyPluginAsync<WechatOaOptions> = async (app, opts) => {
  const deadline = opts.replyDeadlineMs ?? 4_000;
  const now = opts.now ?? (() => new Date());
  const crypto = opts.encodingAESKey && opts.appId ? new WechatCrypto(opts.token, opts.encodingAESKey, opts.appId) : null;
  const turns = new Map<string, Turn>();

  app.addContentTypeParser(['text/xml', 'application/xml', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  const parseQuery = (raw: unknown) => {
    const q = Query.safeParse(raw);
    if (!q.success) throw new ApiError('BAD_REQUEST', `请求内容不符合要求：${q.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    return q.data;
  };
  const checkSignature = (q: z.infer<typeof Query>) => {
    if (!signatureMatches(sha1Signature(opts.token, q.timestamp, q.nonce), q.signature?.toLowerCase())) {
      throw new ApiError('UNAUTHORIZED', '签名无效');
    }
  };
  /** After the signature: a fresh timestamp, and a nonce not used before with another body. */
  const checkFresh = async (q: z.infer<typeof Query>, body: string) => {
    const skew = Math.abs(now().getTime() / 1000 - Number(q.timestamp));
    if (!(skew <= MAX_CLOCK_SKEW_SECONDS)) throw new ApiError('UNAUTHORIZED', '请求已过期（timestamp 与服务器时间相差超过5分钟）');
    const id = `${q.timestamp}:${q.nonce}`;
    const digest = createHash('sha256').update(body).digest('base64url');
    const newBody = await opts.nonces.markSeen('wechat:nonce-body', `${id}:${digest}`, NONCE_TTL_SECONDS);
    const newNonce = await opts.nonces.markSeen('wechat:nonce', id, NONCE_TTL_SECONDS);
    if (!newNonce && newBody) {
      await opts.nonces.forgetSeen('wechat:nonce-body', `${id}:${digest}`).catch(() => undefined);
      opts.log?.warn({}, 'wechat push refused: nonce reused with another body (replay)');
      throw new ApiError('UNAUTHORIZED', '请求重复（nonce 已使用）');
    }
  };

  app.get('/webhooks/wechat', async (req, reply) => {
    const q = parseQuery(req.query);
    checkSignature(q);
    await checkFresh(q, '');
    if (!q.echostr) throw new ApiError('BAD_REQUEST', '缺少 echostr');
    return reply.type('text/plain; charset=utf-8').send(q.echostr);
  });

  app.post('/webhooks/wechat', async (req, reply) => {
    const q = parseQuery(req.query);
    const safe = q.encrypt_type === 'aes';
    // Safe mode signs the body (msg_signature, checked below); the plain signature is checked when sent.
    if (!safe || q.signature) checkSignature(q);
    if (typeof req.body !== 'string') throw new ApiError('BAD_REQUEST', '消息应为 XML');
    let xml = req.body;
    if (safe) {
      if (!crypto) throw new ApiError('BAD_REQUEST', '未配置安全模式（WECHAT_ENCODING_AES_KEY, WECHAT_APP_ID）');
      const env = EncryptedEnvelopeSchema.safeParse(parseXmlRoot(req.body));
      if (!env.success) throw new ApiError('BAD_REQUEST', '消息应为加密 XML');
      if (!signatureMatches(crypto.msgSignature(q.timestamp, q.nonce, env.data.Encrypt), q.msg_signature?.toLowerCase())) {
        throw new ApiError('UNAUTHORIZED', '消息签名无效');
      }
      try {
        xml = crypto.decrypt(env.data.Encrypt);
      } catch {
        throw new ApiError('BAD_REQUEST', '无法解密消息');
      }
    }
    await checkFresh(q, req.body);
    const msg = parseWechatMessage(xml);
    if (!msg) throw new ApiError('BAD_REQUEST', '消息 XML 不符合要求');
    const answer = await answerFor(msg);
    if (answer === FAILED) {
      // Nothing was handled (the engine forgot the message): WeChat retries on a non-200.
      reply.header('retry-after', '5');
      throw new ApiError('UNAVAILABLE');
    }
    return send(reply, msg, answer, safe);
  });

  function send(reply: FastifyReply, msg: WechatMessage, text: string | null, safe: boolean) {
    if (!text) return reply.type('text/plain; charset=utf-8').send('success');
    const body = textReplyXml(msg, text, now());
    if (!safe || !crypto) return reply.type('application/xml; charset=utf-8').send(body);
    const ts = String(Math.floor(now().getTime() / 1000));
    const nonce = randomBytes(8).toString('hex');
    const enc = crypto.encrypt(body);
    return reply.type('application/xml; charset=utf-8').send(encryptedReplyXml(enc, crypto.msgSignature(ts, nonce, enc), ts, nonce));
  }

  /** The passive reply text, null for `success`, FAILED when the turn failed. */
  async function answerFor(msg: WechatMessage): Promise<Outcome> {
    // CreateTime (seconds) is WeChat's; the turn is dated by our clock, like every other channel.
    const receivedAt = now();
    const type = msg.MsgType.toLowerCase();
    if (type === 'event') {
      const event = (msg.Event ?? '').toLowerCase();
      if (event !== 'subscribe') return null;
      // The welcome menu comes from the engine so that a bare "1" then picks its first option.
      return runOnce(`event:${msg.FromUserName}:${msg.CreateTime}`, msg, { text: '你好', receivedAt });
    }
    if (type === 'text' && msg.Content && msg.Content.trim()) {
      return runOnce(msgKey(msg), msg, { text: msg.Content, receivedAt });
    }
    if (type === 'voice' && msg.Recognition && msg.Recognition.trim()) {
      const heard = msg.Recognition.trim();
      return runOnce(msgKey(msg), msg, { text: heard, receivedAt, prefix: `您说的是：“${heard}”` });
    }
    return UNSUPPORTED_MESSAGE_TEXT;
  }

  /** A message is its sender's MsgId: another openid with the same MsgId is another message. */
  function msgKey(msg: WechatMessage): string {
    return `${msg.FromUserName}:${msg.MsgId ?? `t${msg.CreateTime}`}`;
  }

  async function runOnce(key: string, msg: WechatMessage, input: TurnInput): Promise<Outcome> {
    let turn = turns.get(key);
    if (!turn) {
      turn = startTurn(key, msg, input, 0);
    } else if (turn.settled) {
      // A retry after the turn finished: repeat a passive answer WeChat evidently did not get.
      return turn.delivered === 'passive' ? turn.text : null;
    }
    const t = turn;
    // A deadline of 0 never waits: every answer goes as a customer-service message.
    if (deadline <= 0) return null;
    return new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => {
        if (t.waiter === take) t.waiter = null;
        resolve(null);
      }, deadline);
      const take = (outcome: Outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
      // A retry replaces the earlier request, which has answered `success` by then.
      t.waiter = take;
    });
  }

  /** Starts the engine's turn for a message; its outcome settles the Turn. */
  function startTurn(key: string, msg: WechatMessage, input: TurnInput, attempt: number): Turn {
    const created: Turn = { waiter: null, settled: false, text: null, delivered: null };
    turns.set(key, created);
    void opts.engine
      .handle({ channel: 'wechat', userId: msg.FromUserName, text: input.text, messageId: key, receivedAt: input.receivedAt })
      .then(
        (r): Outcome => (r.duplicate ? null : [input.prefix, repliesToText(r.replies)].filter(Boolean).join('\n') || null),
        (err: unknown): Outcome => {
          opts.log?.warn({ err: err instanceof Error ? err.message : String(err), attempt }, 'wechat turn failed');
          // Forget the turn so that WeChat's retry is handled afresh (the engine forgot the id too).
          if (turns.get(key) === created) turns.delete(key);
          return FAILED;
        },
      )
      .then((outcome) => settle(key, created, msg, input, attempt, outcome));
    return created;
  }

  function settle(key: string, turn: Turn, msg: WechatMessage, input: TurnInput, attempt: number, outcome: Outcome): void {
    const openId = msg.FromUserName;
    if (outcome === FAILED) {
      // A request waiting for the turn answers 503: WeChat retries the push (at most three times).
      turn.waiter?.(FAILED);
      turn.waiter = null;
      // And this gateway tries again too, a few times with growing pauses, in case WeChat has stopped
      // retrying or was told `success` already (the turn outlasted the deadline): whichever comes
      // first handles the message (the engine's dedupe keeps it to one turn); an answer nobody waits
      // for goes as a customer-service message. Not durable: a restart in between loses it (logged).
      if (attempt >= LATE_RETRY_DELAYS_MS.length) {
        opts.log?.warn({ openId: maskPersonalData(openId) }, 'wechat message not handled after retries');
        return;
      }
      const timer = setTimeout(() => {
        if (!turns.has(key)) startTurn(key, msg, input, attempt + 1);
      }, LATE_RETRY_DELAYS_MS[attempt]!);
      timer.unref?.();
      return;
    }
    const text = outcome;
    turn.settled = true;
    turn.text = text;
    const keep = setTimeout(() => {
      if (turns.get(key) === turn) turns.delete(key);
    }, KEEP_ANSWER_MS);
    keep.unref?.();
    if (!text) {
      turn.waiter?.(null);
      turn.waiter = null;
      return;
    }
    if (turn.waiter && Buffer.byteLength(text) <= MAX_PASSIVE_BYTES) {
      turn.delivered = 'passive';
      turn.waiter(text);
      turn.waiter = null;
      return;
    }
    turn.waiter?.(null);
    turn.waiter = null;
    turn.delivered = 'async';
    if (!opts.client) {
      opts.log?.warn({ openId: maskPersonalData(openId) }, 'late WeChat answer not sent: no customer-service client (WECHAT_APP_SECRET)');
      return;
    }
    opts.client.sendText(openId, text).catch((err: unknown) => {
      opts.log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'customer-service message failed');
    });
  }
};
