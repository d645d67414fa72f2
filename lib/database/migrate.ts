import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './Database.ts';
import type { SqlSession } from './SqlSession.ts';

/**
 * Applies a Prisma migrations folder and records each migration in `_prisma_migrations` exactly as
 * `prisma migrate deploy` does (same table, same sha256 checksum, same advisory lock), so either
 * tool can take over a database the other migrated. Prisma's migrate needs its native schema engine,
 * downloaded on first use; this runs anywhere the database is reachable, including in-process PGlite.
 *
 * Unlike Prisma, each migration runs in one transaction with its record: PostgreSQL DDL is
 * transactional, so a failing migration leaves nothing half-applied.
 */

/** The key Prisma's schema engine locks, so the two never migrate one database at once. */
const PRISMA_ADVISORY_LOCK_KEY = 72707369;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export function readMigrations(migrationsDir: string): Migration[] {
  if (!existsSync(migrationsDir)) throw new MigrationError(`No migrations folder at ${migrationsDir}`);
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(migrationsDir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(migrationsDir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

interface AppliedRow extends Record<string, unknown> {
  migration_name: string;
  checksum: string;
  finished_at: Date | string | null;
  rolled_back_at: Date | string | null;
}

/** Applies what is pending and returns the names applied now; safe to run any number of times. */
export async function migrate(session: SqlSession, migrations: Migration[]): Promise<string[]> {
  await session.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
  try {
    await session.exec(CREATE_MIGRATIONS_TABLE);
    const rows = await session.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
    );
    const applied = new Map<string, AppliedRow>();
    for (const row of rows) {
      if (row.rolled_back_at !== null) continue;
      if (row.finished_at === null) {
        throw new MigrationError(
          `Migration ${row.migration_name} started but never finished. Inspect the database, then mark it ` +
            `with \`prisma migrate resolve\` before migrating again.`,
        );
      }
      applied.set(row.migration_name, row);
    }

    const appliedNow: string[] = [];
    for (const migration of migrations) {
      const previous = applied.get(migration.name);
      if (previous) {
        if (previous.checksum !== migration.checksum) {
          throw new MigrationError(
            `Migration ${migration.name} was changed after it was applied. Add a new migration instead of editing an applied one.`,
          );
        }
        continue;
      }
      await applyOne(session, migration);
      appliedNow.push(migration.name);
    }
    return appliedNow;
  } finally {
    await session.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
  }
}

async function applyOne(session: SqlSession, migration: Migration): Promise<void> {
  await session.exec('BEGIN');
  try {
    const started = new Date();
    await session.exec(migration.sql);
    await session.query(
      `INSERT INTO "_prisma_migrations"
         (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, $4, now(), 1)`,
      [randomUUID(), migration.checksum, migration.name, started],
    );
    await session.exec('COMMIT');
  } catch (error) {
    await session.exec('ROLLBACK');
    throw new MigrationError(`Migration ${migration.name} failed and was rolled back: ${describe(error)}`, {
      cause: error,
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Migrates a subgraph's database from its migrations folder; returns the names applied now. */
export function migrateDatabase(database: Database, migrationsDir: string): Promise<string[]> {
  const migrations = readMigrations(migrationsDir);
  return database.withSession((session) => migrate(session, migrations));
}

/** Names of migrations in the folder that the database has not applied. */
export async function pendingMigrations(database: Database, migrationsDir: string): Promise<string[]> {
  const migrations = readMigrations(migrationsDir);
  const applied = await database.withSession(async (session) => {
    const [table] = await session.query<{ exists: boolean }>(
      `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS "exists"`,
    );
    if (!table?.exists) return new Set<string>();
    const rows = await session.query<{ migration_name: string }>(
      'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    return new Set(rows.map((row) => row.migration_name));
  });
  return migrations.filter((migration) => !applied.has(migration.name)).map((migration) => migration.name);
}
