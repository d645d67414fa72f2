import type { DatabaseTarget } from '../config.ts';
import type { Database } from './Database.ts';
import { openEmbeddedDatabase } from './openEmbeddedDatabase.ts';
import { openPostgresDatabase } from './openPostgresDatabase.ts';

export function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === 'postgres'
    ? openPostgresDatabase(target.url)
    : openEmbeddedDatabase({ dataDir: target.dataDir });
}

/** For log lines: where the data lives, without credentials. */
export function describeDatabase(target: DatabaseTarget): string {
  if (target.kind === 'embedded') return target.dataDir === null ? 'embedded (in memory)' : `embedded (${target.dataDir})`;
  const url = new URL(target.url);
  return `postgres://${url.host}${url.pathname}`;
}
