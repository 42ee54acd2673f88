/**
 * Hostile input, property-based (fast-check), through the real app with inject: random and hostile
 * bodies (huge, binary, emoji, control characters, lone surrogates, mixed scripts, JSON of the wrong
 * types, prototype pollution, wrong content types) at POST /api/chat and the webhooks that are
 * registered (WeChat OA with valid and invalid signatures, SMS uplinks of Aliyun and Tencent).
 * Properties: never a 5xx, every error in the `{error:{code,message}}` format, and a refused request
 * stores nothing (the session tables do not change).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha1Signature } from '../../src/channels/wechat-oa/crypto.js';
import { DB_FILE_NAME } from '../../src/storage/create-stores.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

const RUNS = { chat: 10_000, wechat: 2500, aliyun: 2000, tencent: 1500 };
const WECHAT_TOKEN = 'fuzz-wechat-token';
const SMS_TOKEN = 'fuzz-sms-token';

let t: TestApp;
let db: Database.Database;
const tally = { requests: 0, ok: 0, refused: 0, byStatus: new Map<number, number>() };

beforeAll(async () => {
  t = await createTestApp({ WECHAT_TOKEN, SMS_WEBHOOK_TOKEN: SMS_TOKEN, RATE_LIMIT_PER_MINUTE: '100000' });
  db = new Database(join(t.dataDir, DB_FILE_NAME), { readonly: true, fileMustExist: true });
}, 60_000);
afterAll(async () => {
  db?.close();
  await t?.close();
  console.log(
    `fuzz: ${tally.requests} requests (${Object.entries(RUNS).map(([k, v]) => `${k} ${v}`).join(', ')}), 2xx ${tally.ok}, refused 4xx ${tally.refused}; ` +
      `statuses ${[...tally.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`,
  );
});

/** Rows of the session tables (values, dedupe marks, rate counters): what a request could leave. */
function stored(): number {
  const n = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return n('session_values') + n('session_seen') + n('session_hits');
}

const registered = (method: 'GET' | 'POST', url: string): boolean => t.app.hasRoute({ method, url });

const HOSTILE = [
  '\u0000', '\u0007', '\u001b[31m', '\u202e', '\ufeff', '\ud800', '\udfff', '\uffff', '👨‍👩‍👧‍👦', '🧧💰', '﷽', 'Z̤͔ͧ̑̓',
  '<script>alert(1)</script>', "'; DROP TABLE session_values;--", '{{7*7}}', '${process.exit(1)}', '__proto__', 'constructor',
  '13837512345', '410402199001011234', 'QX261124-ABCD', '查询 QX261124-ABCD', '对', '确认', '重新开始', '老板欠我3个月工资', '1',
  'العربية', 'русский', '한국어', 'ｆｕｌｌｗｉｄｔｈ', '\r\n', '\t', '   ', '%00', '..\\..\\etc/passwd', '1e309', 'NaN', ']]>', '<![CDATA[',
  '&amp;', '&#0;',
];
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', maxLength: 8 })), { maxLength: 30 }).map((a) => a.join('')),
  fc.constantFrom(...HOSTILE),
  fc.integer({ min: 1000, max: 80_000 }).map((n) => '欠'.repeat(n)),
);
const wrongType = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 2 }));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 3 });

