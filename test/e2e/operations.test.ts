import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../lib/config.ts';
import { SubgraphClient } from '../../lib/subgraph/SubgraphClient.ts';
import { databaseKinds } from '../support/testDatabase.ts';
import { freePort } from '../support/serviceProcess.ts';
import { startShop, type LogEntry, type RunningShop } from '../support/shopProcess.ts';
import { testConfig, withSubgraphUrl } from '../support/testConfig.ts';

const MEMBERS_PAGE = '{ members(first: 5) { nodes { username } } }';

function pidOf(shop: RunningShop, matches: (entry: LogEntry) => boolean): number {
  const entry = shop.logs.find(matches);
  if (!entry) throw new Error('no such log line');
  return Number(entry['workerPid'] ?? entry['pid']);
}

describe.each(databaseKinds())('with two workers per service (%s databases)', (kind) => {
  let shop: RunningShop;
  beforeAll(async () => {
    shop = await startShop(kind, { WORKERS: '2', SUBGRAPH_TIMEOUT_MS: '2000' });
  });
  afterAll(async () => {
    await shop?.stop();
  });

  it('runs two workers for every service', async () => {
    for (const service of ['router', 'members', 'products', 'purchases']) {
      const workers = () =>
        new Set(shop.logs.filter((entry) => entry.service === service && / worker \d+ listening$/.test(entry.msg)).map((entry) => entry['workerPid'])).size;
      await expect.poll(workers, { timeout: 20_000, message: service }).toBe(2);
    }
  });

  it('keeps answering while a worker is killed and replaced; requests on the dead worker fail within the timeout', async () => {
    const victim = pidOf(shop, (entry) => entry.service === 'members' && entry.msg === 'members worker 1 listening');
    const outcomes: Array<{ at: number; ok: boolean; ms: number }> = [];
    const started = Date.now();
    const killAt = started + 1500;
    let killed = false;
    const loop = async () => {
      while (Date.now() - started < 5000) {
        if (!killed && Date.now() >= killAt) {
          killed = true;
          process.kill(victim, 'SIGKILL');
        }
        const sent = Date.now();
        const response = await shop.query<{ members: { nodes: unknown[] } }>(MEMBERS_PAGE);
        outcomes.push({ at: sent - started, ok: !response.errors && response.data?.members.nodes.length === 4, ms: Date.now() - sent });
      }
    };
    await Promise.all(Array.from({ length: 8 }, loop));

    const failed = outcomes.filter((outcome) => !outcome.ok);
    expect(outcomes.length).toBeGreaterThan(50);
    expect(failed.length).toBeLessThanOrEqual(8);
    // A connection handed to the worker as it died is answered by the router's 2 s subgraph timeout.
    expect(Math.max(...outcomes.map((outcome) => outcome.ms))).toBeLessThan(2000 + 1500);
    expect(outcomes.filter((outcome) => outcome.at > 3000).every((outcome) => outcome.ok)).toBe(true);
    await expect
      .poll(() => shop.logs.filter((entry) => entry.service === 'members' && / worker \d+ listening$/.test(entry.msg)).length, { timeout: 20_000 })
      .toBe(3);
    expect(shop.logs.some((entry) => entry.msg === 'members worker 1 died (SIGKILL); starting a replacement')).toBe(true);
  });
});

