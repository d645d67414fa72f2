import { badInput } from '../errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every id in the shop is a UUID; anything else is refused before it reaches a database. */
export function parseId(value: string, argument = 'id'): string {
  if (!UUID.test(value)) throw badInput(`"${truncate(value)}" is not a valid id for ${argument}.`, argument);
  return value.toLowerCase();
}

export function isId(value: string): boolean {
  return UUID.test(value);
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
