/**
 * WeChat Official Account signatures and safe mode (AES), as in Tencent's WXBizMsgCrypt:
 * signature = sha1(sorted token, timestamp, nonce[, Encrypt]); AES-256-CBC with key =
 * base64(EncodingAESKey + "="), IV = first 16 bytes of the key, PKCS#7 padding to 32-byte blocks;
 * plaintext = 16 random bytes + 4-byte big-endian length + XML + appid.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function sha1Signature(...parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

/** Constant-time comparison of two hex signatures. */
export function signatureMatches(expected: string, given: string | undefined): boolean {
  if (!given || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(given));
}

export class WechatCryptoError extends Error {}

export class WechatCrypto {
  private readonly key: Buffer;
  private readonly iv: Buffer;

  constructor(
    private readonly token: string,
    encodingAESKey: string,
    private readonly appId: string,
  ) {
    if (encodingAESKey.length !== 43) throw new WechatCryptoError('EncodingAESKey must be 43 characters');
    this.key = Buffer.from(`${encodingAESKey}=`, 'base64');
    if (this.key.length !== 32) throw new WechatCryptoError('EncodingAESKey does not decode to 32 bytes');
    this.iv = this.key.subarray(0, 16);
  }

  msgSignature(timestamp: string, nonce: string, encrypt: string): string {
    return sha1Signature(this.token, timestamp, nonce, encrypt);
  }

  /** The inner XML of an `Encrypt` value; throws on bad padding, length or a foreign appid. */
  decrypt(encrypt: string): string {
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-cbc', this.key, this.iv);
      decipher.setAutoPadding(false);
      plain = Buffer.concat([decipher.update(Buffer.from(encrypt, 'base64')), decipher.final()]);
    } catch {
      throw new WechatCryptoError('cannot decrypt');
    }
    const pad = plain.length > 0 ? plain[plain.length - 1]! : 0;
    if (pad < 1 || pad > 32 || pad > plain.length) throw new WechatCryptoError('bad padding');
    const body = plain.subarray(0, plain.length - pad);
    if (body.length < 20) throw new WechatCryptoError('too short');
    const len = body.readUInt32BE(16);
    if (20 + len > body.length) throw new WechatCryptoError('bad length');
    const xml = body.subarray(20, 20 + len).toString('utf8');
    const appId = body.subarray(20 + len).toString('utf8');
    if (appId !== this.appId) throw new WechatCryptoError('appid mismatch');
    return xml;
  }

  encrypt(xml: string, random: Buffer = randomBytes(16)): string {
    const msg = Buffer.from(xml, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(msg.length, 0);
    const body = Buffer.concat([random, len, msg, Buffer.from(this.appId, 'utf8')]);
    const pad = 32 - (body.length % 32);
    const padded = Buffer.concat([body, Buffer.alloc(pad, pad)]);
    const cipher = createCipheriv('aes-256-cbc', this.key, this.iv);
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
  }
}
