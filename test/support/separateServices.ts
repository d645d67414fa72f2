import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseTarget } from '../../lib/config.ts';
import type { Database } from '../../lib/database/Database.ts';
import { openEmbeddedDatabase } from '../../lib/database/openEmbeddedDatabase.ts';
import { openPostgresDatabase } from '../../lib/database/openPostgresDatabase.ts';
import { subgraphNames, type SubgraphName } from '../../subgraphs/index.ts';
import { freePort, ServiceProcess } from './serviceProcess.ts';
import { createPostgresDatabase, dropPostgresDatabase, type DatabaseKind } from './testDatabase.ts';

export type ServiceName = SubgraphName | 'router';

export interface GraphQLResult<Data> {
  status: number;
  data?: Data;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/**
 * The four services as separate processes (no supervisor), so a test can crash one at a chosen
 * moment, restart it, and afterwards open the databases to check what each service recorded.
 */
export class SeparateServices {
  readonly services = {} as Record<ServiceName, ServiceProcess>;
  private routerUrl = '';
  private readonly dataDir = mkdtempSync(join(tmpdir(), 'shop-faults-'));
  private targets = {} as Record<SubgraphName, DatabaseTarget>;

  private constructor(private readonly kind: DatabaseKind) {}

  static async start(kind: DatabaseKind, env: Record<string, string> = {}): Promise<SeparateServices> {
    const shop = new SeparateServices(kind);
    const ports = { router: await freePort() } as Record<ServiceName, number>;
    for (const name of subgraphNames) ports[name] = await freePort();
    for (const name of subgraphNames) {
      shop.targets[name] = kind === 'postgres' ? await createPostgresDatabase(name) : { kind: 'embedded', dataDir: join(shop.dataDir, name) };
    }
    const common: Record<string, string> = {
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      SEED_ON_START: 'true',
      ROUTER_PORT: String(ports.router),
      ...Object.fromEntries(subgraphNames.map((name) => [`${name.toUpperCase()}_PORT`, String(ports[name])])),
      ...Object.fromEntries(
        subgraphNames.map((name) => {
          const target = shop.targets[name];
          return [`${name.toUpperCase()}_DATABASE_URL`, target.kind === 'postgres' ? target.url : `pglite:${target.dataDir}`];
        }),
      ),
      ...env,
    };
    for (const name of [...subgraphNames, 'router'] as ServiceName[]) shop.services[name] = new ServiceProcess(name, common);
    await Promise.all(subgraphNames.map((name) => shop.services[name].start()));
    await shop.services.router.start();
    shop.routerUrl = `http://127.0.0.1:${ports.router}/`;
    return shop;
  }

  async query<Data = Record<string, unknown>>(
    query: string,
    options: { variables?: Record<string, unknown>; token?: string } = {},
  ): Promise<GraphQLResult<Data>> {
    const response = await fetch(this.routerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
      body: JSON.stringify({ query, variables: options.variables ?? {} }),
      signal: AbortSignal.timeout(20_000),
    });
    return { status: response.status, ...((await response.json()) as object) };
  }

  async login(username: string, password: string): Promise<string> {
    const { data } = await this.query<{ login: { token: string } }>(
      'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
      { variables: { u: username, p: password } },
    );
    if (!data) throw new Error(`could not log in as ${username}`);
    return data.login.token;
  }

  /** Stops every service, then runs `inspect` with each subgraph's database opened directly. */
  async stopAndInspect<T>(inspect: (databases: Record<SubgraphName, Database>) => Promise<T>): Promise<T> {
    await Promise.all(Object.values(this.services).map((service) => service.stop()));
    const databases = {} as Record<SubgraphName, Database>;
    for (const name of subgraphNames) {
      const target = this.targets[name];
      databases[name] =
        target.kind === 'postgres' ? await openPostgresDatabase(target.url, { poolSize: 1 }) : await openEmbeddedDatabase({ dataDir: target.dataDir });
    }
    try {
      return await inspect(databases);
    } finally {
      await Promise.all(Object.values(databases).map((database) => database.close()));
    }
  }

  async dispose(): Promise<void> {
    await Promise.all(Object.values(this.services).map((service) => service.kill()));
    for (const target of Object.values(this.targets)) if (target.kind === 'postgres') await dropPostgresDatabase(target);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
