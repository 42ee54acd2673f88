/**
 * Inbound XML of the Official Account push, parsed with every value kept as a string (MsgId exceeds
 * 2^53; Content "123" stays "123"), validated with zod; and the passive reply XML.
 */
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';

const parser = new XMLParser({
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreAttributes: true,
  processEntities: false,
  trimValues: false,
  isArray: () => false,
});

const str = (max: number) => z.string().max(max);

/** Fields the adapter reads; others are ignored. */
export const WechatMessageSchema = z.object({
  ToUserName: str(128).min(1),
  FromUserName: str(128).min(1),
  CreateTime: z.string().regex(/^\d{1,12}$/),
  MsgType: z.string().min(1).max(32),
  Content: str(4000).optional(),
  MsgId: z.string().regex(/^\d{1,32}$/).optional(),
  Recognition: str(4000).optional(),
  Event: str(64).optional(),
  EventKey: str(512).optional(),
  MediaId: str(256).optional(),
});
export type WechatMessage = z.infer<typeof WechatMessageSchema>;

export const EncryptedEnvelopeSchema = z.object({
  Encrypt: z.string().min(1).max(60_000),
  ToUserName: z.string().max(128).optional(),
});

/** The `<xml>` root as an object of strings, or null when the body is not such an XML document. */
export function parseXmlRoot(body: string): Record<string, unknown> | null {
  if (!body || !/^\s*<xml[\s>]/.test(body)) return null;
  let doc: unknown;
  try {
    doc = parser.parse(body, true);
  } catch {
    return null;
  }
  if (!doc || typeof doc !== 'object') return null;
  const root = (doc as Record<string, unknown>).xml;
  if (!root || typeof root !== 'object' || Array.isArray(root)) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(root)) out[k] = typeof v === 'string' ? v.trim() : v;
  return out;
}

export function parseWechatMessage(body: string): WechatMessage | null {
  const root = parseXmlRoot(body);
  if (!root) return null;
  const parsed = WechatMessageSchema.safeParse(root);
  return parsed.success ? parsed.data : null;
}

/** CDATA that cannot be closed early by the content. */
export function cdata(value: string): string {
  return `<![CDATA[${value.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

/** Passive text reply: To/From swapped relative to the inbound message. */
export function textReplyXml(inbound: Pick<WechatMessage, 'ToUserName' | 'FromUserName'>, content: string, now: Date): string {
  return (
    `<xml><ToUserName>${cdata(inbound.FromUserName)}</ToUserName><FromUserName>${cdata(inbound.ToUserName)}</FromUserName>` +
    `<CreateTime>${Math.floor(now.getTime() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
    `<Content>${cdata(content)}</Content></xml>`
  );
}

export function encryptedReplyXml(encrypt: string, signature: string, timestamp: string, nonce: string): string {
  return (
    `<xml><Encrypt>${cdata(encrypt)}</Encrypt><MsgSignature>${cdata(signature)}</MsgSignature>` +
    `<TimeStamp>${timestamp}</TimeStamp><Nonce>${cdata(nonce)}</Nonce></xml>`
  );
}
