import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../lib/config.ts';
import type { Database } from '../../lib/database/Database.ts';
import { migrateDatabase, MigrationError, pendingMigrations } from '../../lib/database/migrate.ts';
import { openEmbeddedDatabase } from '../../lib/database/openEmbeddedDatabase.ts';
import { Prisma as MembersPrisma } from '../../prisma/members/__generated__/client.ts';
import { Prisma as ProductsPrisma } from '../../prisma/products/__generated__/client.ts';
import { Prisma as PurchasesPrisma } from '../../prisma/purchases/__generated__/client.ts';
import { subgraphNames } from '../../subgraphs/index.ts';
import { createTestDatabase, databaseKinds } from '../support/testDatabase.ts';

/** Column names per table, as each generated Prisma client expects them. */
const expectedColumns: Record<string, Record<string, string[]>> = {
  members: { Member: Object.values(MembersPrisma.MemberScalarFieldEnum) },
  products: {
    Product: Object.values(ProductsPrisma.ProductScalarFieldEnum),
    StockReservation: Object.values(ProductsPrisma.StockReservationScalarFieldEnum),
  },
  purchases: { Purchase: Object.values(PurchasesPrisma.PurchaseScalarFieldEnum) },
};

describe('migrations runner', () => {
  let folder: string;
  let database: Database;
  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'shop-migrations-'));
    database = await openEmbeddedDatabase({ dataDir: null });
  });
  afterEach(async () => {
    await database.close();
    rmSync(folder, { recursive: true, force: true });
  });

  function addMigration(name: string, sql: string) {
    mkdirSync(join(folder, name));
    writeFileSync(join(folder, name, 'migration.sql'), sql);
  }

  const recorded = () =>
    database.withSession((session) =>
      session.query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
        'SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
      ),
    );

  it("applies pending migrations in name order and records them as Prisma's migrate does", async () => {
    addMigration('20260102000000_second', 'ALTER TABLE "Thing" ADD COLUMN "size" INTEGER;');
    addMigration('20260101000000_first', 'CREATE TABLE "Thing" ("id" INTEGER PRIMARY KEY);');
    expect(await migrateDatabase(database, folder)).toEqual(['20260101000000_first', '20260102000000_second']);
    expect(await recorded()).toEqual([
      {
        migration_name: '20260101000000_first',
        checksum: createHash('sha256').update('CREATE TABLE "Thing" ("id" INTEGER PRIMARY KEY);').digest('hex'),
        applied_steps_count: 1,
      },
      expect.objectContaining({ migration_name: '20260102000000_second' }),
    ]);
  });

  it('does nothing when run again', async () => {
    addMigration('20260101000000_first', 'CREATE TABLE "Thing" ("id" INTEGER PRIMARY KEY);');
    await migrateDatabase(database, folder);
    expect(await migrateDatabase(database, folder)).toEqual([]);
    expect(await pendingMigrations(database, folder)).toEqual([]);
  });

  it('rolls a failing migration back entirely and records nothing for it', async () => {
    addMigration('20260101000000_first', 'CREATE TABLE "Thing" ("id" INTEGER PRIMARY KEY);');
    addMigration('20260102000000_broken', 'CREATE TABLE "Half" ("id" INTEGER); SELECT no_such_function();');
    await expect(migrateDatabase(database, folder)).rejects.toThrow(/20260102000000_broken failed and was rolled back/);
    const tables = await database.withSession((session) =>
      session.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`),
    );
    expect(tables.map((table) => table.name)).toEqual(['Thing', '_prisma_migrations']);
    expect((await recorded()).map((row) => row.migration_name)).toEqual(['20260101000000_first']);
  });

  it('refuses to continue when an applied migration was edited', async () => {
    addMigration('20260101000000_first', 'CREATE TABLE "Thing" ("id" INTEGER PRIMARY KEY);');
    await migrateDatabase(database, folder);
    writeFileSync(join(folder, '20260101000000_first', 'migration.sql'), 'CREATE TABLE "Other" ("id" INTEGER);');
    await expect(migrateDatabase(database, folder)).rejects.toBeInstanceOf(MigrationError);
  });

  it('reports pending migrations without applying them', async () => {
    addMigration('20260101000000_first', 'CREATE TABLE "Thing" ("id" INTEGER PRIMARY KEY);');
    expect(await pendingMigrations(database, folder)).toEqual(['20260101000000_first']);
  });
});

describe.each(databaseKinds())("each subgraph's migrations (%s database)", (kind) => {
  it.each(subgraphNames)('%s: create every column its Prisma schema declares, and no other', async (name) => {
    const { database, dispose } = await createTestDatabase(name, kind);
    try {
      const rows = await database.withSession((session) =>
        session.query<{ table_name: string; column_name: string }>(
          `SELECT table_name, column_name FROM information_schema.columns
           WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
        ),
      );
      const actual: Record<string, string[]> = {};
      for (const row of rows) (actual[row.table_name] ??= []).push(row.column_name);
      const sorted = (tables: Record<string, string[]>) =>
        Object.fromEntries(Object.entries(tables).map(([table, columns]) => [table, [...columns].sort()]));
      expect(sorted(actual)).toEqual(sorted(expectedColumns[name]!));
    } finally {
      await dispose();
    }
  });

  it.each(subgraphNames)('%s: the migrations folder declares PostgreSQL, as Prisma migrate expects', (name) => {
    const lock = readFileSync(join(projectRoot, 'prisma', name, 'migrations', 'migration_lock.toml'), 'utf8');
    expect(lock).toContain('provider = "postgresql"');
  });
});
