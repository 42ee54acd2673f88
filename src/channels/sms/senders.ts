/**
 * Sending SMS: the `SmsSender` interface, a logging sender (the default: nothing leaves the machine),
 * and request builders for Aliyun (SendSms, RPC signature v1) and Tencent Cloud (SendSms 2021-01-11,
 * TC3-HMAC-SHA256), sent by `httpSmsSender` through a replaceable HTTP function.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { maskPersonalData } from '../../core/privacy.js';

export interface SmsSender {
  /** `content` is the template variable; signature and template are the sender's configuration. */
  send(phone: string, content: string): Promise<void>;
}

export function loggingSmsSender(log: { info(o: object, m?: string): void }): SmsSender {
  return {
    async send(phone, content) {
      log.info({ phone: maskPersonalData(phone), content: maskPersonalData(content) }, 'sms (logging only)');
    },
  };
}

export interface HttpRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface AliyunSmsConfig {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  templateCode: string;
  endpoint?: string;
}

const pe = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function buildAliyunSendSms(
  cfg: AliyunSmsConfig,
  phone: string,
  content: string,
  opts: { now?: Date; nonce?: string } = {},
): HttpRequest {
  const params: Record<string, string> = {
    AccessKeyId: cfg.accessKeyId,
    Action: 'SendSms',
    Format: 'JSON',
    PhoneNumbers: phone,
    RegionId: 'cn-hangzhou',
    SignName: cfg.signName,
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: opts.nonce ?? randomUUID(),
    SignatureVersion: '1.0',
    TemplateCode: cfg.templateCode,
    TemplateParam: JSON.stringify({ content }),
    Timestamp: (opts.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    Version: '2017-05-25',
  };
  const canonical = Object.keys(params)
    .sort()
    .map((k) => `${pe(k)}=${pe(params[k]!)}`)
    .join('&');
  const stringToSign = `POST&${pe('/')}&${pe(canonical)}`;
  const signature = createHmac('sha1', `${cfg.accessKeySecret}&`).update(stringToSign).digest('base64');
  return {
    method: 'POST',
    url: cfg.endpoint ?? 'https://dysmsapi.aliyuncs.com/',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `Signature=${pe(signature)}&${canonical}`,
  };
}

export interface TencentSmsConfig {
  secretId: string;
  secretKey: string;
  sdkAppId: string;
  signName: string;
  templateId: string;
  region?: string;
  endpoint?: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const hmac = (key: string | Buffer, s: string) => createHmac('sha256', key).update(s).digest();

export function buildTencentSendSms(cfg: TencentSmsConfig, phone: string, content: string, opts: { now?: Date } = {}): HttpRequest {
  const host = 'sms.tencentcloudapi.com';
  const now = opts.now ?? new Date();
  const timestamp = Math.floor(now.getTime() / 1000);
  const date = now.toISOString().slice(0, 10);
  const body = JSON.stringify({
    PhoneNumberSet: [phone.startsWith('+') ? phone : `+86${phone}`],
    SmsSdkAppId: cfg.sdkAppId,
    SignName: cfg.signName,
    TemplateId: cfg.templateId,
    TemplateParamSet: [content],
  });
  const contentType = 'application/json; charset=utf-8';
  const canonical = `POST\n/\n\ncontent-type:${contentType}\nhost:${host}\n\ncontent-type;host\n${sha256(body)}`;
  const scope = `${date}/sms/tc3_request`;
  const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${sha256(canonical)}`;
  const signing = hmac(hmac(hmac(`TC3${cfg.secretKey}`, date), 'sms'), 'tc3_request');
  const signature = createHmac('sha256', signing).update(stringToSign).digest('hex');
  return {
    method: 'POST',
    url: cfg.endpoint ?? `https://${host}/`,
    headers: {
      'content-type': contentType,
      host,
      authorization: `TC3-HMAC-SHA256 Credential=${cfg.secretId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`,
      'x-tc-action': 'SendSms',
      'x-tc-timestamp': String(timestamp),
      'x-tc-version': '2021-01-11',
      'x-tc-region': cfg.region ?? 'ap-guangzhou',
    },
    body,
  };
}

export type HttpSend = (req: HttpRequest) => Promise<{ status: number; body: string }>;

export const fetchSend: HttpSend = async (req) => {
  const { host: _host, ...headers } = req.headers;
  const res = await fetch(req.url, { method: req.method, headers, body: req.body, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: await res.text() };
};

/** Sends built requests; a non-200 status or a provider error code is an error (the caller retries). */
export function httpSmsSender(build: (phone: string, content: string) => HttpRequest, http: HttpSend = fetchSend): SmsSender {
  return {
    async send(phone, content) {
      const res = await http(build(phone, content));
      if (res.status !== 200) throw new Error(`SMS provider HTTP ${res.status}`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(res.body);
      } catch {
        throw new Error('SMS provider answered non-JSON');
      }
      const p = parsed as { Code?: string; Response?: { Error?: { Code?: string }; SendStatusSet?: { Code?: string }[] } };
      if (p.Code !== undefined && p.Code !== 'OK') throw new Error(`Aliyun SendSms ${p.Code}`);
      if (p.Response?.Error) throw new Error(`Tencent SendSms ${p.Response.Error.Code ?? 'error'}`);
      const status = p.Response?.SendStatusSet?.[0]?.Code;
      if (status !== undefined && status !== 'Ok') throw new Error(`Tencent SendSms ${status}`);
    },
  };
}
