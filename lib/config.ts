import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { subgraphNames, type SubgraphName } from '../subgraphs/index.ts';
import { failpointNames } from './failpoint.ts';

/**
 * The only module that reads the environment. Everything else receives a `Config`, so tests build
 * one from a plain object and every default (ports, URLs, secrets) has a single source.
 */

export type Environment = 'development' | 'production' | 'test';

/** Where a subgraph keeps its data: an embedded PGlite folder (or memory), or a PostgreSQL server. */
export type DatabaseTarget =
  | { kind: 'embedded'; dataDir: string | null }
  | { kind: 'postgres'; url: string };

export interface SubgraphConfig {
  name: SubgraphName;
  port: number;
  /** Where the router and the other subgraphs reach this one. */
  url: string;
  database: DatabaseTarget;
  /** How long a caller (the router, another subgraph) waits for this subgraph's answer. */
  timeoutMs: number;
}

/** What the router accepts from clients; each has a default and a variable. */
export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxRootFields: number;
  /** Lexical tokens in a document, checked while parsing. */
  maxTokens: number;
  /** See router/queryLimits.ts for how cost scales with page sizes. */
  maxCost: number;
  maxRequestBytes: number;
}

export interface Config {
  environment: Environment;
  /** Address every server binds to. */
  host: string;
  router: { port: number; url: string };
  /** A supergraph file (from `npm run compose`) for the router to load instead of composing at start. */
  supergraphFile: string | null;
  /** The router recomposes when a subgraph's SDL file changes (`npm run dev`). */
  watchSchemas: boolean;
  subgraphs: Record<SubgraphName, SubgraphConfig>;
  auth: {
    /** HMAC key for member tokens: signed by the members subgraph, verified by the router. */
    tokenSecret: string;
    tokenTtlSeconds: number;
  };
  /** Shared by the router and the subgraphs to sign the calls they make to a subgraph. */
  subgraphSecret: string;
  limits: QueryLimits;
  logLevel: string;
  /** Migrate embedded or PostgreSQL databases when a subgraph starts (off in production). */
  migrateOnStart: boolean;
  /** Fill a subgraph's empty database with the sample shop when it starts (on in development). */
  seedOnStart: boolean;
  /** Worker processes per service. */
  workers: number;
  /** A purchase still pending after this long was interrupted; the purchases service settles it. */
  pendingPurchaseGraceMs: number;
  /**
   * Batch the entity references of one request into one query per subgraph (the default). Off only
   * to measure what batching buys (npm run bench).
   */
  entityBatching: boolean;
  /** Test-only crash points (lib/failpoint.ts); refused in production. */
  failpoints: string[];
}

/**
 * The folder holding package.json. Found by looking upwards rather than fixed relative to this
 * file, because the same module runs from lib/ (under tsx) and from dist/lib/ (compiled).
 */
export const projectRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No package.json above ${from}`);
  }
}

const ROUTER_DEFAULT_PORT = 4000;
const DEVELOPMENT_TOKEN_SECRET = 'development-only-token-secret-change-me';
const DEVELOPMENT_SUBGRAPH_SECRET = 'development-only-subgraph-secret-change-me';
const MINIMUM_SECRET_LENGTH = 32;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);

  const environment = read.oneOf('NODE_ENV', ['development', 'production', 'test'], 'development');
  const production = environment === 'production';
  const host = read.string('HOST', '127.0.0.1');
  const dataDir = resolve(projectRoot, read.string('DATA_DIR', '.data'));

  const routerPort = read.port('ROUTER_PORT', ROUTER_DEFAULT_PORT);
  const subgraphTimeoutMs = read.integer('SUBGRAPH_TIMEOUT_MS', 5000, 50, 120_000);
  const subgraphs = Object.fromEntries(
    subgraphNames.map((name, index) => {
      const prefix = name.toUpperCase();
      const port = read.port(`${prefix}_PORT`, ROUTER_DEFAULT_PORT + 1 + index);
      const url = read.url(`${prefix}_URL`, `http://${clientHost(host)}:${port}/graphql`);
      const database = read.database(`${prefix}_DATABASE_URL`, resolve(dataDir, name));
      const timeoutMs = read.integer(`${prefix}_TIMEOUT_MS`, subgraphTimeoutMs, 50, 120_000);
      return [name, { name, port, url, database, timeoutMs }];
    }),
  ) as Record<SubgraphName, SubgraphConfig>;

  const config: Config = {
    environment,
    host,
    router: {
      port: routerPort,
      url: read.url('ROUTER_URL', `http://${clientHost(host)}:${routerPort}/`),
    },
    supergraphFile: read.optional('SUPERGRAPH_FILE'),
    watchSchemas: read.boolean('WATCH_SCHEMAS', false),
    subgraphs,
    auth: {
      tokenSecret: read.secret('AUTH_TOKEN_SECRET', production ? null : DEVELOPMENT_TOKEN_SECRET),
      tokenTtlSeconds: read.integer('AUTH_TOKEN_TTL_SECONDS', 3600, 60, 30 * 24 * 3600),
    },
    subgraphSecret: read.secret('SUBGRAPH_SECRET', production ? null : DEVELOPMENT_SUBGRAPH_SECRET),
    limits: {
      maxDepth: read.integer('MAX_QUERY_DEPTH', 10, 1, 100),
      maxAliases: read.integer('MAX_QUERY_ALIASES', 15, 0, 1000),
      maxDirectives: read.integer('MAX_QUERY_DIRECTIVES', 10, 0, 1000),
      maxRootFields: read.integer('MAX_ROOT_FIELDS', 10, 1, 1000),
      maxTokens: read.integer('MAX_QUERY_TOKENS', 2000, 100, 1_000_000),
      maxCost: read.integer('MAX_QUERY_COST', 3000, 10, 10_000_000),
      maxRequestBytes: read.integer('MAX_REQUEST_BYTES', 256 * 1024, 1024, 100 * 1024 * 1024),
    },
    logLevel: read.oneOf(
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      environment === 'test' ? 'silent' : 'info',
    ),
    migrateOnStart: read.boolean('MIGRATE_ON_START', !production),
    seedOnStart: read.boolean('SEED_ON_START', environment === 'development'),
    workers: read.integer('WORKERS', 1, 1, 64),
    pendingPurchaseGraceMs: read.integer('PENDING_PURCHASE_GRACE_MS', 30_000, 100, 3_600_000),
    entityBatching: read.boolean('ENTITY_BATCHING', true),
    failpoints: read.list('FAILPOINTS', failpointNames, production),
  };

  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return config;
}

