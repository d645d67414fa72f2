import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { signSubgraphRequest } from '../lib/auth/subgraphSignature.ts';
import { projectRoot, type DatabaseTarget } from '../lib/config.ts';
import { adminQuery, databaseUrl } from '../lib/database/postgresServerAdmin.ts';
import { nodeEntry } from '../lib/process/nodeEntry.ts';
import { isSubgraphName, subgraphNames, type SubgraphName } from '../subgraphs/index.ts';
import { cpuMilliseconds, physicalMiB, rssMiB } from './processStats.ts';
import { writeReport, type BenchResults, type Measurement } from './report.ts';
import { seedBenchData, BENCH_PASSWORD, type BenchData } from './seedBenchData.ts';
import { shapesFor, type Shape } from './shapes.ts';
import {
  BENCH_PORTS,
  BENCH_SECRETS,
  SystemUnderTest,
  systemTitles,
  type BenchDatabases,
  type SystemKind,
} from './SystemUnderTest.ts';

/**
 * `npm run bench`: measures the federated shop against what it must come close to: the same
 * queries answered by one process (the limit), the same router with entity batching off, and Hive
 * Gateway over the same subgraphs. Everything under test runs on one core and the load generator
 * (autocannon) on the other, so throughput ratios are CPU-per-request ratios. Writes
 * bench/results.json, bench/chart.svg and BENCHMARKS.md.
 *
 *   npm run bench                  full run (about 20 minutes, with a 5-minute soak)
 *   npm run bench -- --quick       3-second runs, 2 short rounds, no soak: a smoke test of the whole pipeline
 *   npm run bench -- --database postgres://postgres@127.0.0.1:5432/postgres
 *                                  each subgraph on its own PostgreSQL database (the production path)
 *   npm run bench -- --report-only write BENCHMARKS.md again from bench/results.json and findings.md
 */

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    seconds: { type: 'string' },
    warmup: { type: 'string' },
    soak: { type: 'string' },
    /** How many alternating rounds the compared systems take turns in (0: none), each turn's length, and the warm-up before them. */
    rounds: { type: 'string' },
    'round-seconds': { type: 'string' },
    'round-warmup': { type: 'string' },
    systems: { type: 'string' },
    shapes: { type: 'string' },
    'skip-hive': { type: 'boolean', default: false },
    /** embedded (PGlite in each process, the default) or a PostgreSQL server URL. */
    database: { type: 'string', default: 'embedded' },
    /** Where to write the results; by default bench/ and BENCHMARKS.md at the project root. */
    out: { type: 'string' },
    /** Only write BENCHMARKS.md and the chart again from bench/results.json (after editing findings.md). */
    'report-only': { type: 'boolean', default: false },
  },
});

const SECONDS = Number(options.seconds ?? (options.quick ? 3 : 10));
const WARMUP_SECONDS = Number(options.warmup ?? (options.quick ? 1 : 3));
const SOAK_SECONDS = Number(options.soak ?? (options.quick ? 0 : 300));
const ROUNDS = Number(options.rounds ?? (options.quick ? 2 : 5));
const ROUND_SECONDS = Number(options['round-seconds'] ?? (options.quick ? 2 : 5));
const ROUND_WARMUP_SECONDS = Number(options['round-warmup'] ?? (options.quick ? 5 : 20));
const CONCURRENCIES = [1, 50];
const LOAD_CORE = 0;
const SYSTEM_CORE = 1;
const benchDir = join(projectRoot, 'bench');
/** The members subgraph itself, called without the router to isolate the router's overhead on (d). */
const MEMBERS_DIRECT_URL = `http://127.0.0.1:${BENCH_PORTS.members}/graphql`;
const workDir = join(benchDir, '.runs');

const allSystems: SystemKind[] = ['federated', 'federated-unbatched', 'monolith', 'hive-gateway', 'hive-gateway-dedup'];
const systems = (options.systems?.split(',') as SystemKind[] | undefined) ?? allSystems.filter((kind) => !(kind.startsWith('hive') && options['skip-hive']));
const started = Date.now();
const say = (message: string) => console.log(`[${formatDuration(Date.now() - started)}] ${message}`);

if (options['report-only']) {
  const saved = JSON.parse(readFileSync(join(benchDir, 'results.json'), 'utf8')) as BenchResults;
  console.log(`wrote ${writeReport(saved, benchDir, projectRoot).join(', ')}`);
  process.exit(0);
}

