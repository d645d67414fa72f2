import pg from 'pg';
import { adminQuery as adminQueryOn, databaseUrl as databaseUrlOn } from '../../lib/database/postgresServerAdmin.ts';

/**
 * The one module of the tests that reads the environment: where the test services are, and which
 * of them CI requires.
 *
 * The PostgreSQL server the tests of the production path use: TEST_POSTGRES_URL, or the local
 * server at 127.0.0.1:5432 this project's machines and CI run. The tests create uniquely named
 * databases on it and drop them afterwards.
 */
export const postgresServerUrl = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Debian's Chromium, which the explorer test drives through playwright-core. */
export const chromiumPath = process.env['TEST_CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Set in CI: a missing browser fails the run instead of skipping the explorer test. */
export const browserRequired = process.env['TEST_BROWSER_REQUIRED'] === 'true';

/** Set in CI: a missing server fails the run instead of skipping the PostgreSQL tests. */
export const postgresRequired = process.env['TEST_POSTGRES_REQUIRED'] === 'true';

export function databaseUrl(database: string): string {
  return databaseUrlOn(postgresServerUrl, database);
}

export function adminQuery(sql: string): Promise<Array<Record<string, unknown>>> {
  return adminQueryOn(postgresServerUrl, sql);
}

export async function postgresReachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: postgresServerUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}
