import { loadConfigOrExit } from '../lib/config.ts';
import { describeDatabase } from '../lib/database/openDatabase.ts';
import { nodeEntry } from '../lib/process/nodeEntry.ts';
import { ServiceSupervisor } from '../lib/process/ServiceSupervisor.ts';
import { supervisorOutput } from '../lib/process/supervisorOutput.ts';
import { subgraphNames } from '../subgraphs/index.ts';

/**
 * `npm start`: runs the three subgraphs and the router as four processes, prints their URLs once
 * all are ready, and stops them all on Ctrl-C. Their JSON log lines are shown readably in a
 * terminal and passed through unchanged otherwise (to a file, a log shipper, a test).
 */

const config = loadConfigOrExit();
const { print, say, serviceWidth } = supervisorOutput('shop');

const supervisor = new ServiceSupervisor({
  serveCommand: nodeEntry(import.meta.url, './serve'),
  onLine: print,
  onUnexpectedExit(_name, reason) {
    say('error', `${reason}; stopping the others`);
    void stopAll(1);
  },
});
let stopping = false;
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

say('info', `starting ${subgraphNames.join(', ')} and the router`);
try {
  await Promise.all(subgraphNames.map((name) => supervisor.launch(name, readyUrl(config.subgraphs[name].url))));
  await supervisor.launch('router', readyUrl(config.router.url));
} catch (error) {
  say('error', error instanceof Error ? error.message : String(error));
  await stopAll(1);
}

const rows = [
  ['router', config.router.url, 'Apollo Sandbox in a browser; offline GraphiQL at /explorer'],
  ...subgraphNames.map((name) => [name, config.subgraphs[name].url, describeDatabase(config.subgraphs[name].database)]),
];
const width = Math.max(...rows.map(([, url]) => url?.length ?? 0));
process.stdout.write(
  [
    '',
    'The federated shop is running:',
    ...rows.map(([name, url, note]) => `  ${name?.padEnd(serviceWidth)}  ${url?.padEnd(width)}  ${note}`),
    '',
    'Log in as "ada" with password "analytical-engine" (README.md shows a query). Ctrl-C stops everything.',
    '',
  ].join('\n') + '\n',
);

async function stopAll(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    if (supervisor.running > 0) say('info', 'stopping');
    await supervisor.stopAll('router');
  }
  process.exit(exitCode);
}

function readyUrl(serviceUrl: string): string {
  return new URL('/health/ready', serviceUrl).href;
}