// Leave through process.exit on Ctrl-C too, so the exit handlers (PostgreSQL's cores) run.
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

const pinned = pinLoadGenerator();
if (systems.some((kind) => kind.startsWith('hive'))) installHiveGateway();
const { databases, data } = await seedOnce();
const postgresPids = databases.kind === 'postgres' ? pinPostgres() : [];
const shapes = shapesFor(data).filter((shape) => !options.shapes || options.shapes.split(',').includes(shape.key));

const measurements: Measurement[] = [];
const memoryAtStart: BenchResults['memoryAtStart'] = {};
const memoryAtRest: BenchResults['memoryAtRest'] = {};
const physicalMemoryAtStart: BenchResults['physicalMemoryAtStart'] = {};
const physicalMemoryAtRest: BenchResults['physicalMemoryAtRest'] = {};
const perRequest: BenchResults['perRequest'] = {};
const totalRuns = systems.length * shapes.length * CONCURRENCIES.length + (systems.includes('federated') ? CONCURRENCIES.length : 0);
let run = 0;

for (const kind of systems) {
  say(`starting ${systemTitles[kind]}`);
  const system = await SystemUnderTest.start(kind, databases, join(workDir, kind), pinned ? SYSTEM_CORE : null);
  try {
    await sleep(2000);
    memoryAtStart[kind] = rssOf(system);
    physicalMemoryAtStart[kind] = physicalOf(system);
    say(`  memory just started: ${describeMemory(memoryAtStart[kind]!, physicalMemoryAtStart[kind]!)}`);
    const tokens = { member: await login(system.url, data.member.username), admin: await login(system.url, data.admin.username) };
    perRequest[kind] = {};
    for (const shape of shapes) perRequest[kind]![shape.key] = await probe(system, shape, tokens);
    await sleep(2000);
    memoryAtRest[kind] = rssOf(system);
    physicalMemoryAtRest[kind] = physicalOf(system);
    say(`  memory at rest: ${describeMemory(memoryAtRest[kind]!, physicalMemoryAtRest[kind]!)}`);

    for (const shape of shapes) {
      for (const connections of CONCURRENCIES) {
        const measurement = await measure(system, system.url, shape, connections, authHeaders(shape, tokens));
        measurements.push({ system: kind, shape: shape.key, connections, ...measurement });
        say(`  [${++run}/${totalRuns}] ${kind} ${shape.key} c=${connections}: ${describe(measurement)}`);
      }
    }
    if (kind === 'federated') {
      const passThrough = shapes.find((shape) => shape.key === 'd');
      for (const connections of passThrough ? CONCURRENCIES : []) {
        const measurement = await measure(system, MEMBERS_DIRECT_URL, passThrough!, connections, {}, true);
        measurements.push({ system: 'members-subgraph-direct', shape: 'd', connections, ...measurement });
        say(`  [${++run}/${totalRuns}] members subgraph direct d c=${connections}: ${describe(measurement)}`);
      }
    }
  } finally {
    await system.stop();
  }
}

const rounds = ROUNDS > 0 && systems.includes('federated') ? await alternatingRounds() : null;

let soak: BenchResults['soak'] = null;
if (SOAK_SECONDS > 0 && systems.includes('federated')) soak = await soakTest();

