import { badInput } from '../errors.ts';
import { isId } from './parseId.ts';

/**
 * Cursor pagination over rows ordered by their UUIDv7 id (time-ordered, unique, so the order is
 * stable while rows are added). The cursor is the opaque form of the last id a page returned.
 */

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageRequest {
  /** Rows to return. */
  first: number;
  /** Return rows after this id, or from the start. */
  afterId: string | null;
}

export interface Connection<Node> {
  edges: Array<{ cursor: string; node: Node }>;
  nodes: Node[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export function pageRequest(args: { first?: number | null; after?: string | null }): PageRequest {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 1 and ${MAX_PAGE_SIZE}; got ${first}.`, 'first');
  }
  return { first, afterId: args.after == null ? null : decodeCursor(args.after) };
}

/** `rows` holds up to `first + 1` rows: the extra one only tells that another page exists. */
export function connectionOf<Node extends { id: string }>(rows: Node[], page: PageRequest): Connection<Node> {
  const nodes = rows.slice(0, page.first);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(node.id), node }));
  return {
    edges,
    nodes,
    pageInfo: { hasNextPage: rows.length > page.first, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

export function encodeCursor(id: string): string {
  return Buffer.from(`id:${id}`).toString('base64url');
}

function decodeCursor(cursor: string): string {
  const decoded = cursor.length <= 100 ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const id = decoded.startsWith('id:') ? decoded.slice(3) : '';
  if (!isId(id)) throw badInput('after is not a cursor this API returned.', 'after');
  return id.toLowerCase();
}
