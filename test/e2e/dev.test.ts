import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../lib/config.ts';
import { subgraphNames } from '../../subgraphs/index.ts';
import { freePort } from '../support/serviceProcess.ts';

describe('npm run dev', () => {
  it('restarts a subgraph whose files change and recomposes the router in place, leaving the others running', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'shop-dev-'));
    const ports: Record<string, number> = { router: await freePort() };
    for (const name of subgraphNames) ports[name] = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev.ts'], {
      cwd: projectRoot,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        LOG_LEVEL: 'info',
        DATA_DIR: dataDir,
        ROUTER_PORT: String(ports.router),
        ...Object.fromEntries(subgraphNames.map((name) => [`${name.toUpperCase()}_PORT`, String(ports[name])])),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: Array<Record<string, unknown>> = [];
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream! }).on('line', (line) => {
        if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
      });
    }
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const readyPids = (service: string) => lines.filter((line) => line['msg'] === `${service} subgraph ready`).map((line) => line['pid']);
    try {
      await expect.poll(() => lines.some((line) => String(line['msg']).startsWith('watching')), { timeout: 90_000 }).toBe(true);
      const before = Object.fromEntries(subgraphNames.map((name) => [name, readyPids(name)]));

      const schema = join(projectRoot, 'subgraphs', 'products', 'schema.graphql');
      const now = new Date();
      utimesSync(schema, now, now);

      await expect.poll(() => lines.some((line) => line['msg'] === 'products restarted'), { timeout: 60_000 }).toBe(true);
      await expect.poll(() => lines.some((line) => line['service'] === 'router' && line['msg'] === 'recomposed the supergraph'), { timeout: 10_000 }).toBe(true);
      expect(readyPids('products')).toHaveLength(2);
      expect(readyPids('products')[1]).not.toBe(readyPids('products')[0]);
      expect(readyPids('members')).toEqual(before['members']);
      expect(readyPids('purchases')).toEqual(before['purchases']);
      expect(lines.some((line) => line['msg'] === 'restarting router')).toBe(false);

      const response = await fetch(`http://127.0.0.1:${ports.router}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ products(first: 1) { nodes { name } } }' }),
      });
      expect(((await response.json()) as { data: { products: { nodes: unknown[] } } }).data.products.nodes).toHaveLength(1);
    } finally {
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
