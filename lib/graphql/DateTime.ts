import { GraphQLScalarType, Kind } from 'graphql';
import { badInput } from '../errors.ts';

/** An instant as an ISO 8601 string in UTC, e.g. "2026-11-25T17:00:00.000Z". */
export const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize(value) {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new TypeError(`DateTime cannot represent ${String(value)}`);
    return date.toISOString();
  },
  parseValue(value) {
    return parseInstant(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw badInput('A DateTime is an ISO 8601 string.');
    return parseInstant(ast.value);
  },
});

function parseInstant(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw badInput('A DateTime is an ISO 8601 string.');
  return date;
}
