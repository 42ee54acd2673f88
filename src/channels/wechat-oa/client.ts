/**
 * Outbound client of the Official Account API: access token (cached until shortly before it expires,
 * one refresh at a time) and the customer-service text message, used when a passive reply would be
 * late and for staff replies. HTTP goes through `HttpJson`, which tests point at a local fake server.
 */
import { z } from 'zod';
import { Undeliverable, type Outbound } from '../../complaints/notifier.js';

export interface HttpJson {
  request(method: 'GET' | 'POST', url: string, body?: unknown): Promise<unknown>;
}

/** fetch-based HTTP with a timeout. */
export function fetchHttp(timeoutMs = 5_000): HttpJson {
  return {
    async request(method, url, body) {
      const res = await fetch(url, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status} from ${new URL(url).pathname}`);
      return res.json();
    },
  };
}

const TokenResponse = z.union([
  z.object({ access_token: z.string().min(1), expires_in: z.number().positive() }),
  z.object({ errcode: z.number(), errmsg: z.string().optional() }),
]);
const ErrResponse = z.object({ errcode: z.number().default(0), errmsg: z.string().optional() });

/** errcodes meaning the token is no longer valid: fetch a new one and try once more. */
const TOKEN_INVALID = new Set([40001, 40014, 42001]);

/** Customer-service messages accept at most 2048 bytes of content. */
const MAX_CONTENT_BYTES = 2000;

export interface WechatClientOptions {
  appId: string;
  appSecret: string;
  http?: HttpJson;
  baseUrl?: string;
  now?: () => number;
}

export class WechatApiError extends Error {
  constructor(
    readonly errcode: number,
    errmsg: string | undefined,
  ) {
    super(`WeChat API error ${errcode}: ${errmsg ?? ''}`);
  }
}

export class WechatClient {
  private token: { value: string; expiresAt: number } | null = null;
  private refreshing: Promise<string> | null = null;
  private readonly http: HttpJson;
  private readonly baseUrl: string;
  private readonly now: () => number;

  constructor(private readonly opts: WechatClientOptions) {
    this.http = opts.http ?? fetchHttp();
    this.baseUrl = (opts.baseUrl ?? 'https://api.weixin.qq.com').replace(/\/$/, '');
    this.now = opts.now ?? Date.now;
  }

  async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > this.now()) return this.token.value;
    this.refreshing ??= this.fetchToken().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async fetchToken(): Promise<string> {
    const q = new URLSearchParams({ grant_type: 'client_credential', appid: this.opts.appId, secret: this.opts.appSecret });
    const parsed = TokenResponse.parse(await this.http.request('GET', `${this.baseUrl}/cgi-bin/token?${q}`));
    if (!('access_token' in parsed)) throw new WechatApiError(parsed.errcode, parsed.errmsg);
    // Refresh five minutes early (tokens last 7200 s).
    this.token = { value: parsed.access_token, expiresAt: this.now() + Math.max(60, parsed.expires_in - 300) * 1000 };
    return parsed.access_token;
  }

  /** Sends a text through the customer-service message API; long texts go as several messages. */
  async sendText(openId: string, text: string): Promise<void> {
    for (const part of splitByBytes(text, MAX_CONTENT_BYTES)) await this.sendOne(openId, part, true);
  }

  private async sendOne(openId: string, content: string, retry: boolean): Promise<void> {
    await this.post('/cgi-bin/message/custom/send', { touser: openId, msgtype: 'text', text: { content } }, retry);
  }

  /**
   * Sends a template message (template chosen in the OA admin console): reaches a follower outside
   * the 48-hour window of customer-service messages. `data` maps the template's fields to values.
   */
  async sendTemplate(openId: string, templateId: string, data: Record<string, string>, url?: string): Promise<void> {
    const fields = Object.fromEntries(Object.entries(data).map(([k, value]) => [k, { value }]));
    await this.post('/cgi-bin/message/template/send', { touser: openId, template_id: templateId, ...(url ? { url } : {}), data: fields }, true);
  }

  private async post(path: string, body: unknown, retry: boolean): Promise<void> {
    const token = await this.accessToken();
    const res = ErrResponse.parse(await this.http.request('POST', `${this.baseUrl}${path}?access_token=${encodeURIComponent(token)}`, body));
    if (res.errcode === 0) return;
    if (retry && TOKEN_INVALID.has(res.errcode)) {
      this.token = null;
      return this.post(path, body, false);
    }
    throw new WechatApiError(res.errcode, res.errmsg);
  }
}

/** Splits at line ends where possible so that every part is at most `maxBytes` of UTF-8. */
export function splitByBytes(text: string, maxBytes: number): string[] {
  const parts: string[] = [];
  let current = '';
  for (const ch of Array.from(text)) {
    if (Buffer.byteLength(current + ch) > maxBytes) {
      const cut = current.lastIndexOf('\n');
      if (cut > current.length / 2) {
        parts.push(current.slice(0, cut));
        current = current.slice(cut + 1);
      } else {
        parts.push(current);
        current = '';
      }
    }
    current += ch;
  }
  if (current.trim()) parts.push(current);
  return parts;
}

/** errcodes of a customer-service message that no retry can fix, with what they mean for staff. */
const UNDELIVERABLE: ReadonlyMap<number, string> = new Map([
  [45015, '用户超过48小时未与公众号互动，微信不允许再发客服消息'],
  [43004, '用户已取消关注公众号'],
  [43019, '用户已被公众号拉黑'],
  [40003, '微信用户标识无效'],
  [43101, '用户拒收订阅通知'],
  [40037, '模板消息的模板ID无效'],
]);

/** errcodes of a message that no retry can fix, with what they mean for staff (also for template messages). */
export function undeliverableReason(err: unknown): string | undefined {
  return err instanceof WechatApiError ? UNDELIVERABLE.get(err.errcode) : undefined;
}

/** Staff replies and status notices to Official Account users (channel 'wechat'). */
export function wechatOutbound(client: WechatClient): Outbound {
  return {
    async send(_channel, userId, text) {
      try {
        await client.sendText(userId, text);
      } catch (err) {
        const reason = err instanceof WechatApiError ? UNDELIVERABLE.get(err.errcode) : undefined;
        throw reason ? new Undeliverable(reason) : err;
      }
    },
  };
}
