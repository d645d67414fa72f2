import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, createWriteStream, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../lib/config.ts';
import { adminQuery, databaseUrl } from '../lib/database/postgresServerAdmin.ts';
import { nodeEntry } from '../lib/process/nodeEntry.ts';
import { serviceNodeFlags } from '../lib/process/serviceNodeFlags.ts';
import { subgraphNames, type SubgraphName } from '../subgraphs/index.ts';

/**
 * One system the benchmark measures, as the processes that make it, each pinned to the core under
 * test with `taskset`, on a fresh copy of the seeded data, in production mode.
 */

export type SystemKind = 'federated' | 'federated-unbatched' | 'monolith' | 'hive-gateway' | 'hive-gateway-dedup';

export const systemTitles: Record<SystemKind, string> = {
  federated: 'Federated shop (router, batched)',
  'federated-unbatched': 'Federated shop, batching off',
  monolith: 'Single process (limit)',
  'hive-gateway': 'Hive Gateway, same subgraphs',
  'hive-gateway-dedup': 'Hive Gateway as shipped (shares identical calls across viewers)',
};

export const BENCH_PORTS = { gateway: 4300, members: 4301, products: 4302, purchases: 4303 } as const;
export const BENCH_SECRETS = {
  AUTH_TOKEN_SECRET: 'benchmark-token-secret-0123456789abcdef',
  SUBGRAPH_SECRET: 'benchmark-subgraph-secret-0123456789abcdef',
};

/** Where the seeded data set lives: embedded folders to copy, or template databases to copy. */
export type BenchDatabases =
  | { kind: 'embedded'; templateDir: string }
  | { kind: 'postgres'; serverUrl: string; templates: Record<SubgraphName, string> };

interface Member {
  name: string;
  child: ChildProcess;
  logFile: string;
}

export interface StartOptions {
  /** Where the router, Hive Gateway or single process listens: BENCH_PORTS.gateway unless given. */
  gatewayPort?: number;
  /** A running federated system whose subgraphs this system's gateway calls, instead of starting its own. */
  subgraphsOf?: SystemUnderTest;
}

export class SystemUnderTest {
  private constructor(
    readonly kind: SystemKind,
    /** The router, Hive Gateway or the single process. */
    private readonly gateway: Member,
    /** The subgraph processes its gateway calls (none for the single process). */
    private readonly subgraphs: Member[],
    /** What stop() ends: the processes this system started itself. */
    private readonly own: Member[],
    readonly url: string,
    private readonly cleanUp: () => Promise<void>,
  ) {}

  static async start(
    kind: SystemKind,
    databases: BenchDatabases,
    runDir: string,
    core: number | null,
    options: StartOptions = {},
  ): Promise<SystemUnderTest> {
    rmSync(runDir, { recursive: true, force: true });
    mkdirSync(runDir, { recursive: true });
    const gatewayPort = options.gatewayPort ?? BENCH_PORTS.gateway;
    const startsSubgraphs = kind !== 'monolith' && !options.subgraphsOf;
    const databaseUrls = {} as Record<SubgraphName, string>;
    // A system whose gateway calls another system's subgraphs uses their databases too.
    if (!options.subgraphsOf) {
      if (databases.kind === 'embedded') {
        cpSync(databases.templateDir, join(runDir, 'data'), { recursive: true });
        for (const name of subgraphNames) databaseUrls[name] = `pglite:${join(runDir, 'data', name)}`;
      } else {
        for (const name of subgraphNames) {
          const copy = `shop_bench_${kind.replaceAll('-', '_')}_${name}`;
          await adminQuery(databases.serverUrl, `DROP DATABASE IF EXISTS "${copy}" WITH (FORCE)`);
          await adminQuery(databases.serverUrl, `CREATE DATABASE "${copy}" TEMPLATE "${databases.templates[name]}"`);
          databaseUrls[name] = databaseUrl(databases.serverUrl, copy);
        }
      }
    }
    const cleanUp = async () => {
      if (databases.kind !== 'postgres') return;
      for (const url of Object.values(databaseUrls)) {
        await adminQuery(databases.serverUrl, `DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
      }
    };
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      ...BENCH_SECRETS,
      ENTITY_BATCHING: kind === 'federated-unbatched' ? 'false' : 'true',
      ROUTER_PORT: String(gatewayPort),
      ...Object.fromEntries(
        subgraphNames.flatMap((name) => [
          [`${name.toUpperCase()}_PORT`, String(BENCH_PORTS[name])],
          ...(databaseUrls[name] ? [[`${name.toUpperCase()}_DATABASE_URL`, databaseUrls[name]]] : []),
        ]),
      ),
    };
    const own: Member[] = [];
    // The shop's own services run as npm start runs them. The baselines keep Node's defaults: the
    // heap limit that keeps the shop's processes small cost the single process about a fifth more
    // CPU per request on (b) and (c) in an A/B (bench/findings.md), and a baseline runs at its best.
    const launch = (name: string, entry: string, args: string[] = [], nodeFlags = serviceNodeFlags): Member => {
      const logFile = join(runDir, `${name}.log`);
      const command = [process.execPath, ...nodeFlags, ...nodeEntry(import.meta.url, entry), ...args];
      const child = core === null ? spawn(command[0]!, command.slice(1), spawnOptions(env)) : spawn('taskset', ['-c', String(core), ...command], spawnOptions(env));
      const log = createWriteStream(logFile);
      child.stdout?.pipe(log);
      child.stderr?.pipe(log);
      const member = { name, child, logFile };
      own.push(member);
      return member;
    };
    let subgraphs: Member[] = options.subgraphsOf?.subgraphs ?? [];
    if (startsSubgraphs) {
      subgraphs = subgraphNames.map((name) => launch(name, '../scripts/serve', [name]));
      await Promise.all(subgraphNames.map((name) => waitForHttp(`http://127.0.0.1:${BENCH_PORTS[name]}/health/ready`)));
    }
    const gateway =
      kind === 'monolith'
        ? launch('monolith', './monolith', [], [])
        : kind === 'hive-gateway'
          ? launch('hive-gateway', './hiveGateway', [], [])
          : kind === 'hive-gateway-dedup'
            ? launch('hive-gateway', './hiveGateway', ['--deduplicate'], [])
            : launch('router', '../scripts/serve', ['router']);
    const url = `http://127.0.0.1:${gatewayPort}/graphql`;
    await waitForGraphQL(url);
    return new SystemUnderTest(kind, gateway, subgraphs, own, url, cleanUp);
  }

  /** The gateway (or single) process first, then the subgraphs. */
  get processes(): Array<{ name: string; pid: number }> {
    return [this.gateway, ...this.subgraphs].map((member) => ({ name: member.name, pid: member.child.pid ?? 0 }));
  }

  /** The JSON lines a process has logged. */
  logLines(name: string): Array<Record<string, unknown>> {
    const member = [this.gateway, ...this.subgraphs].find((candidate) => candidate.name === name);
    if (!member) return [];
    return readFileSync(member.logFile, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  /** Stops the processes this system started (not subgraphs it shares with another system). */
  async stop(): Promise<void> {
    await Promise.all(
      this.own.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    await this.cleanUp();
  }
}

function spawnOptions(env: Record<string, string>) {
  return { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'] };
}

async function waitForHttp(url: string): Promise<void> {
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
    if (await fetch(url).then((response) => response.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not become ready`);
}

async function waitForGraphQL(url: string): Promise<void> {
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
    const ok = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    }).then((response) => response.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer GraphQL`);
}
