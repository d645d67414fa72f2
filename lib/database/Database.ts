import type { SqlDriverAdapterFactory } from '@prisma/client/runtime/client';
import type { SqlSession } from './SqlSession.ts';

/** An open database of one subgraph: what Prisma connects through, and a session for migrations. */
export interface Database {
  readonly kind: 'embedded' | 'postgres';
  /** Prisma's driver adapter over this database. */
  readonly adapter: SqlDriverAdapterFactory;
  /** Runs `work` on one connection, for statements that must share it (locks, transactions). */
  withSession<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  /**
   * Embedded databases only: serves this database to other processes (cluster workers) over the
   * PostgreSQL protocol and returns the URL they connect to.
   */
  share?(): Promise<{ url: string; close(): Promise<void> }>;
  /** Resolves when the database answers a query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
