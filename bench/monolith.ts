import { loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/logger.ts';
import { runService } from '../lib/process/runService.ts';
import { startMonolith } from './startMonolith.ts';

/** The benchmark's single-process baseline as a process: `node --import tsx bench/monolith.ts`. */
const config = loadConfig();
const log = createLogger('monolith', config.logLevel);
await runService('monolith', log, () => startMonolith(config, log));