describe.each(databaseKinds())('when a subgraph stalls (%s databases)', (kind) => {
  let shop: RunningShop;
  let productsPid: number;
  beforeAll(async () => {
    shop = await startShop(kind, { PRODUCTS_TIMEOUT_MS: '1000' });
    productsPid = pidOf(shop, (entry) => entry.msg === 'products subgraph ready');
  });
  afterAll(async () => {
    if (productsPid) process.kill(productsPid, 'SIGCONT');
    await shop?.stop();
  });

  it('answers within the timeout with the data it has and SERVICE_UNAVAILABLE for the fields the stalled one owns, then recovers', async () => {
    const login = await shop.query<{ login: { token: string } }>(
      'mutation { login(username: "ada", password: "analytical-engine") { token } }',
    );
    const token = login.data!.login.token;
    const query = '{ me { username purchases { nodes { productName product { name } } } } }';

    process.kill(productsPid, 'SIGSTOP');
    const started = Date.now();
    const stalled = await shop.query<{ me: { username: string; purchases: { nodes: Array<{ productName: string; product: unknown }> } } }>(
      query,
      { token },
    ).finally(() => process.kill(productsPid, 'SIGCONT'));
    const elapsed = Date.now() - started;

    expect(elapsed).toBeLessThan(3000);
    expect(stalled.data?.me.username).toBe('ada');
    expect(stalled.data?.me.purchases.nodes.map((node) => node.productName)).toHaveLength(3);
    expect(stalled.data?.me.purchases.nodes.every((node) => node.product === null)).toBe(true);
    expect(stalled.errors?.[0]).toMatchObject({
      message: 'The products service did not answer in time.',
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });

    const recovered = await shop.query<{ me: { purchases: { nodes: Array<{ product: { name: string } }> } } }>(query, { token });
    expect(recovered.errors).toBeUndefined();
    expect(recovered.data?.me.purchases.nodes.every((node) => node.product.name)).toBe(true);
  });
});

describe('when npm start itself is killed', () => {
  it('lets every service notice, stop and exit on its own', async () => {
    const shop = await startShop('embedded');
    const servicePids = ['members', 'products', 'purchases']
      .map((name) => pidOf(shop, (entry) => entry.msg === `${name} subgraph ready`))
      .concat(pidOf(shop, (entry) => entry.msg === 'router ready'));
    process.kill(shop.supervisorPid, 'SIGKILL');
    const alive = () => servicePids.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    try {
      await expect.poll(alive, { timeout: 20_000 }).toEqual([]);
    } finally {
      for (const pid of alive()) process.kill(pid, 'SIGKILL');
      await shop.stop();
    }
  });
});

/** The members service on an in-memory database, started on its own, every stdout line kept. */
async function startMembers(logLevel: string) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/serve.ts', 'members'], {
    cwd: projectRoot,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: logLevel, MEMBERS_PORT: String(port), MEMBERS_DATABASE_URL: 'pglite:memory' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve) =>
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (line.includes('members subgraph ready')) resolve();
    }),
  );
  return { port, child, lines, exited };
}

describe('SIGTERM', () => {
  it('lets in-flight requests finish, refuses new ones, and exits cleanly', async () => {
    const { port, child, lines, exited } = await startMembers('debug');

    const config = withSubgraphUrl(testConfig(), 'members', `http://127.0.0.1:${port}/graphql`);
    const client = new SubgraphClient(config);
    const login = () =>
      client.request<{ login: { token: string } }>(
        'members',
        'mutation { login(username: "ada", password: "analytical-engine") { token } }',
        {},
        { requestId: randomUUID(), viewer: null },
      );
    // Each login hashes with scrypt (~0.1 s of CPU), so twelve keep the server busy for a while.
    const inFlight = Array.from({ length: 12 }, login);
    const received = () => lines.filter((line) => line.includes('"msg":"request received"')).length;
    await expect.poll(received, { timeout: 10_000 }).toBe(12);
    child.kill('SIGTERM');

    const results = await Promise.allSettled(inFlight);
    expect(results.map((result) => result.status)).toEqual(Array(12).fill('fulfilled'));
    // A request that arrives once the service has taken the signal in is refused. (Signal and
    // socket data reach the event loop independently, so the test waits for the former.)
    await expect.poll(() => lines.some((line) => line.includes('"msg":"members stopping"')), { timeout: 10_000 }).toBe(true);
    await expect(login()).rejects.toThrow('The members service did not answer');
    expect(await exited).toBe(0);
    expect(lines.some((line) => line.includes('"msg":"members stopped"'))).toBe(true);
  });

  it('exits even when whatever read its output has gone', async () => {
    const { child, exited } = await startMembers('info');
    // Its next lines, from stopping on, meet a closed pipe (a log collector that died).
    child.stdout!.destroy();
    child.kill('SIGTERM');
    const exit = await Promise.race([exited, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 10_000))]);
    if (exit === 'still running') child.kill('SIGKILL');
    expect(exit).toBe(0);
  });
});
