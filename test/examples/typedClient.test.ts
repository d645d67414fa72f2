import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import type { ResultOf, VariablesOf } from '@graphql-typed-document-node/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { projectRoot } from '../../lib/config.ts';
import { BuyProduct, MyPurchases } from '../../examples/buyer.ts';

/**
 * The example client's documents are typed from the public API: their results and variables have
 * the shape of the schema, a misspelled field is a type error (checked by `npm run typecheck`,
 * which fails if an @ts-expect-error below stops being an error), and codegen refuses a document
 * that asks for a field the API does not have.
 */

describe('typed client documents', () => {
  it('type results and variables from the public API', () => {
    type Purchases = ResultOf<typeof MyPurchases>;
    expectTypeOf<Purchases['me']['username']>().toEqualTypeOf<string>();
    expectTypeOf<Purchases['me']['purchases']['nodes'][number]['totalPrice']>().toEqualTypeOf<number>();
    // A deleted product leaves the purchase with no product: the type says so.
    expectTypeOf<Purchases['me']['purchases']['nodes'][number]['product']>().toEqualTypeOf<{ name: string; stock: number } | null>();
    expectTypeOf<'01930000-0000-7000-9000-000000000003'>().toMatchTypeOf<VariablesOf<typeof BuyProduct>['input']['productId']>();

    const purchases = { me: { username: 'ada', purchases: { nodes: [] } } } as unknown as Purchases;
    // @ts-expect-error: `usernme` is not a field of Member
    expect(purchases.me.usernme).toBeUndefined();
    // @ts-expect-error: quantity is an Int, not a string
    const input: VariablesOf<typeof BuyProduct>['input'] = { productId: 'x', quantity: '2' };
    expect(input.quantity).toBe('2');
  });

  it('are refused by codegen when they ask for a field the API does not have', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'shop-codegen-'));
    try {
      writeFileSync(join(folder, 'misspelled.graphql'), 'query Misspelled { me { usernme } }\n');
      const run = generate(
        {
          schema: join(projectRoot, 'router', 'api-schema.graphql'),
          documents: [join(folder, 'misspelled.graphql')],
          generates: { [join(folder, 'out/')]: { preset: 'client' } },
          silent: true,
        },
        false,
      );
      await expect(run).rejects.toThrow(/Cannot query field "usernme" on type "Member"/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
