import { HttpError } from '../http/HttpError.ts';
import { verifyMemberToken } from './memberToken.ts';
import type { Viewer } from './Viewer.ts';

const REMEMBERED_TOKENS = 10_000;

/**
 * Makes the router's check of the Authorization header: no header means anonymous; a header that
 * does not hold a valid token is refused outright (401). Tokens verified lately are remembered
 * until they expire: a client sends the same token with every request, and verifying its
 * signature each time is the router's largest fixed cost per request. Bounded; oldest first out.
 */
export function createViewerResolver(secret: string): (authorization: string | undefined) => Promise<Viewer | null> {
  const verified = new Map<string, { viewer: Viewer; expiresAt: number }>();
  return async (authorization) => {
    if (authorization === undefined || authorization === '') return null;
    const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    if (!token) throw new HttpError(401, 'UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>".');
    const known = verified.get(token);
    if (known && known.expiresAt > Date.now()) return known.viewer;
    if (known) verified.delete(token);
    const verdict = await verifyMemberToken(token, secret);
    if (!verdict.ok) {
      throw new HttpError(
        401,
        'UNAUTHENTICATED',
        verdict.reason === 'expired' ? 'Your token expired; log in again.' : 'The token is not valid; log in again.',
      );
    }
    if (verified.size >= REMEMBERED_TOKENS) verified.delete(verified.keys().next().value as string);
    verified.set(token, { viewer: verdict.viewer, expiresAt: verdict.expiresAt });
    return verdict.viewer;
  };
}
