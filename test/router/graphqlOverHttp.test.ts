import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouterUnderTest, type RouterUnderTest } from '../support/routerHarness.ts';

/**
 * The GraphQL-over-HTTP conformance audits of the graphql-http package, run against the router.
 * Every MUST passes. The SHOULDs it leaves are listed in the README with the reason.
 */
const audits = serverAudits({ url: () => router.url });
let router: RouterUnderTest;

describe('GraphQL over HTTP conformance (graphql-http audits)', () => {
  beforeAll(async () => {
    router = await startRouterUnderTest('embedded');
  });
  afterAll(async () => {
    await router?.close();
  });

  it.each(audits.filter((audit) => audit.name.startsWith('MUST')).map((audit) => [audit.name, audit] as const))(
    '%s',
    async (_name, audit) => {
      const result = await audit.fn();
      expect(result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`).toBe('ok');
    },
  );

  it('leaves unmet only the SHOULDs and MAYs the README lists, none of them required', async () => {
    const unmet: string[] = [];
    for (const audit of audits.filter((candidate) => !candidate.name.startsWith('MUST'))) {
      const result = await audit.fn();
      if (result.status !== 'ok') unmet.push(`${result.status}: ${audit.name}`);
    }
    expect(unmet.sort()).toEqual([
      // CSRF prevention: a GET without a preflight-forcing header may be a cross-site request.
      'notice: MAY accept application/x-www-form-urlencoded formatted GET requests',
      'notice: MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/graphql-response+json',
      'notice: MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/json',
      // Apollo Server answers 400 to a request that cannot run, whatever the Accept header.
      'warn: SHOULD use 200 status code on document parsing failure when accepting application/json',
      'warn: SHOULD use 200 status code on document validation failure when accepting application/json',
      'warn: SHOULD use a status code of 200 on variable coercion failure when accepting application/json',
    ]);
    expect(audits.length - unmet.length).toBeGreaterThanOrEqual(50);
  });
});
