import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleProducts } from '../../prisma/sampleShop.ts';
import { writeArtifact } from '../support/artifacts.ts';
import { startRouterUnderTest, type RouterUnderTest } from '../support/routerHarness.ts';

/**
 * Malformed and hostile values for every argument of every query and mutation, sent through the
 * router: each gets its documented error code (or, for free text, is stored exactly as written),
 * a refused one writes nothing, and no answer carries a database, ORM or stack detail.
 */

type Caller = 'anonymous' | 'customer' | 'admin';
type Case = [description: string, query: string, variables: Record<string, unknown>, caller: Caller, expected: string];

const UNKNOWN_ID = '01930000-0000-7000-8000-0000000fffff';
const DELETED = 'DELETED_PRODUCT_ID';
const keyboard = sampleProducts[0].id;
const SQL = `x'; DROP TABLE "Member"; --`;
const SCRIPT = '<script>alert(document.cookie)</script>';
const LEAKS = /prisma|postgres|pglite|sql state|constraint|relation "|syntax error at|stack|node_modules|\bat \w+ \(|\.ts:\d+/i;

const REGISTER = 'mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id username name } }';
const LOGIN = 'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }';
const DELETE_ACCOUNT = 'mutation ($p: String!) { deleteMyAccount(password: $p) { id } }';
const MEMBER = 'query ($id: ID!) { member(id: $id) { id } }';
const MEMBERS = 'query ($first: Int, $after: String) { members(first: $first, after: $after) { nodes { id } } }';
const PRODUCT = 'query ($id: ID!) { product(id: $id) { id } }';
const PRODUCTS = 'query ($first: Int, $after: String, $category: String) { products(first: $first, after: $after, category: $category) { nodes { id } } }';
const CREATE_PRODUCT = 'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id name description } }';
const DELETE_PRODUCT = 'mutation ($id: ID!) { deleteProduct(id: $id) { id } }';
const PURCHASE = 'query ($id: ID!) { purchase(id: $id) { id } }';
const MY_PURCHASES = 'query ($first: Int, $after: String) { myPurchases(first: $first, after: $after) { nodes { id } } }';
const BUY = 'mutation ($input: CreatePurchaseInput!) { createPurchase(input: $input) { id } }';

const member = (input: Record<string, unknown>) => ({ input: { username: 'newcomer', password: 'a-good-password', ...input } });
const product = (input: Record<string, unknown>) => ({ input: { name: 'Lamp', category: 'home', description: 'Warm.', price: 100, stock: 1, ...input } });
const buy = (input: Record<string, unknown>) => ({ input: { productId: keyboard, quantity: 1, ...input } });

