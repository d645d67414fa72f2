import type { Config } from '../config.ts';
import { openDatabase } from '../database/openDatabase.ts';
import type { Logger } from '../logger.ts';
import { runCluster } from '../process/runCluster.ts';
import { loadSubgraph, type SubgraphName } from '../../subgraphs/index.ts';
import { prepareDatabase } from './startSubgraph.ts';

/**
 * The primary of a subgraph running as several workers: it migrates and seeds the database once,
 * so workers never race to, then forks the workers. An embedded database lives in the primary
 * and is shared with the workers over the PostgreSQL protocol; PostgreSQL they reach directly.
 */
export async function runSubgraphCluster(name: SubgraphName, config: Config, log: Logger): Promise<void> {
  const definition = await loadSubgraph(name);
  const database = await openDatabase(config.subgraphs[name].database);
  const workerEnv: Record<string, string> = { MIGRATE_ON_START: 'false', SEED_ON_START: 'false' };
  let shared: { url: string; close(): Promise<void> } | undefined;
  try {
    await prepareDatabase(definition, database, config, log);
    if (database.share) {
      shared = await database.share();
      workerEnv[`${name.toUpperCase()}_DATABASE_URL`] = shared.url;
      log.info('sharing the embedded database with the workers');
    } else {
      await database.close();
    }
  } catch (error) {
    await database.close();
    throw error;
  }
  runCluster({
    name,
    workers: config.workers,
    log,
    workerEnv,
    async afterWorkersExit() {
      await shared?.close();
      await database.close();
    },
  });
}
