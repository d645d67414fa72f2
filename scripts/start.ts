import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, type Config } from '../lib/config.ts';
import { describeDatabase } from '../lib/database/openDatabase.ts';
import { formatLogLine } from '../lib/process/formatLogLine.ts';
import { subgraphNames } from '../subgraphs/index.ts';

/**
 * `npm start`: runs the three subgraphs and the router as four processes, prints their URLs once
 * all are ready, and stops them all on Ctrl-C. Their JSON log lines are shown readably in a
 * terminal and passed through unchanged otherwise (to a file, a log shipper, a test).
 */

const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url));
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 20_000;

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(2);
}

const pretty = process.stdout.isTTY === true;
const serviceWidth = Math.max(...[...subgraphNames, 'router', 'shop'].map((name) => name.length));
const print = (line: string) => process.stdout.write(`${pretty ? formatLogLine(line, { color: true, serviceWidth }) : line}\n`);
const say = (level: 'info' | 'error', msg: string, extra: Record<string, unknown> = {}) =>
  print(JSON.stringify({ level, time: new Date().toISOString(), service: 'shop', pid: process.pid, msg, ...extra }));

const children = new Map<string, ChildProcess>();
let stopping = false;

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

say('info', `starting ${subgraphNames.join(', ')} and the router`);
try {
  await Promise.all(subgraphNames.map((name) => launch(name, healthUrl(config.subgraphs[name].url))));
  await launch('router', healthUrl(config.router.url));
} catch (error) {
  say('error', error instanceof Error ? error.message : String(error));
  await stopAll(1);
}

const rows = [
  ['router', config.router.url, 'Apollo Sandbox when opened in a browser'],
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

/** Starts one service and resolves once its readiness probe answers 200. */
async function launch(name: string, readyUrl: string): Promise<void> {
  // Its own process group, so a terminal's Ctrl-C reaches only this supervisor, which then stops
  // the services in order; the IPC channel lets a service notice if the supervisor dies.
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE, name], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  });
  children.set(name, child);
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', print);
  }
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => {
      children.delete(name);
      const reason = `${name} exited (${signal ?? `code ${code}`})`;
      if (!stopping) {
        say('error', `${reason}; stopping the others`);
        void stopAll(1);
      }
      reject(new Error(reason));
    }),
  );
  exited.catch(() => {});
  await Promise.race([waitUntilReady(name, readyUrl), exited]);
}

async function waitUntilReady(name: string, url: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const ready = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${name} was not ready within ${READY_TIMEOUT_MS / 1000} s`);
}

function healthUrl(serviceUrl: string): string {
  return new URL('/health/ready', serviceUrl).href;
}

/** SIGTERM to the router first (it stops taking queries), then to the subgraphs; SIGKILL if one hangs. */
async function stopAll(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    if (children.size > 0) say('info', 'stopping');
    const router = children.get('router');
    if (router) await stop(router);
    await Promise.all([...children.values()].map(stop));
  }
  process.exit(exitCode);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