/** For process entries: the config, or the list of what is wrong with it and exit code 2. */
export function loadConfigOrExit(overrides: Env = {}): Config {
  try {
    return loadConfigWith(overrides);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}

/** The config of this process's environment with some variables set or replaced. */
export function loadConfigWith(overrides: Env): Config {
  return loadConfig({ ...process.env, ...overrides });
}

/** Every variable the config reads: for documentation and for checking deployment manifests. */
export function configVariableNames(): string[] {
  const names = new Set<string>();
  const recorder = new Proxy({} as Env, {
    get(_target, name) {
      if (typeof name === 'string') names.add(name);
      return undefined;
    },
  });
  loadConfig(recorder);
  return [...names].sort();
}

/** Each subgraph's URL as the router and the other subgraphs reach it. */
export function subgraphUrls(config: Pick<Config, 'subgraphs'>): Record<SubgraphName, string> {
  return Object.fromEntries(subgraphNames.map((name) => [name, config.subgraphs[name].url])) as Record<SubgraphName, string>;
}

/** A wildcard bind address is not something a client can dial. */
function clientHost(bindHost: string): string {
  if (bindHost === '0.0.0.0' || bindHost === '::') return '127.0.0.1';
  return bindHost.includes(':') ? `[${bindHost}]` : bindHost;
}

class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  private raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

  list(name: string, allowed: readonly string[], refused: boolean): string[] {
    const items = (this.raw(name) ?? '').split(',').map((item) => item.trim()).filter(Boolean);
    if (items.length > 0 && refused) this.problems.push(`${name} is for tests and is refused in production`);
    const unknown = items.filter((item) => !allowed.includes(item));
    if (unknown.length > 0) this.problems.push(`${name} names unknown entries: ${unknown.join(', ')}`);
    return refused ? [] : items.filter((item) => allowed.includes(item));
  }

  optional(name: string): string | null {
    const value = this.raw(name);
    return value === undefined ? null : resolve(projectRoot, value);
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')}; got "${value}"`);
    return fallback;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max}; got "${value}"`);
      return fallback;
    }
    return parsed;
  }

  port(name: string, fallback: number): number {
    return this.integer(name, fallback, 0, 65535);
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(value)) return true;
    if (['0', 'false', 'no', 'off'].includes(value)) return false;
    this.problems.push(`${name} must be true or false; got "${value}"`);
    return fallback;
  }

  url(name: string, fallback: string): string {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
      this.problems.push(`${name} must be an http(s) URL; got "${value}"`);
      return fallback;
    }
    return value;
  }

  secret(name: string, fallback: string | null): string {
    const value = this.raw(name);
    if (value === undefined) {
      if (fallback === null) this.problems.push(`${name} is required in production`);
      return fallback ?? '';
    }
    if (value.length < MINIMUM_SECRET_LENGTH) {
      this.problems.push(`${name} must be at least ${MINIMUM_SECRET_LENGTH} characters`);
    }
    return value;
  }

  /**
   * `postgres://…` or `postgresql://…` selects PostgreSQL; `pglite:<folder>` or `pglite:memory` an
   * embedded database; unset means an embedded database in its default folder.
   */
  database(name: string, defaultDataDir: string): DatabaseTarget {
    const value = this.raw(name);
    if (value === undefined) return { kind: 'embedded', dataDir: defaultDataDir };
    if (/^postgres(ql)?:\/\//.test(value)) {
      if (!URL.canParse(value)) this.problems.push(`${name} is not a valid PostgreSQL URL`);
      return { kind: 'postgres', url: value };
    }
    if (value.startsWith('pglite:')) {
      const location = value.slice('pglite:'.length);
      if (location === 'memory') return { kind: 'embedded', dataDir: null };
      if (location === '') this.problems.push(`${name} needs a folder after "pglite:"`);
      return {
        kind: 'embedded',
        dataDir: isAbsolute(location) ? location : resolve(projectRoot, location),
      };
    }
    this.problems.push(
      `${name} must start with postgres://, postgresql:// or pglite:; got "${value.replace(/\/\/[^@/]*@/, '//…@')}"`,
    );
    return { kind: 'embedded', dataDir: defaultDataDir };
  }
}