const results: BenchResults = {
  date: new Date().toISOString(),
  command: `npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  machine: machine(),
  pinned,
  settings: { seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, concurrencies: CONCURRENCIES, soakSeconds: SOAK_SECONDS, rounds: ROUNDS, roundSeconds: ROUND_SECONDS },
  dataset: { members: 1000, products: 200, purchases: 10_000, database: databases.kind },
  systems: Object.fromEntries(systems.map((kind) => [kind, systemTitles[kind]])),
  shapes: Object.fromEntries(shapes.map((shape) => [shape.key, shape.title])),
  measurements,
  perRequest,
  memoryAtStart,
  memoryAtRest,
  physicalMemoryAtStart,
  physicalMemoryAtRest,
  rounds,
  soak,
};
const outDir = options.out ? resolve(projectRoot, options.out) : null;
const written = writeReport(results, outDir ?? benchDir, outDir ?? projectRoot);
say(`done: ${written.join(', ')}`);
process.exit(0);

async function measure(
  system: SystemUnderTest,
  url: string,
  shape: Shape,
  connections: number,
  headers: Record<string, string>,
  signForSubgraph = false,
): Promise<Omit<Measurement, 'system' | 'shape' | 'connections'>> {
  const body = JSON.stringify({ query: shape.query, variables: shape.variables });
  const signed = () => (signForSubgraph ? signedAsRouter(body) : {});
  await load({ url, body, headers: { ...headers, ...signed() }, connections, seconds: WARMUP_SECONDS });
  const processes = system.processes;
  // The database server's CPU counts too: it does the same work for every system.
  const cpuProcesses = [...processes, ...postgresPids.map((pid) => ({ name: 'postgres', pid }))];
  const cpuBefore = cpuProcesses.map(({ pid }) => cpuMilliseconds(pid));
  const peaks = new Map(processes.map(({ name }) => [name, 0]));
  const sampler = setInterval(() => {
    for (const { name, pid } of processes) peaks.set(name, Math.max(peaks.get(name) ?? 0, rssMiB(pid)));
  }, 250);
  const result = await load({ url, body, headers: { ...headers, ...signed() }, connections, seconds: SECONDS });
  clearInterval(sampler);
  const cpuByProcess = new Map<string, number>();
  cpuProcesses.forEach(({ name, pid }, index) => cpuByProcess.set(name, (cpuByProcess.get(name) ?? 0) + cpuMilliseconds(pid) - cpuBefore[index]!));
  const cpu = [...cpuByProcess.values()].reduce((total, ms) => total + ms, 0);
  const perRequest = (ms: number) => (result.requests > 0 ? round(ms / result.requests, 3) : null);
  return {
    ...result,
    cpuMsPerRequest: perRequest(cpu),
    cpuMsPerRequestByProcess: Object.fromEntries([...cpuByProcess].map(([name, ms]) => [name, perRequest(ms)])),
    peakRssMiB: Object.fromEntries([...peaks].map(([name, mib]) => [name, round(mib)])),
  };
}

type LoadResult = Pick<Measurement, 'requests' | 'requestsPerSecond' | 'p50' | 'p95' | 'p99' | 'errors'>;

function load(settings: { url: string; body: string; headers: Record<string, string>; connections: number; seconds: number }): Promise<LoadResult> {
  const worker = [process.execPath, ...nodeEntry(import.meta.url, './loadWorker'), JSON.stringify(settings)];
  const child = pinned ? spawn('taskset', ['-c', String(LOAD_CORE), ...worker], { cwd: projectRoot }) : spawn(worker[0]!, worker.slice(1), { cwd: projectRoot });
  let output = '';
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk));
  return new Promise((resolve, reject) =>
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`load generator failed: ${errors}`));
      const result = JSON.parse(output) as LoadResult;
      resolve({ ...result, requestsPerSecond: round(result.requestsPerSecond, 1) });
    }),
  );
}

/** One request of a shape, to check it answers without errors and count its SQL and subgraph calls. */
async function probe(system: SystemUnderTest, shape: Shape, tokens: { member: string; admin: string }) {
  const requestId = `probe-${system.kind}-${shape.key}`;
  const response = await fetch(system.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...authHeaders(shape, tokens) },
    body: JSON.stringify({ query: shape.query, variables: shape.variables }),
  });
  const body = (await response.json()) as { errors?: unknown[] };
  if (body.errors) throw new Error(`${system.kind} ${shape.key} answered with errors: ${JSON.stringify(body.errors)}`);
  await sleep(300);
  let sqlStatements = 0;
  let subgraphCalls = 0;
  for (const { name } of system.processes) {
    for (const line of system.logLines(name)) {
      if (line['requestId'] !== requestId || line['msg'] !== 'request') continue;
      sqlStatements += Number(line['sqlStatements'] ?? 0);
      if (isSubgraphName(name)) subgraphCalls += 1;
    }
  }
  return { sqlStatements, subgraphCalls };
}

/**
 * The bars compare systems, and on a shared machine identical runs minutes apart differ by up to
 * 40%: one system measured in a quiet minute and another in a busy one would give a ratio that
 * says more about the minute than the systems. So the compared systems run side by side on the
 * core under test (Hive Gateway over the very subgraph processes the router calls) and take turns
 * in short rounds, the order rotating each round; each round yields one ratio, and the bars are
 * read off the median.
 */
async function alternatingRounds(): Promise<NonNullable<BenchResults['rounds']>> {
  const compared = (['federated', 'monolith', 'hive-gateway'] as const).filter((kind) => systems.includes(kind));
  // Throughput needs something to compare with; the pass-through overhead compares within the shop.
  const throughputShape = compared.length > 1 ? shapes.find((shape) => shape.key === 'b') : undefined;
  const passThroughShape = shapes.find((shape) => shape.key === 'd');
  say(`alternating rounds: ${compared.join(', ')} side by side, ${ROUNDS} rounds of ${ROUND_SECONDS} s per turn`);
  const running = new Map<SystemKind, SystemUnderTest>();
  const throughput: Record<string, number[]> = {};
  const passThroughP50 = { router: [] as number[], direct: [] as number[] };
  try {
    const federated = await SystemUnderTest.start('federated', databases, join(workDir, 'rounds-federated'), pinned ? SYSTEM_CORE : null);
    running.set('federated', federated);
    if (compared.includes('monolith')) {
      const options = { gatewayPort: BENCH_PORTS.gateway + 10 };
      running.set('monolith', await SystemUnderTest.start('monolith', databases, join(workDir, 'rounds-monolith'), pinned ? SYSTEM_CORE : null, options));
    }
    if (compared.includes('hive-gateway')) {
      const options = { gatewayPort: BENCH_PORTS.gateway + 20, subgraphsOf: federated };
      running.set('hive-gateway', await SystemUnderTest.start('hive-gateway', databases, join(workDir, 'rounds-hive'), pinned ? SYSTEM_CORE : null, options));
    }
    const tokens = { member: await login(federated.url, data.member.username), admin: await login(federated.url, data.admin.username) };
    const run = (url: string, shape: Shape, connections: number, headers: Record<string, string>, seconds: number) =>
      load({ url, body: JSON.stringify({ query: shape.query, variables: shape.variables }), headers, connections, seconds });
    // After the other systems' turns, one second for new connections and cold caches, then measure.
    const turn = async (url: string, shape: Shape, connections: number, headers: Record<string, string>) => {
      await run(url, shape, connections, headers, 1);
      return run(url, shape, connections, headers, ROUND_SECONDS);
    };
    // Each process compiles its hot code on its own, and the federated system has four of them: in
    // rounds after a 3-second warm-up, its (b) throughput was still rising in the fourth round.
    say(`  warming up each system for ${ROUND_WARMUP_SECONDS} s per shape`);
    if (throughputShape) {
      for (const kind of compared) {
        await run(running.get(kind)!.url, throughputShape, 50, authHeaders(throughputShape, tokens), ROUND_WARMUP_SECONDS);
      }
    }
    // Signed when asked for: a signature is valid for a minute, and the rounds take longer.
    const passThrough = (shape: Shape, target: 'router' | 'direct') =>
      target === 'router'
        ? { url: federated.url, headers: authHeaders(shape, tokens) }
        : { url: MEMBERS_DIRECT_URL, headers: signedAsRouter(JSON.stringify({ query: shape.query, variables: shape.variables })) };
    if (passThroughShape) {
      for (const target of ['router', 'direct'] as const) {
        const { url, headers } = passThrough(passThroughShape, target);
        await run(url, passThroughShape, 1, headers, ROUND_WARMUP_SECONDS);
      }
    }
    for (let index = 0; index < ROUNDS; index++) {
      const summary: string[] = [];
      if (throughputShape) {
        for (const kind of rotate(compared, index)) {
          const result = await turn(running.get(kind)!.url, throughputShape, 50, authHeaders(throughputShape, tokens));
          (throughput[kind] ??= []).push(result.requestsPerSecond);
          summary.push(`${kind} ${result.requestsPerSecond} req/s`);
        }
      }
      if (passThroughShape) {
        for (const target of rotate(['router', 'direct'] as const, index)) {
          const { url, headers } = passThrough(passThroughShape, target);
          const result = await turn(url, passThroughShape, 1, headers);
          passThroughP50[target].push(round(result.p50 ?? 0, 2));
        }
        summary.push(`(d) p50 ${passThroughP50.router.at(-1)} ms routed, ${passThroughP50.direct.at(-1)} ms direct`);
      }
      say(`  round ${index + 1}/${ROUNDS}: ${summary.join(', ')}`);
    }
  } finally {
    // Hive Gateway and the single process first: the federated system owns the shared subgraphs.
    for (const system of [...running.values()].reverse()) await system.stop();
  }
  return { count: ROUNDS, seconds: ROUND_SECONDS, warmupSeconds: ROUND_WARMUP_SECONDS, throughput: { shape: 'b', connections: 50, requestsPerSecond: throughput }, passThroughP50: { shape: 'd', connections: 1, ...passThroughP50 } };
}

/** The list started at a different place each round, so no system always goes first. */
function rotate<T>(items: readonly T[], round: number): T[] {
  const start = round % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

async function soakTest(): Promise<NonNullable<BenchResults['soak']>> {
  say(`soak: federated, shape b at 50 connections for ${SOAK_SECONDS} s`);
  const system = await SystemUnderTest.start('federated', databases, join(workDir, 'soak'), pinned ? SYSTEM_CORE : null);
  try {
    const admin = await login(system.url, data.admin.username);
    const shape = shapes.find((candidate) => candidate.key === 'b') ?? shapes[0]!;
    const samples: Array<{ seconds: number; rssMiB: Record<string, number> }> = [];
    const begin = Date.now();
    const sampler = setInterval(() => {
      samples.push({
        seconds: Math.round((Date.now() - begin) / 1000),
        rssMiB: rssOf(system),
      });
      if (samples.length % 12 === 0) say(`  soak ${samples.at(-1)!.seconds} s: ${Object.entries(samples.at(-1)!.rssMiB).map(([n, m]) => `${n} ${m}`).join(', ')} MiB`);
    }, 5000);
    const result = await load({
      url: system.url,
      body: JSON.stringify({ query: shape.query, variables: shape.variables }),
      headers: { authorization: `Bearer ${admin}` },
      connections: 50,
      seconds: SOAK_SECONDS,
    });
    clearInterval(sampler);
    return { shape: shape.key, connections: 50, seconds: SOAK_SECONDS, requestsPerSecond: result.requestsPerSecond, errors: result.errors, samples };
  } finally {
    await system.stop();
  }
}

function rssOf(system: SystemUnderTest): Record<string, number> {
  return Object.fromEntries(system.processes.map(({ name, pid }) => [name, round(rssMiB(pid))]));
}

function physicalOf(system: SystemUnderTest): number | null {
  const mib = physicalMiB(system.processes.map(({ pid }) => pid));
  return mib === null ? null : round(mib);
}

function describeMemory(rss: Record<string, number>, physical: number | null): string {
  const each = Object.entries(rss).map(([name, mib]) => `${name} ${mib} MiB`).join(', ');
  return physical === null ? `RSS ${each}` : `RSS ${each}; ${physical} MiB physical, each page once`;
}

async function login(url: string, username: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', variables: { u: username, p: BENCH_PASSWORD } }),
  });
  const body = (await response.json()) as { data?: { login: { token: string } } };
  if (!body.data) throw new Error(`could not log in as ${username}: ${JSON.stringify(body)}`);
  return body.data.login.token;
}

/** A direct call to a subgraph carries the router's signature, valid for a minute from now. */
function signedAsRouter(body: string): Record<string, string> {
  return signSubgraphRequest({ requestId: 'bench-direct', viewer: null, body }, BENCH_SECRETS.SUBGRAPH_SECRET);
}

function authHeaders(shape: Shape, tokens: { member: string; admin: string }): Record<string, string> {
  return shape.as === 'nobody' ? {} : { authorization: `Bearer ${tokens[shape.as]}` };
}

/**
 * Seeds the data set: once into embedded folders, reused while the migrations and the seeding
 * code are unchanged; or into template databases on a PostgreSQL server, on every run.
 */
async function seedOnce(): Promise<{ databases: BenchDatabases; data: BenchData }> {
  if (options.database !== 'embedded') {
    const serverUrl = options.database!;
    const templates = Object.fromEntries(subgraphNames.map((name) => [name, `shop_bench_template_${name}`])) as Record<SubgraphName, string>;
    say(`seeding 1,000 members, 200 products and 10,000 purchases into PostgreSQL at ${new URL(serverUrl).host}`);
    for (const name of subgraphNames) {
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${templates[name]}" WITH (FORCE)`);
      await adminQuery(serverUrl, `CREATE DATABASE "${templates[name]}"`);
    }
    const data = await seedBenchData(
      Object.fromEntries(subgraphNames.map((name) => [name, { kind: 'postgres', url: databaseUrl(serverUrl, templates[name]) }])) as Record<
        SubgraphName,
        DatabaseTarget
      >,
    );
    return { databases: { kind: 'postgres', serverUrl, templates }, data };
  }
  const fingerprint = createHash('sha256');
  fingerprint.update(readFileSync(join(benchDir, 'seedBenchData.ts')));
  for (const name of subgraphNames) {
    const migrations = join(projectRoot, 'prisma', name, 'migrations');
    for (const entry of readdirSync(migrations).sort()) {
      const file = join(migrations, entry, 'migration.sql');
      if (existsSync(file)) fingerprint.update(readFileSync(file));
    }
  }
  const templateDir = join(workDir, `dataset-${fingerprint.digest('hex').slice(0, 12)}`);
  const dataFile = join(templateDir, 'bench-data.json');
  if (existsSync(dataFile)) {
    say(`reusing the seeded data set in ${templateDir}`);
    return { databases: { kind: 'embedded', templateDir }, data: JSON.parse(readFileSync(dataFile, 'utf8')) as BenchData };
  }
  say('seeding 1,000 members, 200 products and 10,000 purchases');
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(templateDir, { recursive: true });
  const data = await seedBenchData(
    Object.fromEntries(subgraphNames.map((name) => [name, { kind: 'embedded', dataDir: join(templateDir, name) }])) as Record<SubgraphName, DatabaseTarget>,
  );
  writeFileSync(dataFile, JSON.stringify(data, null, 2));
  return { databases: { kind: 'embedded', templateDir }, data };
}

