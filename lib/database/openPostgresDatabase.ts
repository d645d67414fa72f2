import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { Database } from './Database.ts';
import type { SqlSession } from './SqlSession.ts';

export async function openPostgresDatabase(url: string, options: { poolSize?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // An idle client that loses its connection emits 'error' on the pool; unhandled, it kills the process.
  pool.on('error', () => {});
  let closing: Promise<void> | undefined;
  return {
    kind: 'postgres',
    adapter: new PrismaPg(pool),
    async withSession(work) {
      const client = await pool.connect();
      try {
        const session: SqlSession = {
          async query<Row extends Record<string, unknown>>(sql: string, params: unknown[] = []) {
            return (await client.query<Row>(sql, params)).rows;
          },
          async exec(script) {
            await client.query(script);
          },
        };
        return await work(session);
      } finally {
        client.release();
      }
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    close() {
      closing ??= pool.end();
      return closing;
    },
  };
}
