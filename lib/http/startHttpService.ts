import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLResponse } from '@apollo/server';
import type { Logger } from '../logger.ts';
import { requestIdFrom, requestScope, type RequestScope } from '../requestScope.ts';
import { HttpError } from './HttpError.ts';
import { readRequestBody } from './readRequestBody.ts';

/**
 * The one HTTP front for every process (router and subgraphs): GraphQL on `/` and `/graphql`
 * through Apollo Server's `executeHTTPGraphQLRequest`, liveness and readiness probes, request ids,
 * one log line per request, a body size limit and a graceful drain on stop.
 */

export interface GraphQLHttpRequest {
  requestId: string;
  method: string;
  headers: HeaderMap;
  /** The body exactly as received, for signatures over it. */
  rawBody: string;
}

export type ReadinessReport = { ready: boolean; checks: Record<string, string> };

export interface HttpServiceOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  log: Logger;
  host: string;
  port: number;
  maxBodyBytes: number;
  /** Let browsers on other origins call it (the router: Sandbox and web clients). */
  cors: boolean;
  /** Admits a request and builds its context; throws HttpError to refuse it before GraphQL runs. */
  context(request: GraphQLHttpRequest): Promise<TContext>;
  readiness(): Promise<ReadinessReport>;
  /** Static pages served beside GraphQL (the router's offline explorer), by path. */
  staticPages?(path: string): { contentType: string; body: string } | undefined;
  /** How long stop() lets in-flight requests finish before cutting connections. */
  drainTimeoutMs?: number;
}

export interface HttpService {
  port: number;
  url: string;
  /** Refuses new requests, lets in-flight ones finish, then stops Apollo Server. */
  stop(): Promise<void>;
}

const GRAPHQL_PATHS = new Set(['/', '/graphql']);

