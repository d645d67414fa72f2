import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot } from '../../lib/config.ts';
import { subgraphNames } from '../../subgraphs/index.ts';
import { freePort } from './serviceProcess.ts';
import { createPostgresDatabase, dropPostgresDatabase, type DatabaseKind } from './testDatabase.ts';

export interface LogEntry {
  service: string;
  msg: string;
  requestId?: string;
  sqlStatements?: number;
  operationName?: string;
  [key: string]: unknown;
}

export interface RunningShop {
  routerUrl: string;
  ports: Record<string, number>;
  /** Every JSON line the four processes have logged so far. */
  logs: LogEntry[];
  /** Everything printed, as text, for failure messages. */
  output: string[];
  /** POSTs a GraphQL operation to the router. */
  query<Data = Record<string, unknown>>(
    query: string,
    options?: { variables?: Record<string, unknown>; token?: string; requestId?: string },
  ): Promise<{ status: number; data?: Data; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }>;
  /** The `npm start` process itself. */
  supervisorPid: number;
  /** Ctrl-C, as a user would; resolves with the supervisor's exit code. */
  stop(): Promise<number | null>;
}

/**
 * Runs what `npm start` runs, the compiled dist/scripts/start.js (built once per test run by the
 * global setup), on free ports and fresh databases: embedded in a temporary folder, or new
 * PostgreSQL databases. Resolves once it reports all four services ready.
 */
export async function startShop(kind: DatabaseKind, env: Record<string, string> = {}): Promise<RunningShop> {
  const ports = { router: await freePort(), ...Object.fromEntries(await Promise.all(subgraphNames.map(async (name) => [name, await freePort()]))) };
  const dataDir = mkdtempSync(join(tmpdir(), 'shop-e2e-'));
  const postgres = kind === 'postgres' ? await Promise.all(subgraphNames.map((name) => createPostgresDatabase(name))) : [];
  const databaseEnv = Object.fromEntries(subgraphNames.flatMap((name, index) => {
    const target = postgres[index];
    return target ? [[`${name.toUpperCase()}_DATABASE_URL`, target.url]] : [];
  }));

  const child: ChildProcess = spawn(process.execPath, [join(projectRoot, 'dist', 'scripts', 'start.js')], {
    cwd: projectRoot,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      SEED_ON_START: 'true',
      DATA_DIR: dataDir,
      ROUTER_PORT: String(ports.router),
      ...Object.fromEntries(subgraphNames.map((name) => [`${name.toUpperCase()}_PORT`, String(ports[name])])),
      ...databaseEnv,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  const logs: LogEntry[] = [];
  const output: string[] = [];
  let announceReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (announceReady = resolve));
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      output.push(line);
      if (line.startsWith('{')) {
        try {
          logs.push(JSON.parse(line) as LogEntry);
        } catch {
          // Not every line that starts with a brace is a log entry.
        }
      }
      if (line.startsWith('The federated shop is running')) announceReady();
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const failedEarly = exited.then((code) => {
    throw new Error(`start.ts exited with ${code} before it was ready:\n${output.join('\n')}`);
  });
  failedEarly.catch(() => {});
  await Promise.race([ready, failedEarly]);

  const routerUrl = `http://127.0.0.1:${ports.router}/`;
  return {
    routerUrl,
    ports,
    logs,
    output,
    supervisorPid: child.pid ?? 0,
    async query(query, options = {}) {
      const response = await fetch(routerUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.requestId ? { 'x-request-id': options.requestId } : {}),
        },
        body: JSON.stringify({ query, variables: options.variables ?? {} }),
      });
      return { status: response.status, ...((await response.json()) as object) };
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      const code = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      await Promise.all(postgres.map((target) => dropPostgresDatabase(target)));
      return code;
    },
  };
}
