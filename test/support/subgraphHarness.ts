import { randomUUID } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { Viewer } from '../../lib/auth/Viewer.ts';
import type { Config } from '../../lib/config.ts';
import type { Database } from '../../lib/database/Database.ts';
import { createLogger } from '../../lib/logger.ts';
import { requestScope } from '../../lib/requestScope.ts';
import { createSubgraphServer } from '../../lib/subgraph/createSubgraphServer.ts';
import { startSubgraph } from '../../lib/subgraph/startSubgraph.ts';
import { SubgraphClient } from '../../lib/subgraph/SubgraphClient.ts';
import type { SubgraphContext } from '../../lib/subgraph/SubgraphDefinition.ts';
import { loadSubgraph, type SubgraphName } from '../../subgraphs/index.ts';
import { createTestDatabase, type DatabaseKind } from './testDatabase.ts';
import { testConfig, withSubgraphUrl } from './testConfig.ts';

export interface Outcome<Data> {
  data: Data | null | undefined;
  errors: readonly GraphQLFormattedError[] | undefined;
  /** SQL statements the operation sent, counted from Prisma's query events. */
  sqlStatements: number;
}

export interface SubgraphUnderTest {
  server: ApolloServer<SubgraphContext<unknown>>;
  database: Database;
  config: Config;
  execute<Data = Record<string, unknown>>(
    query: string,
    options?: { variables?: Record<string, unknown>; viewer?: Viewer | null },
  ): Promise<Outcome<Data>>;
  close(): Promise<void>;
}

/**
 * One subgraph on a fresh database, exercised through Apollo Server's executeOperation: the same
 * server object production serves, minus HTTP. `peers` are running subgraphs it may call.
 */
export async function startSubgraphUnderTest(
  name: SubgraphName,
  kind: DatabaseKind,
  peers: Partial<Record<SubgraphName, string>> = {},
  /** Another instance's database, shared (and left open) instead of a fresh one. */
  shared?: Database,
): Promise<SubgraphUnderTest> {
  let config = testConfig();
  for (const [peer, url] of Object.entries(peers)) config = withSubgraphUrl(config, peer as SubgraphName, url);
  const definition = await loadSubgraph(name);
  const { database, dispose } = shared ? { database: shared, dispose: async () => {} } : await createTestDatabase(name, kind);
  const log = createLogger(name, 'silent');
  const connected = definition.connect(database, { config, log, subgraphs: new SubgraphClient(config) });
  const server = createSubgraphServer(definition, { log, environment: 'test' });
  await server.start();

  return {
    server,
    database,
    config,
    async execute<Data>(query: string, options: { variables?: Record<string, unknown>; viewer?: Viewer | null } = {}) {
      const scope = { requestId: randomUUID(), sqlStatements: 0, errorCodes: [] };
      const response = await requestScope.run(scope, () =>
        server.executeOperation(
          { query, ...(options.variables ? { variables: options.variables } : {}) },
          { contextValue: connected.createContext({ requestId: scope.requestId, viewer: options.viewer ?? null }) },
        ),
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      const { data, errors } = response.body.singleResult;
      return { data: data as Data | null | undefined, errors, sqlStatements: scope.sqlStatements };
    },
    async close() {
      await server.stop();
      await connected.disconnect();
      await dispose();
    },
  };
}

export interface RunningSubgraph {
  url: string;
  database: Database;
  stop(): Promise<void>;
}

/** A subgraph served over HTTP on a free port, on a fresh database, for another subgraph to call. */
export async function startSubgraphOverHttp(
  name: SubgraphName,
  kind: DatabaseKind,
  env: Record<string, string> = {},
): Promise<RunningSubgraph> {
  const { database, dispose } = await createTestDatabase(name, kind);
  const service = await startSubgraph(name, testConfig(env), createLogger(name, 'silent'), database);
  return {
    url: `${service.url}graphql`,
    database,
    async stop() {
      await service.stop();
      await dispose();
    },
  };
}
