import { describe, expect, it } from 'vitest';
import { connectionOf, encodeCursor, pageRequest } from '../../lib/graphql/pagination.ts';
import { ShopError } from '../../lib/errors.ts';

const ids = ['01930000-0000-7000-8000-000000000001', '01930000-0000-7000-8000-000000000002', '01930000-0000-7000-8000-000000000003'];

describe('cursor pagination', () => {
  it('reads first and after, with 20 by default', () => {
    expect(pageRequest({})).toEqual({ first: 20, afterId: null });
    expect(pageRequest({ first: 2, after: encodeCursor(ids[0]!) })).toEqual({ first: 2, afterId: ids[0] });
  });

  it('builds a page from one row more than asked, telling that another page follows', () => {
    const page = connectionOf(ids.map((id) => ({ id })), { first: 2, afterId: null });
    expect(page.nodes).toEqual([{ id: ids[0] }, { id: ids[1] }]);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor(ids[1]!) });
    expect(connectionOf([], { first: 2, afterId: null }).pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });

  it.each([
    ['a cursor that is not base64 of an id', { after: 'garbage!' }],
    ['a cursor of a non-UUID id', { after: Buffer.from('id:42').toString('base64url') }],
    ['a page size above 100', { first: 101 }],
    ['a negative page size', { first: -1 }],
  ])('refuses %s', (_case, args) => {
    expect(() => pageRequest(args)).toThrow(ShopError);
  });
});
