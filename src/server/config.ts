/** Configuration from environment variables, validated once at start-up (see README, 配置). */
import { isIP } from 'node:net';
import { z } from 'zod';

/** An optional variable; set but empty counts as absent. */
export const optionalEnv = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();
const optional = optionalEnv;

/** Validates the environment against a schema; an error names every offending variable. */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv, what = 'configuration'): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`配置有误 (invalid ${what}):\n${lines.join('\n')}`);
  }
  return parsed.data;
}

const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /**
   * Which reverse proxies to believe about the client address (X-Forwarded-For): `false` (default,
   * none), a number of proxy hops counted from this server (`1` for one nginx; `true` means 1), or a
   * comma-separated list of the proxies' addresses / CIDR ranges. Never "trust everything": the
   * left-most X-Forwarded-For entry is whatever the client wrote.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .default('false')
    .transform((v, ctx): TrustProxy => {
      const lower = v.toLowerCase();
      if (lower === '' || lower === 'false' || lower === '0') return false;
      if (lower === 'true') return 1;
      if (/^\d+$/.test(v)) {
        const hops = Number(v);
        if (hops >= 1 && hops <= 10) return hops;
      }
      const list = v.split(',').map((x) => x.trim()).filter(Boolean);
      if (list.length > 0 && list.every(isAddressOrRange)) return list;
      ctx.addIssue({ code: 'custom', message: 'TRUST_PROXY 应为 false、代理层数（1–10）或代理地址列表（如 127.0.0.1,10.0.0.0/8）' });
      return z.NEVER;
    }),
  DATA_DIR: z.string().default('./data'),
  REDIS_URL: optional,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Sessions (unfinished forms, conversation context) expire after this many seconds without a message. */
  SESSION_TTL_SECONDS: z.coerce.number().int().positive().default(7 * 24 * 3600),
  /** The date the assistant treats as today (YYYY-MM-DD); defaults to the real date. For demos and tests. */
  TODAY: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'TODAY 应为 YYYY-MM-DD')
    .optional(),
  /** Monthly minimum wage (yuan) used by the internship subsidy when the user does not give one; the policy texts do not state it. */
  MIN_WAGE_MONTHLY: z.coerce.number().positive().optional(),
  /** Messages per sender per minute before the assistant asks them to slow down. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
  KNOWLEDGE_DIR: z.string().default('./knowledge'),
  INTENTS_DIR: z.string().default('./intents'),
  WECHAT_TOKEN: optional,
  WECHAT_APP_ID: optional,
  WECHAT_APP_SECRET: optional,
  WECHAT_ENCODING_AES_KEY: optional,
  /** Base URL of the WeChat API (default https://api.weixin.qq.com; a proxy, or a local stand-in in tests). */
  WECHAT_API_BASE: z.url({ protocol: /^https?$/, error: 'WECHAT_API_BASE 应为 http(s) 地址' }).optional(),
  /** Template of policy notices to Official Account followers (政策找人); unset: customer-service text (48-hour window only). */
  WECHAT_NOTICE_TEMPLATE_ID: optional,
  /** Where a notice's template message links to (optional), e.g. the web chat. */
  WECHAT_NOTICE_URL: z.url({ protocol: /^https?$/, error: 'WECHAT_NOTICE_URL 应为 http(s) 地址' }).optional(),
  /** China-time hours in which policy notices are held until the end (HH:MM-HH:MM, or off). */
  NOTICE_QUIET_HOURS: z
    .string()
    .trim()
    .regex(/^(off|([01]?\d|2[0-3]):[0-5]\d-([01]?\d|2[0-3]):[0-5]\d)$/, 'NOTICE_QUIET_HOURS 应为 HH:MM-HH:MM（中国时间）或 off')
    .default('21:00-08:00'),
  SMS_WEBHOOK_TOKEN: optional,
  WECHATY_PUPPET: optional,
  // Who runs the service, for the 关于本服务 and privacy pages (issue 19). The hours are not in the
  // policy texts: unset, the pages say to ask the hotline rather than guess.
  BUREAU_NAME: z.string().trim().min(1).default('平顶山市人力资源和社会保障局'),
  BUREAU_HOTLINE: z.string().trim().regex(/^[\d-]{3,20}$/, 'BUREAU_HOTLINE 应为电话号码，如 12333 或 0375-1234567').default('12333'),
  BUREAU_HOURS: optional,
  BUREAU_ADDRESS: optional,
  /** The web pages' public address (https://…), so SMS and WeChat can link the privacy page; unset, they name the hotline only. */
  PUBLIC_BASE_URL: optional.pipe(z.url({ protocol: /^https?$/, message: 'PUBLIC_BASE_URL 应为 http(s):// 地址' }).optional()),
  /** A closed complaint's personal data (name, phone, conversation) is deleted this many days after closing. */
  TICKET_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
});

export type Config = z.infer<typeof ConfigSchema>;

/** fastify's trustProxy: nothing, a hop count, or the proxies' addresses. */
export type TrustProxy = false | number | string[];

/** The setting as fastify takes it: a hop count becomes "trust the first n hops from this server". */
export function fastifyTrustProxy(tp: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof tp === 'number') return (_address, hop) => hop < tp;
  return tp;
}

function isAddressOrRange(v: string): boolean {
  const [addr, bits, extra] = v.split('/');
  if (extra !== undefined || !addr) return false;
  const family = isIP(addr);
  if (family === 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n >= 0 && n <= (family === 4 ? 32 : 128);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parseEnv(ConfigSchema, env);
}

/** Today as YYYY-MM-DD in China time, or the configured TODAY. */
export function todayOf(config: Pick<Config, 'TODAY'>, now: Date = new Date()): string {
  if (config.TODAY) return config.TODAY;
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
