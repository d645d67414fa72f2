import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import type { DatabaseTarget } from '../../lib/config.ts';
import type { Database } from '../../lib/database/Database.ts';
import { openEmbeddedDatabase } from '../../lib/database/openEmbeddedDatabase.ts';
import { openPostgresDatabase } from '../../lib/database/openPostgresDatabase.ts';
import type { SubgraphName } from '../../subgraphs/index.ts';
import { adminQuery, databaseUrl } from './testEnvironment.ts';

export type DatabaseKind = 'embedded' | 'postgres';

/** The kinds this run tests: always the embedded default; PostgreSQL when its server answered. */
export function databaseKinds(): DatabaseKind[] {
  return inject('postgres').available ? ['embedded', 'postgres'] : ['embedded'];
}

export interface TestDatabase {
  database: Database;
  /** Drops what the test created. */
  dispose(): Promise<void>;
}

/** A fresh, migrated database of one subgraph, used by one test only. */
export async function createTestDatabase(name: SubgraphName, kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'embedded') {
    const database = await openEmbeddedDatabase({
      dataDir: null,
      loadDataDir: new Blob([readFileSync(inject('embeddedTemplates')[name])]),
    });
    return { database, dispose: () => database.close() };
  }
  const target = await createPostgresDatabase(name);
  const database = await openPostgresDatabase(target.url, { poolSize: 5 });
  return {
    database,
    async dispose() {
      await database.close();
      await dropPostgresDatabase(target);
    },
  };
}

/** A fresh, migrated PostgreSQL database for a process to connect to by URL. */
export async function createPostgresDatabase(name: SubgraphName): Promise<Extract<DatabaseTarget, { kind: 'postgres' }>> {
  const postgres = inject('postgres');
  if (!postgres.available) throw new Error(`PostgreSQL is not available: ${postgres.reason}`);
  const database = `shop_test_${postgres.runId}_${name}_${randomBytes(6).toString('hex')}`;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await adminQuery(`CREATE DATABASE "${database}" TEMPLATE "${postgres.templates[name]}"`);
      break;
    } catch (error) {
      // Two workers copying one template at the same moment: PostgreSQL refuses the second.
      if (attempt >= 20 || !String(error).includes('being accessed by other users')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
  return { kind: 'postgres', url: databaseUrl(database) };
}

export async function dropPostgresDatabase(target: Extract<DatabaseTarget, { kind: 'postgres' }>): Promise<void> {
  const name = new URL(target.url).pathname.slice(1);
  await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}
