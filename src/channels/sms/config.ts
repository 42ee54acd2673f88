/** SMS settings beyond SMS_WEBHOOK_TOKEN, read from the environment with zod (see the report / README). */
import { z } from 'zod';
import { optionalEnv, parseEnv } from '../../server/config.js';
import { loggingSmsSender, buildAliyunSendSms, buildTencentSendSms, httpSmsSender, type SmsSender } from './senders.js';

const opt = optionalEnv;

const SmsEnv = z.object({
  SMS_SIGN_NAME: z.string().trim().min(1).max(20).default('平顶山人社'),
  /** Template text with the variable `${content}` (Aliyun) or `{1}` (Tencent). */
  SMS_TEMPLATE: z.string().min(1).max(200).default('${content}'),
  /** Segments one reply may use before "回复1看下一条" (1–7; 7 × 67 = 469 ≤ 500). */
  SMS_MAX_SEGMENTS: z.coerce.number().int().min(1).max(7).default(3),
  SMS_PROVIDER: z.enum(['log', 'aliyun', 'tencent']).default('log'),
  /** Comma-separated source addresses allowed to call the uplink webhooks (empty: any). */
  SMS_WEBHOOK_ALLOW_IPS: opt,
  ALIYUN_ACCESS_KEY_ID: opt,
  ALIYUN_ACCESS_KEY_SECRET: opt,
  SMS_TEMPLATE_CODE: opt,
  TENCENTCLOUD_SECRET_ID: opt,
  TENCENTCLOUD_SECRET_KEY: opt,
  TENCENT_SMS_SDK_APP_ID: opt,
  TENCENT_SMS_TEMPLATE_ID: opt,
});
export type SmsSettings = z.infer<typeof SmsEnv>;

export function loadSmsSettings(env: NodeJS.ProcessEnv = process.env): SmsSettings {
  return parseEnv(SmsEnv, env, 'SMS configuration');
}

export function allowList(s: SmsSettings): string[] | null {
  const ips = (s.SMS_WEBHOOK_ALLOW_IPS ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  return ips.length > 0 ? ips : null;
}

/** The configured provider's sender; the logging sender when no provider (or its keys) is configured. */
export function senderFromSettings(s: SmsSettings, log: { info(o: object, m?: string): void; warn(o: object, m?: string): void }): SmsSender {
  if (s.SMS_PROVIDER === 'aliyun') {
    if (s.ALIYUN_ACCESS_KEY_ID && s.ALIYUN_ACCESS_KEY_SECRET && s.SMS_TEMPLATE_CODE) {
      const cfg = { accessKeyId: s.ALIYUN_ACCESS_KEY_ID, accessKeySecret: s.ALIYUN_ACCESS_KEY_SECRET, signName: s.SMS_SIGN_NAME, templateCode: s.SMS_TEMPLATE_CODE };
      return httpSmsSender((p, c) => buildAliyunSendSms(cfg, p, c));
    }
    log.warn({}, 'SMS_PROVIDER=aliyun without ALIYUN_ACCESS_KEY_ID/SECRET and SMS_TEMPLATE_CODE: logging only');
  }
  if (s.SMS_PROVIDER === 'tencent') {
    if (s.TENCENTCLOUD_SECRET_ID && s.TENCENTCLOUD_SECRET_KEY && s.TENCENT_SMS_SDK_APP_ID && s.TENCENT_SMS_TEMPLATE_ID) {
      const cfg = {
        secretId: s.TENCENTCLOUD_SECRET_ID,
        secretKey: s.TENCENTCLOUD_SECRET_KEY,
        sdkAppId: s.TENCENT_SMS_SDK_APP_ID,
        signName: s.SMS_SIGN_NAME,
        templateId: s.TENCENT_SMS_TEMPLATE_ID,
      };
      return httpSmsSender((p, c) => buildTencentSendSms(cfg, p, c));
    }
    log.warn({}, 'SMS_PROVIDER=tencent without its keys: logging only');
  }
  return loggingSmsSender(log);
}