const cases: Case[] = [
  // registerMember
  ['registerMember: empty username', REGISTER, member({ username: '' }), 'anonymous', 'BAD_USER_INPUT'],
  ['registerMember: 10,000-character username', REGISTER, member({ username: 'a'.repeat(10_000) }), 'anonymous', 'BAD_USER_INPUT'],
  ['registerMember: SQL in the username', REGISTER, member({ username: SQL }), 'anonymous', 'BAD_USER_INPUT'],
  ['registerMember: markup in the username', REGISTER, member({ username: SCRIPT }), 'anonymous', 'BAD_USER_INPUT'],
  ['registerMember: zero-width space in the username', REGISTER, member({ username: 'ada\u200b' }), 'anonymous', 'BAD_USER_INPUT'],
  ['registerMember: full-width letters in the username', REGISTER, member({ username: 'ａｄａｍ' }), 'anonymous', 'BAD_USER_INPUT'],
  ['registerMember: a taken username', REGISTER, member({ username: 'ada' }), 'anonymous', 'CONFLICT'],
  ['registerMember: a taken username in capitals', REGISTER, member({ username: 'ADA' }), 'anonymous', 'CONFLICT'],
  ['registerMember: a number as username', REGISTER, member({ username: 42 }), 'anonymous', 'BAD_USER_INPUT'],
  ['registerMember: null username', REGISTER, member({ username: null }), 'anonymous', 'BAD_USER_INPUT'],
  ['registerMember: empty password', REGISTER, member({ password: '' }), 'anonymous', 'BAD_USER_INPUT'],
  ['registerMember: 7-character password', REGISTER, member({ password: 'seven77' }), 'anonymous', 'BAD_USER_INPUT'],
  ['registerMember: 100,000-character password', REGISTER, member({ password: 'p'.repeat(100_000) }), 'anonymous', 'BAD_USER_INPUT'],
  ['registerMember: password with a lone surrogate', REGISTER, member({ password: 'pass\ud800word' }), 'anonymous', 'BAD_USER_INPUT'],
  ['registerMember: email without a domain', REGISTER, member({ email: 'ada@' }), 'anonymous', 'BAD_USER_INPUT'],
  ['registerMember: SQL in the email', REGISTER, member({ email: `x@y.z' OR '1'='1` }), 'anonymous', 'BAD_USER_INPUT'],
  ['registerMember: 300-character email', REGISTER, member({ email: `${'e'.repeat(300)}@shop.example` }), 'anonymous', 'BAD_USER_INPUT'],
  ['registerMember: name with a right-to-left override', REGISTER, member({ name: 'Ada \u202Egnp.exe' }), 'anonymous', 'BAD_USER_INPUT'],
  ['registerMember: name with a NUL', REGISTER, member({ name: 'Ada\u0000' }), 'anonymous', 'BAD_USER_INPUT'],
  ['registerMember: 101-character name', REGISTER, member({ name: 'n'.repeat(101) }), 'anonymous', 'BAD_USER_INPUT'],
  ['registerMember: an unknown input field', REGISTER, member({ role: 'ADMIN' }), 'anonymous', 'BAD_USER_INPUT'],
  ['registerMember: markup and emoji in the name are kept as text', REGISTER, member({ username: 'emoji-fan', name: `😀 ${SCRIPT}` }), 'anonymous', 'ok'],
  // login
  ['login: empty username', LOGIN, { u: '', p: 'whatever-pass' }, 'anonymous', 'UNAUTHENTICATED'],
  ['login: SQL in the username', LOGIN, { u: `ada' --`, p: 'whatever-pass' }, 'anonymous', 'UNAUTHENTICATED'],
  ['login: 100,000-character password', LOGIN, { u: 'ada', p: 'p'.repeat(100_000) }, 'anonymous', 'UNAUTHENTICATED'],
  ['login: a number as password', LOGIN, { u: 'ada', p: 12345678 }, 'anonymous', 'BAD_USER_INPUT'],
  // deleteMyAccount
  ['deleteMyAccount: anonymous', DELETE_ACCOUNT, { p: 'analytical-engine' }, 'anonymous', 'UNAUTHENTICATED'],
  ['deleteMyAccount: wrong password', DELETE_ACCOUNT, { p: SQL }, 'customer', 'UNAUTHENTICATED'],
  // member / members
  ['member: empty id', MEMBER, { id: '' }, 'anonymous', 'BAD_USER_INPUT'],
  ['member: SQL as id', MEMBER, { id: "1' OR '1'='1" }, 'anonymous', 'BAD_USER_INPUT'],
  ['member: a number as id', MEMBER, { id: 123 }, 'anonymous', 'BAD_USER_INPUT'],
  ['member: an unknown id', MEMBER, { id: UNKNOWN_ID }, 'anonymous', 'ok'],
  ['members: negative first', MEMBERS, { first: -1 }, 'anonymous', 'BAD_USER_INPUT'],
  ['members: first beyond a 32-bit integer', MEMBERS, { first: 2 ** 31 }, 'anonymous', 'BAD_USER_INPUT'],
  ['members: first as a float', MEMBERS, { first: 2.5 }, 'anonymous', 'BAD_USER_INPUT'],
  ['members: first as a string', MEMBERS, { first: '10' }, 'anonymous', 'BAD_USER_INPUT'],
  ['members: a million as first', MEMBERS, { first: 1_000_000 }, 'anonymous', 'QUERY_LIMIT_EXCEEDED'],
  ['members: 10,000-character cursor', MEMBERS, { after: 'c'.repeat(10_000) }, 'anonymous', 'BAD_USER_INPUT'],
  ['members: empty cursor', MEMBERS, { after: '' }, 'anonymous', 'BAD_USER_INPUT'],
  ['members: SQL as cursor', MEMBERS, { after: SQL }, 'anonymous', 'BAD_USER_INPUT'],
  // product / products
  ['product: empty id', PRODUCT, { id: '' }, 'anonymous', 'BAD_USER_INPUT'],
  ['product: SQL as id', PRODUCT, { id: SQL }, 'anonymous', 'BAD_USER_INPUT'],
  ['product: a deleted id', PRODUCT, { id: DELETED }, 'anonymous', 'ok'],
  ['products: first of 0', PRODUCTS, { first: 0 }, 'anonymous', 'BAD_USER_INPUT'],
  ['products: first of 101', PRODUCTS, { first: 101 }, 'anonymous', 'BAD_USER_INPUT'],
  ['products: empty category', PRODUCTS, { category: '' }, 'anonymous', 'BAD_USER_INPUT'],
  ['products: 101-character category', PRODUCTS, { category: 'c'.repeat(101) }, 'anonymous', 'BAD_USER_INPUT'],
  ['products: SQL as category matches nothing', PRODUCTS, { category: `books' OR '1'='1` }, 'anonymous', 'ok'],
  ['products: a lone surrogate as category', PRODUCTS, { category: '\udc00' }, 'anonymous', 'BAD_USER_INPUT'],
  // createProduct
  ['createProduct: anonymous', CREATE_PRODUCT, product({}), 'anonymous', 'UNAUTHENTICATED'],
  ['createProduct: a customer', CREATE_PRODUCT, product({}), 'customer', 'FORBIDDEN'],
  ['createProduct: empty name', CREATE_PRODUCT, product({ name: '' }), 'admin', 'BAD_USER_INPUT'],
  ['createProduct: 10,000-character name', CREATE_PRODUCT, product({ name: 'n'.repeat(10_000) }), 'admin', 'BAD_USER_INPUT'],
  ['createProduct: a NUL character as name', CREATE_PRODUCT, product({ name: '\u0000' }), 'admin', 'BAD_USER_INPUT'],
  ['createProduct: negative price', CREATE_PRODUCT, product({ price: -1 }), 'admin', 'BAD_USER_INPUT'],
  ['createProduct: price beyond a 32-bit integer', CREATE_PRODUCT, product({ price: 1e10 }), 'admin', 'BAD_USER_INPUT'],
  ['createProduct: fractional price', CREATE_PRODUCT, product({ price: 9.99 }), 'admin', 'BAD_USER_INPUT'],
  ['createProduct: price as a string', CREATE_PRODUCT, product({ price: '100' }), 'admin', 'BAD_USER_INPUT'],
  ['createProduct: negative stock', CREATE_PRODUCT, product({ stock: -1 }), 'admin', 'BAD_USER_INPUT'],
  ['createProduct: 5,001-character description', CREATE_PRODUCT, product({ description: 'd'.repeat(5001) }), 'admin', 'BAD_USER_INPUT'],
  ['createProduct: missing category', CREATE_PRODUCT, { input: { name: 'Lamp', description: '', price: 1, stock: 1 } }, 'admin', 'BAD_USER_INPUT'],
  ['createProduct: SQL and markup are stored as written', CREATE_PRODUCT, product({ name: SCRIPT, description: SQL }), 'admin', 'ok'],
  // deleteProduct
  ['deleteProduct: a customer', DELETE_PRODUCT, { id: keyboard }, 'customer', 'FORBIDDEN'],
  ['deleteProduct: malformed id', DELETE_PRODUCT, { id: 'not-an-id' }, 'admin', 'BAD_USER_INPUT'],
  ['deleteProduct: an unknown id', DELETE_PRODUCT, { id: UNKNOWN_ID }, 'admin', 'NOT_FOUND'],
  ['deleteProduct: a deleted id', DELETE_PRODUCT, { id: DELETED }, 'admin', 'NOT_FOUND'],
  // purchase / myPurchases
  ['purchase: anonymous', PURCHASE, { id: UNKNOWN_ID }, 'anonymous', 'UNAUTHENTICATED'],
  ['purchase: malformed id', PURCHASE, { id: SCRIPT }, 'customer', 'BAD_USER_INPUT'],
  ['purchase: an unknown id', PURCHASE, { id: UNKNOWN_ID }, 'customer', 'ok'],
  ['myPurchases: anonymous', MY_PURCHASES, {}, 'anonymous', 'UNAUTHENTICATED'],
  ['myPurchases: negative first', MY_PURCHASES, { first: -5 }, 'customer', 'BAD_USER_INPUT'],
  ['myPurchases: forged cursor', MY_PURCHASES, { after: Buffer.from(`id:${SQL}`).toString('base64url') }, 'customer', 'BAD_USER_INPUT'],
  // createPurchase
  ['createPurchase: anonymous', BUY, buy({}), 'anonymous', 'UNAUTHENTICATED'],
  ['createPurchase: empty product id', BUY, buy({ productId: '' }), 'customer', 'BAD_USER_INPUT'],
  ['createPurchase: SQL as product id', BUY, buy({ productId: SQL }), 'customer', 'BAD_USER_INPUT'],
  ['createPurchase: an unknown product', BUY, buy({ productId: UNKNOWN_ID }), 'customer', 'NOT_FOUND'],
  ['createPurchase: a deleted product', BUY, buy({ productId: DELETED }), 'customer', 'NOT_FOUND'],
  ['createPurchase: quantity 0', BUY, buy({ quantity: 0 }), 'customer', 'BAD_USER_INPUT'],
  ['createPurchase: negative quantity', BUY, buy({ quantity: -3 }), 'customer', 'BAD_USER_INPUT'],
  ['createPurchase: quantity beyond a 32-bit integer', BUY, buy({ quantity: 2 ** 40 }), 'customer', 'BAD_USER_INPUT'],
  ['createPurchase: fractional quantity', BUY, buy({ quantity: 1.5 }), 'customer', 'BAD_USER_INPUT'],
  ['createPurchase: more than the stock', BUY, buy({ quantity: 1000 }), 'customer', 'INSUFFICIENT_STOCK'],
  ['createPurchase: empty idempotency key', BUY, buy({ idempotencyKey: '' }), 'customer', 'BAD_USER_INPUT'],
  ['createPurchase: 101-character idempotency key', BUY, buy({ idempotencyKey: 'k'.repeat(101) }), 'customer', 'BAD_USER_INPUT'],
  ['createPurchase: idempotency key with a lone surrogate', BUY, buy({ idempotencyKey: '\ud83d' }), 'customer', 'BAD_USER_INPUT'],
  ['createPurchase: an emoji idempotency key', BUY, buy({ idempotencyKey: '🔑-order-1' }), 'customer', 'ok'],
];

