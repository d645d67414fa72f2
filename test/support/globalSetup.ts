import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { projectRoot } from '../../lib/config.ts';
import { migrateDatabase } from '../../lib/database/migrate.ts';
import { wrapPGlite } from '../../lib/database/openEmbeddedDatabase.ts';
import { openPostgresDatabase } from '../../lib/database/openPostgresDatabase.ts';
import { subgraphNames, type SubgraphName } from '../../subgraphs/index.ts';
import { adminQuery, databaseUrl, postgresReachable, postgresRequired, postgresServerUrl } from './testEnvironment.ts';

/**
 * Builds dist/ (what `npm start` runs), so end-to-end tests start the same compiled code.
 *
 * Migrates one template database per subgraph, once per run, with the same migrations production
 * uses: a PGlite dump for the embedded default, and a template database on the PostgreSQL server
 * when one answers. Every test then gets its own fresh copy in well under a second.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    embeddedTemplates: Record<SubgraphName, string>;
    postgres:
      | { available: true; runId: string; templates: Record<SubgraphName, string> }
      | { available: false; reason: string };
  }
}

export default async function setup(project: TestProject) {
  const folder = mkdtempSync(join(tmpdir(), 'shop-templates-'));
  // Every database of this run is named after it, starting with when it began: see dropStaleDatabases.
  const runId = `${Date.now().toString(36)}_${process.pid.toString(36)}`;
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: projectRoot, stdio: 'inherit' });

  const embeddedTemplates = {} as Record<SubgraphName, string>;
  await Promise.all(
    subgraphNames.map(async (name) => {
      const pglite = await PGlite.create();
      await migrateDatabase(wrapPGlite(pglite), migrationsDir(name));
      const dump = await pglite.dumpDataDir('none');
      embeddedTemplates[name] = join(folder, `${name}.tar`);
      writeFileSync(embeddedTemplates[name], Buffer.from(await dump.arrayBuffer()));
      await pglite.close();
    }),
  );
  project.provide('embeddedTemplates', embeddedTemplates);

  const unreachable = await postgresReachable();
  const postgresTemplates = {} as Record<SubgraphName, string>;
  if (unreachable) {
    if (postgresRequired) throw new Error(`PostgreSQL is required (TEST_POSTGRES_REQUIRED) but ${postgresServerUrl} did not answer: ${unreachable}`);
    console.log(`PostgreSQL tests skipped: no server at ${new URL(postgresServerUrl).host} (${unreachable}); set TEST_POSTGRES_URL to run them.`);
    project.provide('postgres', { available: false, reason: unreachable });
  } else {
    await dropStaleDatabases();
    for (const name of subgraphNames) {
      const template = `shop_template_${runId}_${name}`;
      await adminQuery(`CREATE DATABASE "${template}"`);
      postgresTemplates[name] = template;
      const database = await openPostgresDatabase(databaseUrl(template), { poolSize: 1 });
      await migrateDatabase(database, migrationsDir(name));
      await database.close();
    }
    project.provide('postgres', { available: true, runId, templates: postgresTemplates });
  }

  return async () => {
    for (const template of Object.values(postgresTemplates)) {
      await adminQuery(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    }
    rmSync(folder, { recursive: true, force: true });
  };
}

/** A run takes minutes; its databases are another run's business until long after it must have ended. */
const STALE_AFTER_MS = 60 * 60 * 1000;

/**
 * A run that was killed (Ctrl-C twice, a CI timeout) never reaches its teardown, and its databases
 * would stay on the server for good. Each database names its run, and the run when it began; those
 * of runs that began over an hour ago are dropped, while a run still going beside this one is left.
 */
async function dropStaleDatabases(): Promise<void> {
  const rows = await adminQuery(`SELECT datname FROM pg_database WHERE datname ~ '^shop_(test|template)_[0-9a-z]+_'`);
  for (const { datname } of rows) {
    const began = parseInt(/^shop_(?:test|template)_([0-9a-z]+)_/.exec(String(datname))?.[1] ?? '', 36);
    if (Number.isFinite(began) && Date.now() - began > STALE_AFTER_MS) {
      await adminQuery(`DROP DATABASE IF EXISTS "${String(datname)}" WITH (FORCE)`);
    }
  }
}

function migrationsDir(name: SubgraphName): string {
  return join(projectRoot, 'prisma', name, 'migrations');
}
