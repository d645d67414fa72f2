import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloServer } from '@apollo/server';
import {
  buildSchema,
  execute,
  isObjectType,
  parse,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import { createViewerResolver } from '../lib/auth/createViewerResolver.ts';
import type { Viewer } from '../lib/auth/Viewer.ts';
import { projectRoot, type Config } from '../lib/config.ts';
import { openDatabase } from '../lib/database/openDatabase.ts';
import { ErrorCode, ShopError } from '../lib/errors.ts';
import { maskErrors } from '../lib/graphql/maskErrors.ts';
import { requestScopePlugin } from '../lib/graphql/requestScopePlugin.ts';
import { startHttpService, type HttpService } from '../lib/http/startHttpService.ts';
import type { Logger } from '../lib/logger.ts';
import type { SubgraphCaller } from '../lib/subgraph/SubgraphCaller.ts';
import type { ConnectedSubgraph, SubgraphContext, SubgraphDefinition } from '../lib/subgraph/SubgraphDefinition.ts';
import { queryCostPlugin, queryLimitRules } from '../router/queryLimits.ts';
import { loadSubgraph, subgraphNames, type SubgraphName } from '../subgraphs/index.ts';

/**
 * The benchmark's limit: one Node process holding all three databases and Prisma clients and
 * answering the public API itself, with the subgraphs' own resolvers and stores, but no router,
 * no query planning and no HTTP between services. Same HTTP front, limits and error masking as
 * the router, so the difference measured is what federation costs.
 */

/** Which subgraph owns the full data of an entity another subgraph only references. */
const ENTITY_OWNERS: Record<string, SubgraphName> = { Member: 'members', Product: 'products' };

type Contexts = { viewer: Viewer | null; bySubgraph: Record<SubgraphName, SubgraphContext<unknown>> };
type Resolver = GraphQLFieldResolver<unknown, unknown>;
type ReferenceResolver = (reference: unknown, context: unknown, info: unknown) => unknown;

export async function startMonolith(config: Config, log: Logger): Promise<HttpService> {
  const definitions = {} as Record<SubgraphName, SubgraphDefinition>;
  const connected = {} as Record<SubgraphName, ConnectedSubgraph>;
  for (const name of subgraphNames) definitions[name] = await loadSubgraph(name);

  const parsed = new Map<string, DocumentNode>();
  const inProcess: SubgraphCaller = {
    async request<Data>(subgraph: SubgraphName, query: string, variables: Record<string, unknown>, caller: { requestId: string; viewer: Viewer | null }) {
      let document = parsed.get(query);
      if (!document) parsed.set(query, (document = parse(query)));
      const result = await execute({
        schema: definitions[subgraph].schema,
        document,
        variableValues: variables,
        contextValue: connected[subgraph].createContext(caller),
      });
      const error = result.errors?.[0];
      if (error) throw error.originalError instanceof ShopError ? error.originalError : new ShopError(ErrorCode.INTERNAL_SERVER_ERROR, error.message);
      return result.data as Data;
    },
  };
  for (const name of subgraphNames) {
    const database = await openDatabase(config.subgraphs[name].database);
    connected[name] = definitions[name].connect(database, { config, log, subgraphs: inProcess });
  }

  const schema = buildSchema(readFileSync(join(projectRoot, 'router', 'api-schema.graphql'), 'utf8'));
  wireResolvers(schema, definitions);

  const viewerOf = createViewerResolver(config.auth.tokenSecret);
  const apollo = new ApolloServer<Contexts>({
    schema,
    logger: log,
    formatError: maskErrors({ log, trustCatalogueCodes: false }),
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    parseOptions: { maxTokens: config.limits.maxTokens },
    validationRules: queryLimitRules(config.limits),
    plugins: [requestScopePlugin, queryCostPlugin(config.limits)],
  });
  const http = await startHttpService<Contexts>({
    apollo,
    log,
    host: config.host,
    port: config.router.port,
    maxBodyBytes: config.limits.maxRequestBytes,
    cors: true,
    async context({ requestId, headers }) {
      const viewer = await viewerOf(headers.get('authorization'));
      const bySubgraph = Object.fromEntries(
        subgraphNames.map((name) => [name, connected[name].createContext({ requestId, viewer })]),
      ) as Record<SubgraphName, SubgraphContext<unknown>>;
      return { viewer, bySubgraph };
    },
    readiness: async () => ({ ready: true, checks: {} }),
  });
  log.info({ url: http.url }, 'monolith ready');
  return http;
}

/**
 * Points every field of the public schema at the subgraph resolver that serves it, with that
 * subgraph's context; a reference to another subgraph's entity is resolved by its owner.
 */
function wireResolvers(schema: GraphQLSchema, definitions: Record<SubgraphName, SubgraphDefinition>): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const owner = subgraphNames.find((name) => {
        const candidate = definitions[name].schema.getType(type.name);
        return isObjectType(candidate) && candidate.getFields()[field.name]?.resolve !== undefined;
      });
      if (!owner) continue;
      const ownerType = definitions[owner].schema.getType(type.name);
      const resolve = isObjectType(ownerType) ? (ownerType.getFields()[field.name]?.resolve as Resolver | undefined) : undefined;
      if (!resolve) continue;
      const returns = field.type.toString().replace(/[[\]!]/g, '');
      const entityOwner = ENTITY_OWNERS[returns];
      const referenceResolver = entityOwner && entityOwner !== owner ? resolveReferenceOf(definitions[entityOwner].schema, returns) : undefined;
      field.resolve = async (parent, args, contexts: Contexts, info) => {
        const value = await resolve(parent, args, contexts.bySubgraph[owner], info);
        if (!referenceResolver || value == null || !entityOwner) return value;
        return referenceResolver(value, contexts.bySubgraph[entityOwner], info);
      };
    }
  }
}

function resolveReferenceOf(schema: GraphQLSchema, typeName: string): ReferenceResolver | undefined {
  const extensions = schema.getType(typeName)?.extensions as { apollo?: { subgraph?: { resolveReference?: ReferenceResolver } } } | undefined;
  return extensions?.apollo?.subgraph?.resolveReference;
}