/**
 * Moves the PostgreSQL server onto the core under test for the run (its new backends inherit the
 * postmaster's affinity), so the database work counts against the same CPU budget as everything
 * else; all cores are given back on exit.
 */
function pinPostgres(): number[] {
  const pids = execFileSync('pgrep', ['-x', 'postgres']).toString().trim().split('\n').map(Number).filter(Boolean);
  if (!pinned) return pids;
  for (const pid of pids) execFileSync('taskset', ['-a', '-cp', String(SYSTEM_CORE), String(pid)], { stdio: 'ignore' });
  process.on('exit', () => {
    for (const pid of execFileSync('pgrep', ['-x', 'postgres']).toString().trim().split('\n')) {
      try {
        execFileSync('taskset', ['-a', '-cp', `0-${cpus().length - 1}`, pid], { stdio: 'ignore' });
      } catch {
        // The backend ended meanwhile.
      }
    }
  });
  say(`PostgreSQL (${pids.length} processes) pinned to core ${SYSTEM_CORE} for the run`);
  // The postmaster is the oldest: its process tree is the whole server.
  return [Math.min(...pids)];
}

/** Keeps this script and the load generator on core 0; the systems get core 1. */
function pinLoadGenerator(): boolean {
  if (cpus().length < 2) {
    say('only one CPU: running unpinned; ratios are still comparable, absolute numbers are not');
    return false;
  }
  try {
    execFileSync('taskset', ['-a', '-cp', String(LOAD_CORE), String(process.pid)], { stdio: 'ignore' });
    say(`load generator on core ${LOAD_CORE}, systems under test on core ${SYSTEM_CORE}`);
    return true;
  } catch {
    say('taskset is not available: running unpinned');
    return false;
  }
}

