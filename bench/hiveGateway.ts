import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { signSubgraphRequest } from '../lib/auth/subgraphSignature.ts';
import { verifyMemberToken } from '../lib/auth/memberToken.ts';
import type { Viewer } from '../lib/auth/Viewer.ts';
import { loadConfig, projectRoot, subgraphUrls } from '../lib/config.ts';
import { composeSupergraph } from '../router/composeSupergraph.ts';

/**
 * Hive Gateway over the same subgraphs, for the benchmark: its defaults, plus what any gateway in
 * front of these subgraphs must do (the router does the same): verify the member token and sign
 * each subgraph call with the subgraph secret. Installed on demand into bench/.hive by
 * `npm run bench`, so the project itself does not depend on it.
 */

interface HiveContext {
  headers: Record<string, string>;
  viewer?: Viewer | null;
  requestId?: string;
}
interface HivePlugin {
  onContextBuilding(payload: { context: HiveContext; extendContext(extension: Partial<HiveContext>): void }): Promise<void>;
  onFetch(payload: {
    options: { headers?: Record<string, string>; body?: unknown };
    setOptions(options: { headers?: Record<string, string>; body?: unknown }): void;
    context: HiveContext | object;
  }): void;
}
interface HiveRuntime {
  (request: IncomingMessage, response: ServerResponse): void;
  dispose(): Promise<void>;
}
type CreateGatewayRuntime = (config: {
  supergraph: string;
  plugins: () => HivePlugin[];
  logging: boolean;
  landingPage: boolean;
  graphiql: boolean;
  transportEntries?: Record<string, { options: { deduplicateInflightRequests: boolean } }>;
}) => HiveRuntime;

const config = loadConfig();
const hiveDir = join(projectRoot, 'bench', '.hive', '/');
const { createGatewayRuntime } = createRequire(`${hiveDir}package.json`)('@graphql-hive/gateway') as {
  createGatewayRuntime: CreateGatewayRuntime;
};

const signing: HivePlugin = {
  async onContextBuilding({ context, extendContext }) {
    const token = /^Bearer\s+(\S+)$/i.exec(context.headers['authorization'] ?? '')?.[1];
    const verdict = token ? await verifyMemberToken(token, config.auth.tokenSecret) : null;
    extendContext({ viewer: verdict?.ok ? verdict.viewer : null, requestId: context.headers['x-request-id'] ?? randomUUID() });
  },
  onFetch({ options, setOptions, context }) {
    if (!('headers' in context)) return;
    const body = typeof options.body === 'string' ? options.body : '';
    const signed = signSubgraphRequest({ requestId: context.requestId ?? randomUUID(), viewer: context.viewer ?? null, body }, config.subgraphSecret);
    setOptions({ ...options, headers: { ...options.headers, ...signed } });
  },
};

const supergraph = config.supergraphFile ? readFileSync(config.supergraphFile, 'utf8') : composeSupergraph(subgraphUrls(config)).supergraphSdl;
// Hive Gateway shares one subgraph call among identical in-flight queries, keyed by URL and body:
// the viewer, which this setup carries in headers added per call, is not part of the key, so
// two members asking for `me` at once would both get the first one's answer. The benchmark runs
// it safely (without it) and, for reference, as shipped.
const deduplicate = process.argv.includes('--deduplicate');
const gateway = createGatewayRuntime({
  supergraph,
  plugins: () => [signing],
  logging: false,
  landingPage: false,
  graphiql: false,
  transportEntries: { '*': { options: { deduplicateInflightRequests: deduplicate } } },
});
const server = createServer(gateway).listen(config.router.port, config.host, () => {
  console.log(JSON.stringify({ level: 'info', service: 'hive-gateway', msg: 'hive gateway ready', port: config.router.port }));
});
process.on('SIGTERM', () => {
  server.close();
  void gateway.dispose().finally(() => process.exit(0));
});
