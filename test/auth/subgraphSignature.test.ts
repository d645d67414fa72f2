import { describe, expect, it } from 'vitest';
import { HeaderMap } from '@apollo/server';
import { signSubgraphRequest, SubgraphHeader, verifySubgraphRequest } from '../../lib/auth/subgraphSignature.ts';

const secret = 'subgraph-secret-for-tests-0123456789';
const viewer = { memberId: '01930000-0000-7000-8000-000000000002', role: 'CUSTOMER' as const };
const body = '{"query":"{ me { id } }"}';

function headersOf(record: Record<string, string>): HeaderMap {
  return new HeaderMap(Object.entries(record));
}

describe('subgraph request signatures', () => {
  it('admit a signed request and name its viewer', () => {
    const signed = signSubgraphRequest({ requestId: 'req-1', viewer, body }, secret);
    expect(verifySubgraphRequest(headersOf(signed), body, secret)).toEqual({ ok: true, viewer });
  });

  it('admit an anonymous signed request', () => {
    const signed = signSubgraphRequest({ requestId: 'req-2', viewer: null, body }, secret);
    expect(verifySubgraphRequest(headersOf(signed), body, secret)).toEqual({ ok: true, viewer: null });
  });

  it('refuse a request without a signature', () => {
    expect(verifySubgraphRequest(headersOf({}), body, secret)).toEqual({ ok: false, reason: 'missing' });
  });

  it('refuse a changed body, a claimed viewer or another secret', () => {
    const signed = signSubgraphRequest({ requestId: 'req-3', viewer: null, body }, secret);
    expect(verifySubgraphRequest(headersOf(signed), '{"query":"{ members { nodes { email } } }"}', secret).ok).toBe(false);
    const impersonating = { ...signed, [SubgraphHeader.viewer]: `${viewer.memberId} ADMIN` };
    expect(verifySubgraphRequest(headersOf(impersonating), body, secret)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifySubgraphRequest(headersOf(signed), body, `${secret}x`)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuse a signature more than a minute old, so a captured request cannot be replayed later', () => {
    const signed = signSubgraphRequest({ requestId: 'req-4', viewer, body }, secret, Date.now() - 61_000);
    expect(verifySubgraphRequest(headersOf(signed), body, secret)).toEqual({ ok: false, reason: 'stale' });
  });
});
