import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../lib/config.ts';
import { subgraphNames } from '../subgraphs/index.ts';
import { createPostgresDatabase, databaseKinds, dropPostgresDatabase } from './support/testDatabase.ts';

function run(script: string, args: string[], env: Record<string, string>) {
  return execFileSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: projectRoot,
    env: { ...process.env, NODE_ENV: 'development', ...env },
    encoding: 'utf8',
  });
}

describe.each(databaseKinds())('npm run db:migrate and db:seed (%s databases)', (kind) => {
  it('migrate every subgraph, then find nothing to do; seed once, then leave the data alone', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'shop-migrate-'));
    const targets = kind === 'postgres' ? await Promise.all(subgraphNames.map((name) => createPostgresDatabase(name))) : [];
    // Postgres test databases come from migrated templates; a fresh embedded folder starts empty.
    const env =
      kind === 'postgres'
        ? Object.fromEntries(subgraphNames.map((name, index) => [`${name.toUpperCase()}_DATABASE_URL`, targets[index]!.url]))
        : { DATA_DIR: folder };
    try {
      const first = run('scripts/migrate.ts', [], env);
      const again = run('scripts/migrate.ts', [], env);
      if (kind === 'embedded') expect(first).toMatch(/members .*: applied 20261125170000_init/);
      expect(again.trim().split('\n').every((line) => line.endsWith(': up to date'))).toBe(true);
      expect(run('scripts/migrate.ts', ['--seed', 'members'], env)).toMatch(/members .*: up to date; seeded the sample shop/);
      expect(run('scripts/migrate.ts', ['--seed', 'members'], env)).toMatch(/already has data, not seeded/);
    } finally {
      for (const target of targets) await dropPostgresDatabase(target);
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
