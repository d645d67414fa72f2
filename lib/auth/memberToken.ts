import { errors, jwtVerify, SignJWT } from 'jose';
import { isRole, type Viewer } from './Viewer.ts';

/**
 * Member tokens are HS256 JWTs: signed by the members subgraph at login, verified by the router,
 * which then passes the viewer on to the subgraphs over signed requests.
 */

const ISSUER = 'federated-shop';
const AUDIENCE = 'federated-shop';

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

export async function signMemberToken(viewer: Viewer, secret: string, ttlSeconds: number): Promise<IssuedToken> {
  const issuedAt = Math.floor(Date.now() / 1000);
  const expiresAt = issuedAt + ttlSeconds;
  const token = await new SignJWT({ role: viewer.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(viewer.memberId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(keyOf(secret));
  return { token, expiresAt: new Date(expiresAt * 1000) };
}

export type TokenVerdict = { ok: true; viewer: Viewer; expiresAt: number } | { ok: false; reason: 'expired' | 'invalid' };

export async function verifyMemberToken(token: string, secret: string): Promise<TokenVerdict> {
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    });
    if (typeof payload.sub !== 'string' || !isRole(payload['role']) || typeof payload.exp !== 'number') {
      return { ok: false, reason: 'invalid' };
    }
    return { ok: true, viewer: { memberId: payload.sub, role: payload['role'] }, expiresAt: payload.exp * 1000 };
  } catch (error) {
    return { ok: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
  }
}

const keys = new Map<string, Uint8Array>();
function keyOf(secret: string): Uint8Array {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = new TextEncoder().encode(secret)));
  return key;
}
