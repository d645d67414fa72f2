import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode, isErrorCode, ShopError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { requestScope } from '../requestScope.ts';

/** Request-level codes Apollo Server raises about the client's own document or variables. */
const APOLLO_CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

export interface MaskOptions {
  log: Logger;
  /**
   * The router receives subgraph errors as plain GraphQL errors; it trusts their catalogue codes,
   * because subgraphs mask their own internals before answering.
   */
  trustCatalogueCodes: boolean;
}

/**
 * Apollo Server's `formatError`: what the client may see is the message and code of errors meant
 * for it (ShopError, or Apollo's own about the request). Anything else becomes
 * INTERNAL_SERVER_ERROR with the request id, and the original goes to the log only.
 */
/** A ShopError thrown as it is, or wrapped by Apollo Server (a validation rule's report, say). */
function shopErrorIn(error: unknown): ShopError | null {
  for (let current = error, depth = 0; current instanceof Error && depth < 3; depth += 1) {
    if (current instanceof ShopError) return current;
    current = current instanceof GraphQLError ? current.originalError : undefined;
  }
  return null;
}

export function maskErrors({ log, trustCatalogueCodes }: MaskOptions) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const shopError = shopErrorIn(original);
    const code = formatted.extensions?.['code'];
    const base = {
      message: formatted.message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
    };

    if (shopError) {
      const { http: _status, ...extensions } = shopError.extensions;
      return { ...base, message: shopError.message, extensions };
    }
    if (typeof code === 'string' && APOLLO_CLIENT_CODES.has(code)) {
      return { ...base, extensions: { code } };
    }
    if (trustCatalogueCodes && isErrorCode(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      const field = formatted.extensions?.['field'];
      return { ...base, extensions: { code, ...(typeof field === 'string' ? { field } : {}) } };
    }

    const requestId = requestScope.getStore()?.requestId;
    log.error({ err: original, requestId, path: formatted.path, code }, 'masked an internal error');
    return {
      message: 'Internal server error.',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, ...(requestId ? { requestId } : {}) },
    };
  };
}
