import type { ErrorCode } from '../errors.ts';

/** A request refused before GraphQL runs: answered with `status` and a GraphQL-shaped error body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'BAD_REQUEST',
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
