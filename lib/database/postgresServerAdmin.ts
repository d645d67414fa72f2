import pg from 'pg';

/**
 * Administration of a PostgreSQL server by the project's tooling (the bench and the tests), which
 * create and drop whole databases: one statement per connection to the server's own database.
 */
export async function adminQuery(serverUrl: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return (await client.query<Record<string, unknown>>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** The URL of another database on the same server, with the same credentials. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.href;
}