describe('bad input, through the router', () => {
  let router: RouterUnderTest;
  const tokens = {} as Record<Caller, string | undefined>;
  let deletedProduct = '';

  async function post(query: string, variables: Record<string, unknown>, caller: Caller) {
    const token = tokens[caller];
    const response = await router.post({ query, variables }, token ? { authorization: `Bearer ${token}` } : {});
    return { status: response.status, text: await response.text() };
  }

  async function counts() {
    const count = (name: 'members' | 'products' | 'purchases', sql: string) =>
      router.subgraphs[name].database.withSession((session) => session.query<{ n: number }>(sql)).then((rows) => rows[0]!.n);
    return {
      members: await count('members', 'SELECT count(*)::int AS n FROM "Member"'),
      products: await count('products', 'SELECT count(*)::int AS n FROM "Product"'),
      stock: await count('products', 'SELECT sum(stock)::int AS n FROM "Product"'),
      reservations: await count('products', 'SELECT count(*)::int AS n FROM "StockReservation"'),
      purchases: await count('purchases', 'SELECT count(*)::int AS n FROM "Purchase"'),
    };
  }

  beforeAll(async () => {
    router = await startRouterUnderTest('embedded', { SEED_ON_START: 'true' });
    tokens.anonymous = undefined;
    for (const [caller, username, password] of [
      ['customer', 'ada', 'analytical-engine'],
      ['admin', 'admin', 'admin-password'],
    ] as const) {
      const { text } = await post(LOGIN, { u: username, p: password }, 'anonymous');
      tokens[caller] = (JSON.parse(text) as { data: { login: { token: string } } }).data.login.token;
    }
    const created = JSON.parse((await post(CREATE_PRODUCT, product({ name: 'Soon gone' }), 'admin')).text) as {
      data: { createProduct: { id: string } };
    };
    deletedProduct = created.data.createProduct.id;
    await post(DELETE_PRODUCT, { id: deletedProduct }, 'admin');
  });
  afterAll(async () => {
    writeArtifact('bad-input.json', { inputsTried: cases.length, refused: cases.filter((c) => c[4] !== 'ok').length });
    await router?.close();
  });

  it.each(cases.map(([description, ...rest]) => [`${description} → ${rest[3]}`, ...rest] as Case))('%s', async (_title, query, rawVariables, caller, expected) => {
    const variables = JSON.parse(JSON.stringify(rawVariables).replaceAll(DELETED, deletedProduct)) as Record<string, unknown>;
    const before = await counts();
    const { text } = await post(query, variables, caller);
    const body = JSON.parse(text) as { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };

    expect(text).not.toMatch(LEAKS);
    if (expected === 'ok') {
      expect(body.errors).toBeUndefined();
      const written = Object.values(body.data ?? {})[0] as Record<string, unknown> | null;
      if (written && 'description' in written) expect(written).toMatchObject({ name: SCRIPT, description: SQL });
      if (written && 'name' in written && !('description' in written)) expect(written['name']).toBe(`😀 ${SCRIPT}`);
      return;
    }
    expect(body.errors?.[0]?.extensions?.['code']).toBe(expected);
    expect(await counts()).toEqual(before);
  });
});
