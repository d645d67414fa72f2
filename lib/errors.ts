import { GraphQLError } from 'graphql';

/**
 * The closed set of `extensions.code` values a client can see. Apollo Server adds its own
 * request-level codes (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, BAD_REQUEST, …); every
 * error a resolver raises uses one of these, and anything else is masked as INTERNAL_SERVER_ERROR.
 */
export const ErrorCode = {
  /** An argument is malformed or out of range; the message says which and why. */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** No valid token, a token that expired, or wrong credentials at login. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** Logged in, but not allowed to do this. */
  FORBIDDEN: 'FORBIDDEN',
  /** The thing named by an id does not exist (or no longer does). */
  NOT_FOUND: 'NOT_FOUND',
  /** The request contradicts what exists: a taken username, a reused idempotency key. */
  CONFLICT: 'CONFLICT',
  /** Fewer items in stock than asked for. */
  INSUFFICIENT_STOCK: 'INSUFFICIENT_STOCK',
  /** The operation is too deep, too wide or too costly; `limit` names which limit and `maximum` its value. */
  QUERY_LIMIT_EXCEEDED: 'QUERY_LIMIT_EXCEEDED',
  /** Another service did not answer in time; retrying the same request is safe. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** A fault on our side; the details are in the log under the request id. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Finer causes some errors carry in `extensions.reason`, for callers that act on them. */
export const ErrorReason = {
  /** CONFLICT: a purchase interrupted midway was settled as cancelled; it must start over. */
  RESERVATION_CANCELLED: 'RESERVATION_CANCELLED',
} as const;

const publicCodes = new Set<string>(Object.values(ErrorCode));

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && publicCodes.has(value);
}

/** A GraphQL error whose message and code are meant for the client. */
export class ShopError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, { extensions: { ...details, code } });
    this.name = 'ShopError';
  }
}

export const badInput = (message: string, field?: string) =>
  new ShopError(ErrorCode.BAD_USER_INPUT, message, field === undefined ? {} : { field });

export const unauthenticated = (message = 'You need to log in to do this.') =>
  new ShopError(ErrorCode.UNAUTHENTICATED, message);

export const forbidden = (message: string) => new ShopError(ErrorCode.FORBIDDEN, message);

export const notFound = (what: string, id: string) =>
  new ShopError(ErrorCode.NOT_FOUND, `No ${what} has the id "${id}".`);

export const conflict = (message: string) => new ShopError(ErrorCode.CONFLICT, message);
