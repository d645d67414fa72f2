import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { loadConfigOrExit } from '../lib/config.ts';
import { createLogger, endLogs } from '../lib/logger.ts';
import { runCluster } from '../lib/process/runCluster.ts';
import { runService } from '../lib/process/runService.ts';
import { isSubgraphName, subgraphNames } from '../subgraphs/index.ts';

/**
 * Runs one service: `serve.ts router` or `serve.ts <subgraph>`. With WORKERS above 1 this process
 * becomes a cluster primary and the same script runs again in each worker. The router composes
 * the subgraph SDL files at start, or loads SUPERGRAPH_FILE when it is set.
 *
 * Each service imports only its own side: a subgraph never loads the gateway and query planner,
 * the router never loads Prisma (together about 60 MiB per process that does not need them).
 */
const [service] = process.argv.slice(2);
if (service !== 'router' && !(service && isSubgraphName(service))) {
  console.error(`Usage: serve.ts <router|${subgraphNames.join('|')}>`);
  process.exit(2);
}

const config = loadConfigOrExit();
const log = createLogger(service, config.logLevel);

if (config.workers > 1 && cluster.isPrimary) {
  if (service === 'router') {
    runCluster({ name: service, workers: config.workers, log });
  } else {
    const { runSubgraphCluster } = await import('../lib/subgraph/runSubgraphCluster.ts');
    await runSubgraphCluster(service, config, log).catch((error: unknown) => {
      log.fatal({ err: error }, `${service} could not start: ${error instanceof Error ? error.message : String(error)}`);
      void endLogs().then(() => process.exit(1));
    });
  }
} else {
  await runService(service, log, async () => {
    if (service === 'router') {
      const { startRouter } = await import('../router/startRouter.ts');
      const supergraphFile = config.supergraphFile;
      return startRouter(config, log, supergraphFile ? readFileSync(supergraphFile, 'utf8') : undefined);
    }
    const { startSubgraph } = await import('../lib/subgraph/startSubgraph.ts');
    return startSubgraph(service, config, log);
  });
}
