import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { Database } from './Database.ts';
import type { SqlSession } from './SqlSession.ts';
import { lockDataDir } from './lockDataDir.ts';
import { servePGlite } from './servePGlite.ts';

/**
 * PGlite is PostgreSQL compiled to WebAssembly, running inside this process: the same SQL and the
 * same migrations as production, with nothing to install. `dataDir` null keeps it in memory;
 * `loadDataDir` starts it from a dump (how tests get a migrated database in milliseconds).
 */
export async function openEmbeddedDatabase(options: {
  dataDir: string | null;
  loadDataDir?: Blob;
}): Promise<Database> {
  const { dataDir } = options;
  let releaseLock = () => {};
  if (dataDir !== null) {
    mkdirSync(dataDir, { recursive: true });
    releaseLock = lockDataDir(dataDir);
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      // PostgreSQL's default 128 MB of shared buffers is sized for a server; an embedded
      // development database per service does well with far less memory.
      postgresqlconf: ['shared_buffers=16MB'],
      ...(dataDir === null ? {} : { dataDir }),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    });
  } catch (error) {
    releaseLock();
    throw error;
  }
  return wrapPGlite(pglite, releaseLock);
}

export function wrapPGlite(pglite: PGlite, onClose: () => void = () => {}): Database {
  const session: SqlSession = {
    async query<Row>(sql: string, params: unknown[] = []) {
      return (await pglite.query<Row>(sql, params)).rows;
    },
    async exec(script) {
      await pglite.exec(script);
    },
  };
  let closing: Promise<void> | undefined;
  return {
    kind: 'embedded',
    adapter: new PrismaPGlite(pglite),
    withSession: (work) => work(session),
    share: () => servePGlite(pglite),
    async ping() {
      await pglite.query('SELECT 1');
    },
    close() {
      closing ??= pglite.close().finally(onClose);
      return closing;
    },
  };
}
