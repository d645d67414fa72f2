import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { isRole, type Viewer } from './Viewer.ts';

/**
 * Subgraphs are not a public API. Every call to one (from the router, or from another subgraph)
 * carries an HMAC over the request id, the viewer and the body, keyed by the shared subgraph secret.
 * A subgraph trusts the viewer header only when the signature holds, so a caller who can reach a
 * subgraph but lacks the secret can neither run operations nor claim to be a member.
 */

export const SubgraphHeader = {
  requestId: 'x-request-id',
  viewer: 'x-shop-viewer',
  timestamp: 'x-shop-timestamp',
  signature: 'x-shop-signature',
} as const;

/** How far a signed timestamp may be from this machine's clock; bounds how long a captured request replays. */
const MAX_CLOCK_SKEW_MS = 60_000;

export interface SignedCall {
  requestId: string;
  viewer: Viewer | null;
  body: string | Uint8Array;
}

export function signSubgraphRequest(call: SignedCall, secret: string, now = Date.now()): Record<string, string> {
  const viewer = encodeViewer(call.viewer);
  const timestamp = String(now);
  return {
    [SubgraphHeader.requestId]: call.requestId,
    [SubgraphHeader.viewer]: viewer,
    [SubgraphHeader.timestamp]: timestamp,
    [SubgraphHeader.signature]: signatureOf(secret, timestamp, call.requestId, viewer, call.body),
  };
}

export type SignatureVerdict =
  | { ok: true; viewer: Viewer | null }
  | { ok: false; reason: 'missing' | 'stale' | 'invalid' };

export function verifySubgraphRequest(
  headers: { get(name: string): string | undefined },
  body: string,
  secret: string,
  now = Date.now(),
): SignatureVerdict {
  const signature = headers.get(SubgraphHeader.signature);
  const timestamp = headers.get(SubgraphHeader.timestamp);
  const requestId = headers.get(SubgraphHeader.requestId) ?? '';
  const viewerHeader = headers.get(SubgraphHeader.viewer) ?? '';
  if (!signature || !timestamp) return { ok: false, reason: 'missing' };
  if (!/^\d{1,15}$/.test(timestamp) || Math.abs(now - Number(timestamp)) > MAX_CLOCK_SKEW_MS) {
    return { ok: false, reason: 'stale' };
  }
  const expected = Buffer.from(signatureOf(secret, timestamp, requestId, viewerHeader, body), 'hex');
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
  const viewer = decodeViewer(viewerHeader);
  return viewer === undefined ? { ok: false, reason: 'invalid' } : { ok: true, viewer };
}

function signatureOf(secret: string, timestamp: string, requestId: string, viewer: string, body: string | Uint8Array): string {
  const bodyDigest = createHash('sha256').update(body).digest('hex');
  return createHmac('sha256', secret).update(`${timestamp}\n${requestId}\n${viewer}\n${bodyDigest}`).digest('hex');
}

function encodeViewer(viewer: Viewer | null): string {
  return viewer === null ? '' : `${viewer.memberId} ${viewer.role}`;
}

function decodeViewer(header: string): Viewer | null | undefined {
  if (header === '') return null;
  const [memberId, role, extra] = header.split(' ');
  if (!memberId || !isRole(role) || extra !== undefined) return undefined;
  return { memberId, role };
}
