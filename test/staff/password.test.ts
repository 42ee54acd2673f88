import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT_COST, hashPassword, needsRehash, verifyPassword } from '../../src/staff/password.js';
import { TEST_SCRYPT } from './helper.js';

describe('password hashing', () => {
  it('when hashed at the production cost, then the hash names scrypt and its parameters, and verifies', async () => {
    const hash = await hashPassword('欠薪投诉-2030');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('欠薪投诉-2030', hash)).toBe(true);
    expect(await verifyPassword('欠薪投诉-2031', hash)).toBe(false);
    expect(needsRehash(hash)).toBe(false);
  });

  it('when the same password is hashed twice, then the salts differ', async () => {
    expect(await hashPassword('same-password', TEST_SCRYPT)).not.toBe(await hashPassword('same-password', TEST_SCRYPT));
  });

  it('when a stored hash is malformed or weaker than today, then verification is false and a rehash is due', async () => {
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$abc$8$1$c2FsdA$a2V5')).toBe(false);
    expect(needsRehash(await hashPassword('x', TEST_SCRYPT))).toBe(true);
    expect(needsRehash('md5$whatever', DEFAULT_SCRYPT_COST)).toBe(true);
  });

  it('when the password is typed with full-width characters, then it matches its half-width form (NFKC)', async () => {
    const hash = await hashPassword('Abc123456', TEST_SCRYPT);
    expect(await verifyPassword('Ａｂｃ１２３４５６', hash)).toBe(true);
  });
});
