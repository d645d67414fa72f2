import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What a request carries through every async call it makes, including Prisma's query events. */
export interface RequestScope {
  requestId: string;
  /** Filled in by the GraphQL request plugin, for the request's log line. */
  operationName?: string;
  /** `extensions.code` of every error the response carries. */
  errorCodes: string[];
  /** SQL statements this request sent to the database. */
  sqlStatements: number;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A client's `x-request-id` is kept when it is a sane token, so its own ids show in our logs. */
export function requestIdFrom(header: string | undefined): string {
  return header !== undefined && REQUEST_ID.test(header) ? header : randomUUID();
}
