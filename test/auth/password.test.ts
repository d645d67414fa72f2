import { describe, expect, it } from 'vitest';
import { hashPassword, UNKNOWN_MEMBER_HASH, verifyPassword } from '../../lib/auth/password.ts';

describe('password hashing', () => {
  it('verifies the password it hashed and nothing else', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', hash)).toBe(false);
  });

  it('salts every hash, so equal passwords hash differently', async () => {
    expect(await hashPassword('same-password')).not.toBe(await hashPassword('same-password'));
  });

  it('treats canonically equal Unicode spellings as the same password', async () => {
    const hash = await hashPassword('caf\u00e9-latte');
    expect(await verifyPassword('cafe\u0301-latte', hash)).toBe(true);
  });

  it('rejects malformed stored hashes and the placeholder for unknown members', async () => {
    expect(await verifyPassword('anything', 'md5$abc')).toBe(false);
    expect(await verifyPassword('anything', UNKNOWN_MEMBER_HASH)).toBe(false);
  });
});
