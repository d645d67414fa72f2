import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { SqlDriverAdapterFactory } from '@prisma/client/runtime/client';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Viewer } from '../auth/Viewer.ts';
import { projectRoot, type Config } from '../config.ts';
import type { Database } from '../database/Database.ts';
import type { Logger } from '../logger.ts';
import { requestScope } from '../requestScope.ts';
import type { SubgraphName } from '../../subgraphs/index.ts';
import type { SubgraphCaller } from './SubgraphCaller.ts';

type SubgraphModule = Extract<Parameters<typeof buildSubgraphSchema>[0], { typeDefs: DocumentNode }>;
type ResolverMap = NonNullable<SubgraphModule['resolvers']>;

/** What every resolver of a subgraph receives. `store` is the only door to the subgraph's database. */
export interface SubgraphContext<Store> {
  requestId: string;
  /** The member the router verified, or null for an anonymous request. */
  viewer: Viewer | null;
  store: Store;
  /** Calls to other subgraphs, signed and bounded by a timeout. */
  subgraphs: SubgraphCaller;
  config: Config;
}

/** The part of a generated Prisma client the bootstrap needs, whatever its models. */
export interface PrismaClientLike {
  $on(event: 'query', listener: () => void): void;
  $disconnect(): Promise<void>;
}

export interface StoreOptions {
  /** One query per request for all the entities of a type it asks for, or one per entity. */
  batching: boolean;
}

export interface SubgraphDependencies {
  config: Config;
  log: Logger;
  subgraphs: SubgraphCaller;
}

/** A subgraph connected to its database: what the bootstrap serves. */
export interface ConnectedSubgraph {
  /** A context for one request; its store (and the store's batch loaders) live as long as the request. */
  createContext(request: { requestId: string; viewer: Viewer | null }): SubgraphContext<unknown>;
  /** Fills an empty database with the sample shop; false when it already held data. */
  seed(): Promise<boolean>;
  /** Starts the subgraph's periodic work, if it has any; returns how to stop it. */
  startBackgroundWork(): () => void;
  disconnect(): Promise<void>;
}

export interface SubgraphDefinition {
  name: SubgraphName;
  /** The subgraph's contract, parsed from its schema.graphql. */
  typeDefs: DocumentNode;
  /** The executable subgraph schema: typeDefs, resolvers and the federation fields (_service, _entities). */
  schema: GraphQLSchema;
  /** Its Prisma migrations folder (prisma/<name>/migrations). */
  migrationsDir: string;
  connect(database: Database, dependencies: SubgraphDependencies): ConnectedSubgraph;
}

export interface SubgraphSpec<Client extends PrismaClientLike, Store> {
  name: SubgraphName;
  /** The folder's own URL (`import.meta.url` of its subgraph.ts); schema.graphql is read beside it. */
  moduleUrl: string;
  /** The subgraph's resolvers, checked against its codegen `Resolvers` type where they are written. */
  resolvers: object;
  createClient(adapter: SqlDriverAdapterFactory): Client;
  createStore(client: Client, options: StoreOptions): Store;
  seed(store: Store): Promise<boolean>;
  /** Periodic work while the subgraph serves (e.g. finishing interrupted purchases); returns a stop function. */
  backgroundWork?(newContext: () => SubgraphContext<Store>, log: Logger): () => void;
}

/**
 * Declares a subgraph. The generics tie its Prisma client, store and resolvers together; the
 * definition it returns is the same shape for every subgraph, so one bootstrap serves them all.
 */
export function defineSubgraph<Client extends PrismaClientLike, Store>(
  spec: SubgraphSpec<Client, Store>,
): SubgraphDefinition {
  const typeDefs = parse(readFileSync(new URL('./schema.graphql', spec.moduleUrl), 'utf8'));
  return {
    name: spec.name,
    typeDefs,
    schema: buildSubgraphSchema({ typeDefs, resolvers: spec.resolvers as ResolverMap }),
    migrationsDir: join(projectRoot, 'prisma', spec.name, 'migrations'),
    connect(database, { config, log, subgraphs }) {
      const client = spec.createClient(database.adapter);
      const storeOptions: StoreOptions = { batching: config.entityBatching };
      client.$on('query', () => {
        const scope = requestScope.getStore();
        if (scope) scope.sqlStatements += 1;
      });
      const createContext = ({ requestId, viewer }: { requestId: string; viewer: Viewer | null }) => ({
        requestId,
        viewer,
        store: spec.createStore(client, storeOptions),
        subgraphs,
        config,
      });
      return {
        createContext,
        seed: () => spec.seed(spec.createStore(client, storeOptions)),
        startBackgroundWork: () =>
          spec.backgroundWork?.(() => createContext({ requestId: `background-${randomUUID()}`, viewer: null }), log) ?? (() => {}),
        disconnect: () => client.$disconnect(),
      };
    },
  };
}
