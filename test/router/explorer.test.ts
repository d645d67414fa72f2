import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeArtifact } from '../support/artifacts.ts';
import { browserRequired, chromiumPath } from '../support/testEnvironment.ts';
import { startRouterUnderTest, type RouterUnderTest } from '../support/routerHarness.ts';

/**
 * The offline explorer in a real headless Chromium: it loads from the router alone (any request
 * to another host is blocked), runs a query that crosses all three subgraphs and shows the result.
 */

const available = existsSync(chromiumPath);
if (!available && browserRequired) throw new Error(`TEST_BROWSER_REQUIRED is set but there is no Chromium at ${chromiumPath}`);
if (!available) console.log(`Explorer browser test skipped: no Chromium at ${chromiumPath} (apt-get install chromium).`);

const QUERY = `query MyPurchases {
  me {
    username
    purchases { nodes { quantity member { username } product { name price } } }
  }
}`;

describe.runIf(available)('offline explorer (GraphiQL at /explorer)', () => {
  let router: RouterUnderTest;
  let browser: Browser;
  beforeAll(async () => {
    router = await startRouterUnderTest('embedded', { SEED_ON_START: 'true' });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await router?.close();
  });

  it('runs a query across the three subgraphs with nothing loaded from the network', async () => {
    const login = (await (
      await router.post({ query: 'mutation { login(username: "ada", password: "analytical-engine") { token } }' })
    ).json()) as { data: { login: { token: string } } };
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const origin = new URL(router.url).origin;
    const offsite: string[] = [];
    await page.route('**/*', (route) => {
      if (route.request().url().startsWith(origin)) return route.continue();
      offsite.push(route.request().url());
      return route.abort();
    });
    const headers = JSON.stringify({ Authorization: `Bearer ${login.data.login.token}` });
    await page.goto(`${origin}/explorer?query=${encodeURIComponent(QUERY)}&headers=${encodeURIComponent(headers)}`);
    await page.locator('.graphiql-execute-button').click();
    const response = page.locator('.graphiql-response');
    await expect.poll(() => response.innerText(), { timeout: 20_000 }).toContain('Pour-over coffee kettle');
    const text = await response.innerText();
    expect(text).toContain('"username": "ada"');
    expect(text).toContain('"price": 5500');
    writeArtifact('explorer.png', await page.screenshot({ fullPage: true }));
    expect(offsite).toEqual([]);
  });
});
