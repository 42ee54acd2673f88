/** Configuration from environment variables, validated once at start-up (see README, 配置). */
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
  /** Set when a reverse proxy (nginx) sits in front: client IPs are then read from X-Forwarded-For. */
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0', ''])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
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
  SMS_WEBHOOK_TOKEN: optional,
  WECHATY_PUPPET: optional,
});

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parseEnv(ConfigSchema, env);
}

/** Today as YYYY-MM-DD in China time, or the configured TODAY. */
export function todayOf(config: Pick<Config, 'TODAY'>, now: Date = new Date()): string {
  if (config.TODAY) return config.TODAY;
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