export async function startHttpService<TContext extends BaseContext>(
  options: HttpServiceOptions<TContext>,
): Promise<HttpService> {
  const { apollo, log } = options;
  let draining = false;
  let inFlight = 0;
  let idle: (() => void) | undefined;

  await apollo.start();

  const server = createServer((request, response) => {
    const scope: RequestScope = {
      requestId: requestIdFrom(header(request, 'x-request-id')),
      sqlStatements: 0,
      errorCodes: [],
    };
    const started = performance.now();
    inFlight += 1;
    log.debug({ requestId: scope.requestId, method: request.method, path: request.url }, 'request received');
    response.setHeader('x-request-id', scope.requestId);
    response.on('close', () => {
      logRequest(log, request, response, scope, performance.now() - started);
      inFlight -= 1;
      if (inFlight === 0) idle?.();
    });
    if (draining) {
      response.setHeader('connection', 'close');
      sendError(response, new HttpError(503, 'SERVICE_UNAVAILABLE', 'The server is shutting down; retry.'));
      return;
    }
    requestScope.run(scope, () => handle(request, response, scope)).catch((error: unknown) => {
      log.error({ err: error, requestId: scope.requestId }, 'request failed outside GraphQL');
      if (!response.headersSent) {
        sendError(response, new HttpError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error.'));
      } else {
        response.destroy();
      }
    });
  });
  // Slow or idle clients must not pin sockets forever.
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 65_000;

  async function handle(request: IncomingMessage, response: ServerResponse, scope: RequestScope) {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = (request.method ?? 'GET').toUpperCase();
    if (options.cors) {
      response.setHeader('access-control-allow-origin', '*');
      response.setHeader('access-control-expose-headers', 'x-request-id');
      if (method === 'OPTIONS') {
        response.writeHead(204, {
          'access-control-allow-methods': 'GET, POST, OPTIONS',
          'access-control-allow-headers': request.headers['access-control-request-headers'] ?? 'content-type, authorization',
          'access-control-max-age': '600',
        });
        response.end();
        return;
      }
    }
    if (url.pathname === '/health/live') {
      sendJson(response, 200, { status: 'live' });
      return;
    }
    if (url.pathname === '/health/ready') {
      const report = await options.readiness().catch((error: unknown) => ({
        ready: false,
        checks: { readiness: error instanceof Error ? error.message : String(error) },
      }));
      sendJson(response, report.ready && !draining ? 200 : 503, {
        status: draining ? 'draining' : report.ready ? 'ready' : 'not ready',
        checks: report.checks,
      });
      return;
    }
    const staticPage = method === 'GET' ? options.staticPages?.(url.pathname) : undefined;
    if (staticPage) {
      response.writeHead(200, { 'content-type': staticPage.contentType, 'cache-control': 'public, max-age=3600' });
      response.end(staticPage.body);
      return;
    }
    if (!GRAPHQL_PATHS.has(url.pathname)) {
      sendError(response, new HttpError(404, 'NOT_FOUND', `Nothing is served at ${url.pathname}; GraphQL is at /.`));
      return;
    }

    try {
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(request.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const rawBody = method === 'POST' ? await readRequestBody(request, options.maxBodyBytes) : '';
      const contextValue = await options.context({ requestId: scope.requestId, method, headers, rawBody });
      const result = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method, headers, search: url.search, body: parseBody(headers, rawBody) },
        context: async () => contextValue,
      });
      await writeGraphQLResponse(response, result);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      if (error.status === 401 || error.status === 403) {
        log.warn({ requestId: scope.requestId, status: error.status, reason: error.message }, 'request refused');
      }
      scope.errorCodes.push(error.code);
      sendError(response, error);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;

  return {
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    async stop() {
      if (draining) return;
      draining = true;
      server.close();
      server.closeIdleConnections();
      if (inFlight > 0) {
        const drained = new Promise<void>((resolve) => (idle = resolve));
        const timedOut = new Promise<void>((resolve) => setTimeout(resolve, options.drainTimeoutMs ?? 10_000).unref());
        await Promise.race([drained, timedOut]);
      }
      server.closeAllConnections();
      await apollo.stop();
    },
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** JSON bodies are parsed here; any other content type reaches Apollo without a body, which it refuses. */
function parseBody(headers: HeaderMap, rawBody: string): unknown {
  const contentType = headers.get('content-type') ?? '';
  if (rawBody === '' || !/^application\/(graphql-response\+)?json\b/i.test(contentType)) return undefined;
  const charset = /charset=([^;]+)/i.exec(contentType)?.[1]?.trim().toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new HttpError(415, 'BAD_REQUEST', `Unsupported charset "${charset}"; send UTF-8.`);
  }
  try {
    return JSON.parse(rawBody);
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'The request body is not valid JSON.');
  }
}

async function writeGraphQLResponse(response: ServerResponse, result: HTTPGraphQLResponse) {
  for (const [key, value] of result.headers) response.setHeader(key, value);
  response.statusCode = result.status ?? 200;
  if (result.body.kind === 'complete') {
    response.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, error: HttpError) {
  sendJson(response, error.status, { errors: [{ message: error.message, extensions: { code: error.code } }] });
}

function logRequest(
  log: Logger,
  request: IncomingMessage,
  response: ServerResponse,
  scope: RequestScope,
  durationMs: number,
) {
  const path = (request.url ?? '/').split('?')[0];
  if (path === '/health/live' || path === '/health/ready') return;
  const failed = scope.errorCodes.length > 0 || response.statusCode >= 400 || !response.writableFinished;
  log.info(
    {
      requestId: scope.requestId,
      method: request.method,
      path,
      status: response.writableFinished ? response.statusCode : 'aborted',
      operationName: scope.operationName,
      durationMs: Math.round(durationMs * 10) / 10,
      outcome: failed ? 'error' : 'ok',
      ...(scope.errorCodes.length > 0 ? { errorCodes: [...new Set(scope.errorCodes)] } : {}),
      ...(scope.sqlStatements > 0 ? { sqlStatements: scope.sqlStatements } : {}),
    },
    'request',
  );
}
