import { execFileSync } from 'node:child_process';
import { watch } from 'node:fs';
import { join } from 'node:path';
import { loadConfigOrExit, projectRoot } from '../lib/config.ts';
import { nodeEntry } from '../lib/process/nodeEntry.ts';
import { ServiceSupervisor } from '../lib/process/ServiceSupervisor.ts';
import { supervisorOutput } from '../lib/process/supervisorOutput.ts';
import { isSubgraphName, subgraphNames } from '../subgraphs/index.ts';

/**
 * `npm run dev`: `npm start` that follows your edits. A change under subgraphs/<name>/ restarts
 * that subgraph alone; the router recomposes the supergraph from the SDL files in place (no
 * restart), and the other subgraphs keep running. A change to prisma/<name>/schema.prisma
 * regenerates that Prisma client first; router/ restarts the router; lib/ restarts everything.
 */

const config = loadConfigOrExit();
const { print, say } = supervisorOutput('dev');

const readyUrls: Record<string, string> = {
  router: new URL('/health/ready', config.router.url).href,
  ...Object.fromEntries(subgraphNames.map((name) => [name, new URL('/health/ready', config.subgraphs[name].url).href])),
};
const env = { WATCH_SCHEMAS: 'true' };
const supervisor = new ServiceSupervisor({
  serveCommand: nodeEntry(import.meta.url, './serve'),
  onLine: print,
  // In development a crash is something to fix, not a reason to stop the rest: the next edit restarts it.
  onUnexpectedExit: (name, reason) => say('error', `${reason}; fix the code and save to restart it`, { service: name }),
});
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

await Promise.all(subgraphNames.map((name) => supervisor.launch(name, readyUrls[name]!, env)));
await supervisor.launch('router', readyUrls.router!, env);
say('info', `watching subgraphs/, prisma/, router/ and lib/; the router is at ${config.router.url}`);

const pending = new Map<string, NodeJS.Timeout>();
const restarting = new Set<string>();
for (const top of ['subgraphs', 'prisma', 'router', 'lib']) {
  watch(join(projectRoot, top), { recursive: true }, (_event, changed) => {
    if (!changed || changed.includes('__generated__')) return;
    const file = `${top}/${changed}`;
    const [, name, rest] = file.split('/');
    if (top === 'subgraphs' && name && isSubgraphName(name)) schedule(name, file);
    else if (top === 'prisma' && name && isSubgraphName(name)) schedule(name, file, rest === 'schema.prisma');
    else if (top === 'router') schedule('router', file);
    else if (top === 'lib') for (const service of [...subgraphNames, 'router']) schedule(service, file);
  });
}

function schedule(service: string, file: string, regenerate = false): void {
  clearTimeout(pending.get(service));
  pending.set(
    service,
    setTimeout(() => {
      pending.delete(service);
      void restart(service, file, regenerate);
    }, 200),
  );
}

async function restart(service: string, file: string, regenerate: boolean): Promise<void> {
  if (restarting.has(service)) return schedule(service, file, regenerate);
  restarting.add(service);
  try {
    say('info', `restarting ${service} (${file} changed)`);
    if (regenerate) execFileSync(process.execPath, nodeEntry(import.meta.url, './generate'), { cwd: projectRoot, stdio: 'inherit' });
    await supervisor.restart(service, readyUrls[service]!, env);
    say('info', `${service} restarted`);
  } catch (error) {
    say('error', `${service} did not come back: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    restarting.delete(service);
  }
}

async function stop(): Promise<never> {
  say('info', 'stopping');
  await supervisor.stopAll('router');
  process.exit(0);
}