type Payload = { contentType: string | undefined; body: string | Buffer };
const asJson = (value: unknown): Payload => ({ contentType: 'application/json', body: JSON.stringify(value) ?? 'null' });
const rawBodies: fc.Arbitrary<Payload> = fc.oneof(
  fc.uint8Array({ maxLength: 2000 }).map((b) => ({ contentType: 'application/json', body: Buffer.from(b) })),
  fc.record({
    contentType: fc.constantFrom(undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream', 'application/json; charset=gbk', 'image/png'),
    body: fc.oneof(text, fc.uint8Array({ maxLength: 500 }).map((b) => Buffer.from(b))),
  }),
  fc.constantFrom(
    '{"__proto__":{"polluted":1},"userId":"p","text":"你好"}',
    '{"constructor":{"prototype":{"polluted":1}},"userId":"p2","text":"你好"}',
    '{"userId":"a","text":"b"',
    '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]',
    '{"userId":"' + 'a'.repeat(70_000) + '"}',
    '\u0000\u0000',
    '',
  ).map((body) => ({ contentType: 'application/json', body })),
  fc.anything({ maxDepth: 3 }).map(asJson),
);

function check(status: number, body: string, before: number, where: string): void {
  tally.requests++;
  tally.byStatus.set(status, (tally.byStatus.get(status) ?? 0) + 1);
  expect(status, `${where}: ${body.slice(0, 300)}`).toBeLessThan(500);
  if (status >= 400) {
    tally.refused++;
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    expect(typeof parsed.error?.code, body.slice(0, 300)).toBe('string');
    expect(typeof parsed.error?.message).toBe('string');
    expect(stored(), `${where}: a refused request stored something`).toBe(before);
  } else {
    tally.ok++;
  }
}

describe('POST /api/chat under hostile input', () => {
  it(`never fails, answers errors in the format, stores nothing when refusing (${RUNS.chat} runs)`, async () => {
    // Well-typed bodies with hostile content (these reach the engine), mixed types, raw bodies.
    const shortText = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom(...HOSTILE), fc.string({ unit: 'grapheme', maxLength: 60 }));
    const wellTyped = fc
      .record({ userId: fc.oneof(fc.uuid(), shortText), text: shortText, messageId: maybe(fc.string({ minLength: 1, maxLength: 20 })) })
      .map((r) => asJson(Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined))));
    const chatBody: fc.Arbitrary<Payload> = fc.oneof(
      { arbitrary: wellTyped, weight: 3 },
      fc
        .record({
          userId: fc.oneof(text, wrongType, fc.uuid()),
          text: fc.oneof(text, text, wrongType),
          channel: maybe(fc.oneof(fc.constantFrom('web', 'sms', 'wechat', 'WEB', ''), wrongType)),
          messageId: maybe(fc.oneof(fc.string({ maxLength: 200 }), wrongType)),
          extra: maybe(fc.anything({ maxDepth: 2 })),
        })
        .map((r) => asJson(Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)))),
      { arbitrary: rawBodies, weight: 1 },
    );
    const polluted = ({} as Record<string, unknown>).polluted;
    await fc.assert(
      fc.asyncProperty(chatBody, async (p) => {
        const before = stored();
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/chat',
          headers: p.contentType ? { 'content-type': p.contentType } : {},
          payload: p.body,
        });
        check(res.statusCode, res.body, before, 'chat');
        if (res.statusCode === 200) expect(Array.isArray((res.json() as { replies: unknown }).replies)).toBe(true);
      }),
      { numRuns: RUNS.chat },
    );
    expect(({} as Record<string, unknown>).polluted).toBe(polluted);
  }, 600_000);
});

