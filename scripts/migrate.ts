import { loadConfigOrExit } from '../lib/config.ts';
import { migrateDatabase } from '../lib/database/migrate.ts';
import { describeDatabase, openDatabase } from '../lib/database/openDatabase.ts';
import { createLogger } from '../lib/logger.ts';
import { SubgraphClient } from '../lib/subgraph/SubgraphClient.ts';
import { isSubgraphName, loadSubgraph, subgraphNames, type SubgraphName } from '../subgraphs/index.ts';

/**
 * `npm run db:migrate [subgraph…]`: applies each subgraph's migrations to its configured database
 * (embedded or PostgreSQL); safe to run again. `npm run db:seed` also adds the sample shop to an
 * empty database. Stop the services first when they use embedded databases.
 */

const args = process.argv.slice(2);
const seed = args.includes('--seed');
const requested = args.filter((arg) => !arg.startsWith('--'));
const unknown = requested.filter((name) => !isSubgraphName(name));
if (unknown.length > 0) {
  console.error(`Unknown subgraph(s): ${unknown.join(', ')}. Known: ${subgraphNames.join(', ')}.`);
  process.exit(2);
}
const names = (requested.length > 0 ? requested : subgraphNames) as SubgraphName[];

const config = loadConfigOrExit();

let failed = false;
for (const name of names) {
  const target = config.subgraphs[name].database;
  const label = `${name.padEnd(10)} ${describeDatabase(target)}`;
  try {
    const definition = await loadSubgraph(name);
    const database = await openDatabase(target);
    try {
      const applied = await migrateDatabase(database, definition.migrationsDir);
      let line = applied.length === 0 ? 'up to date' : `applied ${applied.join(', ')}`;
      if (seed) {
        const log = createLogger(name, 'silent');
        const connected = definition.connect(database, { config, log, subgraphs: new SubgraphClient(config) });
        line += (await connected.seed()) ? '; seeded the sample shop' : '; already has data, not seeded';
        await connected.disconnect();
      }
      console.log(`${label}: ${line}`);
    } finally {
      await database.close();
    }
  } catch (error) {
    failed = true;
    console.error(`${label}: FAILED: ${error instanceof Error ? error.message : String(error)}`);
  }
}
process.exit(failed ? 1 : 0);
