import type { DatabaseTarget } from '../config.ts';
import type { Database } from './Database.ts';

/**
 * Opens the database a subgraph is configured for. Each driver is loaded only when chosen: PGlite
 * alone adds about 40 MiB to a process that imports it, which a service on PostgreSQL never needs.
 */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') {
    const { openPostgresDatabase } = await import('./openPostgresDatabase.ts');
    return openPostgresDatabase(target.url);
  }
  const { openEmbeddedDatabase } = await import('./openEmbeddedDatabase.ts');
  return openEmbeddedDatabase({ dataDir: target.dataDir });
}

/** For log lines: where the data lives, without credentials. */
export function describeDatabase(target: DatabaseTarget): string {
  if (target.kind === 'embedded') return target.dataDir === null ? 'embedded (in memory)' : `embedded (${target.dataDir})`;
  const url = new URL(target.url);
  return `postgres://${url.host}${url.pathname}`;
}