describe('webhooks under hostile input (those registered)', () => {
  it(`POST /webhooks/wechat, signed and unsigned, with hostile XML (${RUNS.wechat} runs)`, async (ctx) => {
    if (!registered('POST', '/webhooks/wechat')) return ctx.skip();
    const field = fc.oneof(text, fc.constantFrom('text', 'event', 'image', 'voice', 'subscribe', ''));
    const xml = fc.oneof(
      fc
        .record({ to: field, from: field, time: fc.oneof(fc.integer().map(String), text), type: field, content: text, id: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String), text), event: maybe(field) })
        .map(
          (r) =>
            `<xml><ToUserName><![CDATA[${r.to}]]></ToUserName><FromUserName><![CDATA[${r.from}]]></FromUserName>` +
            `<CreateTime>${r.time}</CreateTime><MsgType><![CDATA[${r.type}]]></MsgType><Content><![CDATA[${r.content}]]></Content>` +
            `${r.event !== undefined ? `<Event>${r.event}</Event>` : ''}<MsgId>${r.id}</MsgId></xml>`,
        ),
      fc.constantFrom('<xml>', '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]><xml><Content>&b;</Content></xml>', '<xml><xml><xml></xml></xml></xml>', ''),
      text,
    );
    const query = fc.record({
      signed: fc.boolean(),
      timestamp: fc.oneof(fc.integer({ min: 0, max: 2 ** 31 }).map(String), text),
      nonce: fc.oneof(fc.string({ minLength: 1, maxLength: 16 }), text),
      encrypt_type: maybe(fc.constantFrom('raw', 'aes', 'rot13')),
    });
    await fc.assert(
      fc.asyncProperty(query, xml, fc.constantFrom('text/xml', 'application/json', undefined), async (q, body, contentType) => {
        const params = new URLSearchParams({ timestamp: q.timestamp, nonce: q.nonce });
        params.set('signature', q.signed ? sha1Signature(WECHAT_TOKEN, q.timestamp, q.nonce) : 'f'.repeat(40));
        if (q.encrypt_type) params.set('encrypt_type', q.encrypt_type);
        const before = stored();
        const res = await t.app.inject({
          method: 'POST',
          url: `/webhooks/wechat?${params}`,
          headers: contentType ? { 'content-type': contentType } : {},
          payload: body,
        });
        check(res.statusCode, res.body, before, 'wechat');
      }),
      { numRuns: RUNS.wechat },
    );
  }, 600_000);

  const smsItem = fc.record({
    phone_number: fc.oneof(fc.constantFrom('13837512345', '+8613837512345', '1381111****'), text, wrongType),
    content: fc.oneof(text, wrongType),
    sequence_id: fc.oneof(fc.nat(), fc.string({ minLength: 1, maxLength: 70 }), wrongType),
    send_time: maybe(fc.oneof(text, wrongType)),
  });

  it(`POST /webhooks/sms/aliyun/<token> (${RUNS.aliyun} runs)`, async (ctx) => {
    if (!registered('POST', '/webhooks/sms/aliyun/:token')) return ctx.skip();
    const payload = fc.oneof(fc.array(smsItem, { minLength: 0, maxLength: 5 }).map(asJson), rawBodies);
    await fc.assert(
      fc.asyncProperty(payload, fc.constantFrom(SMS_TOKEN, SMS_TOKEN, 'wrong', '%00'), async (p, token) => {
        const before = stored();
        const res = await t.app.inject({
          method: 'POST',
          url: `/webhooks/sms/aliyun/${token}`,
          headers: p.contentType ? { 'content-type': p.contentType } : {},
          payload: p.body,
        });
        check(res.statusCode, res.body, before, 'sms/aliyun');
      }),
      { numRuns: RUNS.aliyun },
    );
  }, 600_000);

  it(`POST /webhooks/sms/tencent/<token> (${RUNS.tencent} runs)`, async (ctx) => {
    if (!registered('POST', '/webhooks/sms/tencent/:token')) return ctx.skip();
    const payload = fc.oneof(
      fc
        .record({ mobile: fc.oneof(fc.constantFrom('13837512345', '008613837512345'), text, wrongType), nationcode: maybe(fc.oneof(fc.constantFrom('86', '1'), text)), text: fc.oneof(text, wrongType), time: fc.oneof(fc.nat(), wrongType) })
        .map(asJson),
      rawBodies,
    );
    await fc.assert(
      fc.asyncProperty(payload, async (p) => {
        const before = stored();
        const res = await t.app.inject({
          method: 'POST',
          url: `/webhooks/sms/tencent/${SMS_TOKEN}`,
          headers: p.contentType ? { 'content-type': p.contentType } : {},
          payload: p.body,
        });
        check(res.statusCode, res.body, before, 'sms/tencent');
      }),
      { numRuns: RUNS.tencent },
    );
  }, 600_000);
});
