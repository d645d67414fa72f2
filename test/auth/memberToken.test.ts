import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { signMemberToken, verifyMemberToken } from '../../lib/auth/memberToken.ts';

const secret = 'a-test-secret-that-is-long-enough-for-hs256';
const viewer = { memberId: '01930000-0000-7000-8000-000000000002', role: 'CUSTOMER' as const };

describe('member tokens', () => {
  it('carry the member id and role, and expire after the given time', async () => {
    const { token, expiresAt } = await signMemberToken(viewer, secret, 600);
    expect(await verifyMemberToken(token, secret)).toEqual({ ok: true, viewer, expiresAt: expect.any(Number) });
    expect(Math.round((expiresAt.getTime() - Date.now()) / 1000)).toBeGreaterThan(595);
  });

  it('are refused when signed with another secret or tampered with', async () => {
    const { token } = await signMemberToken(viewer, secret, 600);
    expect(await verifyMemberToken(token, `${secret}-other`)).toEqual({ ok: false, reason: 'invalid' });
    const [header, , signature] = token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ sub: viewer.memberId, role: 'ADMIN' })).toString('base64url');
    expect(await verifyMemberToken(`${header}.${forgedPayload}.${signature}`, secret)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('are refused once expired, saying so', async () => {
    const expired = await new SignJWT({ role: 'CUSTOMER' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(viewer.memberId)
      .setIssuer('federated-shop')
      .setAudience('federated-shop')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
      .sign(new TextEncoder().encode(secret));
    expect(await verifyMemberToken(expired, secret)).toEqual({ ok: false, reason: 'expired' });
  });

  it('are refused with an unknown role or the "none" algorithm', async () => {
    const key = new TextEncoder().encode(secret);
    const oddRole = await new SignJWT({ role: 'ROOT' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(viewer.memberId)
      .setIssuer('federated-shop')
      .setAudience('federated-shop')
      .setExpirationTime('1h')
      .sign(key);
    expect(await verifyMemberToken(oddRole, secret)).toEqual({ ok: false, reason: 'invalid' });
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: viewer.memberId, role: 'ADMIN' })).toString('base64url')}.`;
    expect(await verifyMemberToken(unsigned, secret)).toEqual({ ok: false, reason: 'invalid' });
  });
});
