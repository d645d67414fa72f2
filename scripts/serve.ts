import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/logger.ts';
import { runService } from '../lib/process/runService.ts';
import { startRouter } from '../router/startRouter.ts';
import { isSubgraphName, subgraphNames } from '../subgraphs/index.ts';
import { startSubgraph } from '../lib/subgraph/startSubgraph.ts';

/**
 * Runs one service in this process: `tsx scripts/serve.ts router` or `… members` (any subgraph).
 * The router composes the subgraph SDL files at start, or loads SUPERGRAPH_FILE when it is set.
 */
const [service] = process.argv.slice(2);
if (service !== 'router' && !(service && isSubgraphName(service))) {
  console.error(`Usage: serve.ts <router|${subgraphNames.join('|')}>`);
  process.exit(2);
}

let config;
try {
  config = loadConfig();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(2);
}
const log = createLogger(service, config.logLevel);

await runService(service, log, () => {
  if (service === 'router') {
    const supergraphFile = config.supergraphFile;
    return startRouter(config, log, supergraphFile ? readFileSync(supergraphFile, 'utf8') : undefined);
  }
  return startSubgraph(service, config, log);
});