function installHiveGateway(): void {
  const hiveDir = join(benchDir, '.hive');
  if (existsSync(join(hiveDir, 'node_modules', '@graphql-hive', 'gateway'))) return;
  say('installing @graphql-hive/gateway@2.15.1 into bench/.hive (once; not a project dependency)');
  mkdirSync(hiveDir, { recursive: true });
  writeFileSync(join(hiveDir, 'package.json'), '{ "name": "bench-hive-gateway", "private": true }\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '@graphql-hive/gateway@2.15.1'], { cwd: hiveDir, stdio: 'inherit' });
}

function machine() {
  const release = (() => {
    try {
      return execFileSync('uname', ['-sr']).toString().trim();
    } catch {
      return process.platform;
    }
  })();
  return { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: round(totalmem() / 2 ** 30, 1), node: process.version, os: release };
}

function describe(measurement: LoadResult & { cpuMsPerRequest: number | null; cpuMsPerRequestByProcess: Record<string, number | null> }): string {
  const split = Object.entries(measurement.cpuMsPerRequestByProcess).map(([name, ms]) => `${name} ${ms}`).join(', ');
  return `${measurement.requestsPerSecond} req/s, p50 ${round(measurement.p50 ?? 0, 2)} ms, p99 ${round(measurement.p99 ?? 0, 2)} ms, ${measurement.cpuMsPerRequest} CPU-ms/req (${split}), ${measurement.errors} errors`;
}

function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function formatDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
