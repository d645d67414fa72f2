import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyMemberToken } from '../../lib/auth/memberToken.ts';
import type { Viewer } from '../../lib/auth/Viewer.ts';
import { databaseKinds } from '../support/testDatabase.ts';
import { startSubgraphUnderTest, type SubgraphUnderTest } from '../support/subgraphHarness.ts';

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterMemberInput!) {
    registerMember(input: $input) { id username name email role createdAt }
  }
`;
const LOGIN = /* GraphQL */ `
  mutation Login($username: String!, $password: String!) {
    login(username: $username, password: $password) { token expiresAt member { id username } }
  }
`;

describe.each(databaseKinds())('members subgraph (%s database)', (kind) => {
  let members: SubgraphUnderTest;
  beforeEach(async () => {
    members = await startSubgraphUnderTest('members', kind);
  });
  afterEach(async () => {
    await members.close();
  });

  async function register(username: string, extra: Record<string, unknown> = {}) {
    const { data, errors } = await members.execute<{ registerMember: { id: string; username: string } }>(REGISTER, {
      variables: { input: { username, password: 'correct-horse', ...extra } },
    });
    expect(errors).toBeUndefined();
    return data!.registerMember;
  }

  async function memberRows(): Promise<Array<{ username: string; passwordHash: string }>> {
    return members.database.withSession((session) => session.query('SELECT username, "passwordHash" FROM "Member"'));
  }

  it('publishes its SDL with Member as an entity', async () => {
    const { data } = await members.execute<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(data?._service.sdl).toMatch(/type Member\s+@key\(fields: "id"\)/);
  });

  it('registers a member with a lower-cased username and stores only a scrypt hash', async () => {
    const member = await register('Ada.Lovelace', { name: ' Ada ', email: 'ADA@Example.com' });
    expect(member).toMatchObject({ username: 'ada.lovelace', name: 'Ada', email: null, role: 'CUSTOMER' });
    const [row] = await memberRows();
    expect(row?.passwordHash).toMatch(/^scrypt\$15\$8\$1\$/);
    expect(row?.passwordHash).not.toContain('correct-horse');
  });

  it('refuses a taken username with CONFLICT, whatever its case', async () => {
    await register('grace');
    const { errors } = await members.execute(REGISTER, {
      variables: { input: { username: 'GRACE', password: 'another-password' } },
    });
    expect(errors?.[0]?.extensions?.['code']).toBe('CONFLICT');
    expect(errors?.[0]?.message).toBe('The username "grace" is taken.');
    expect(await memberRows()).toHaveLength(1);
  });

  it.each([
    ['a username that is too short', { username: 'ab' }, 'username'],
    ['a username with spaces', { username: 'ada lovelace' }, 'username'],
    ['a username of 33 characters', { username: 'a'.repeat(33) }, 'username'],
    ['a username with non-ASCII letters', { username: 'adä' }, 'username'],
    ['a password of 7 characters', { password: '1234567' }, 'password'],
    ['a password of 129 characters', { password: 'p'.repeat(129) }, 'password'],
    ['an email without a domain', { email: 'ada@' }, 'email'],
    ['a name of 101 characters', { name: 'n'.repeat(101) }, 'name'],
    ['a name with a control character', { name: 'Ada\u0007' }, 'name'],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_case, override, field) => {
    const { errors } = await members.execute(REGISTER, {
      variables: { input: { username: 'valid-name', password: 'correct-horse', ...override } },
    });
    expect(errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(await memberRows()).toHaveLength(0);
  });

  it('logs in with a token that names the member and expires', async () => {
    const member = await register('linus');
    const { data, errors } = await members.execute<{ login: { token: string; expiresAt: string } }>(LOGIN, {
      variables: { username: 'Linus', password: 'correct-horse' },
    });
    expect(errors).toBeUndefined();
    const verdict = await verifyMemberToken(data!.login.token, members.config.auth.tokenSecret);
    expect(verdict).toEqual({ ok: true, viewer: { memberId: member.id, role: 'CUSTOMER' }, expiresAt: Date.parse(data!.login.expiresAt) });
    expect(Date.parse(data!.login.expiresAt) - Date.now()).toBeGreaterThan(3500 * 1000);
  });

  it('answers a wrong password and an unknown username with the same error', async () => {
    await register('margaret');
    const wrongPassword = await members.execute(LOGIN, { variables: { username: 'margaret', password: 'wrong-password' } });
    const unknownUser = await members.execute(LOGIN, { variables: { username: 'nobody', password: 'wrong-password' } });
    expect(wrongPassword.errors).toEqual(unknownUser.errors);
    expect(wrongPassword.errors?.[0]).toMatchObject({
      message: 'Wrong username or password.',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('answers me for the logged-in member and UNAUTHENTICATED for anyone else', async () => {
    const member = await register('barbara');
    const viewer: Viewer = { memberId: member.id, role: 'CUSTOMER' };
    expect((await members.execute('{ me { username } }', { viewer })).data).toEqual({ me: { username: 'barbara' } });
    const anonymous = await members.execute('{ me { username } }');
    expect(anonymous.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  it('shows an email only to its owner and to admins', async () => {
    const member = await register('edsger', { email: 'edsger@example.com' });
    const query = `{ member(id: "${member.id}") { email } }`;
    const other = await register('tony');
    expect((await members.execute(query, { viewer: { memberId: member.id, role: 'CUSTOMER' } })).data).toEqual({
      member: { email: 'edsger@example.com' },
    });
    expect((await members.execute(query, { viewer: { memberId: other.id, role: 'CUSTOMER' } })).data).toEqual({
      member: { email: null },
    });
    expect((await members.execute(query, { viewer: { memberId: other.id, role: 'ADMIN' } })).data).toEqual({
      member: { email: 'edsger@example.com' },
    });
  });

  it('finds a member by id, null for an unknown id, and refuses a malformed id', async () => {
    const member = await register('donald');
    expect((await members.execute(`{ member(id: "${member.id}") { username } }`)).data).toEqual({
      member: { username: 'donald' },
    });
    expect((await members.execute('{ member(id: "01930000-0000-7000-8000-0000000000ff") { username } }')).data).toEqual({
      member: null,
    });
    const malformed = await members.execute(`{ member(id: "1 OR 1=1") { username } }`);
    expect(malformed.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it('pages through members in registration order with cursors', async () => {
    for (const username of ['m-one', 'm-two', 'm-three', 'm-four', 'm-five']) await register(username);
    const page = `query Page($after: String) { members(first: 2, after: $after) { nodes { username } pageInfo { hasNextPage endCursor } } }`;
    type Page = { members: { nodes: Array<{ username: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { data }: { data: Page | null | undefined } = await members.execute<Page>(page, { variables: { after } });
      seen.push(...data!.members.nodes.map((node) => node.username));
      if (!data!.members.pageInfo.hasNextPage) break;
      after = data!.members.pageInfo.endCursor;
    }
    expect(seen).toEqual(['m-one', 'm-two', 'm-three', 'm-four', 'm-five']);
  });

  it.each([
    ['first above 100', '{ members(first: 101) { nodes { id } } }', 'first'],
    ['first of 0', '{ members(first: 0) { nodes { id } } }', 'first'],
    ['a cursor it never returned', '{ members(after: "bm90LWEtY3Vyc29y") { nodes { id } } }', 'after'],
  ])('refuses %s with BAD_USER_INPUT', async (_case, query, field) => {
    const { errors } = await members.execute(query);
    expect(errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
  });

  it('resolves 50 entity references in one SQL statement, in order, with null for the unknown', async () => {
    const registered: Array<{ id: string }> = [];
    for (let index = 0; index < 5; index += 1) registered.push(await register(`batch-${index}`));
    const unknown = '01930000-0000-7000-8000-0000000000ff';
    const representations = Array.from({ length: 50 }, (_, index) => ({
      __typename: 'Member',
      id: index % 10 === 9 ? unknown : registered[index % 5]!.id,
    }));
    const { data, sqlStatements } = await members.execute<{ _entities: Array<{ username: string } | null> }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Member { username } } }',
      { variables: { r: representations } },
    );
    expect(sqlStatements).toBe(1);
    expect(data?._entities).toHaveLength(50);
    expect(data?._entities[0]).toEqual({ username: 'batch-0' });
    expect(data?._entities[9]).toBeNull();
    expect(data?._entities[13]).toEqual({ username: 'batch-3' });
  });

  it('deletes the account after checking the password, and its references resolve to null', async () => {
    const member = await register('retiree');
    const viewer: Viewer = { memberId: member.id, role: 'CUSTOMER' };
    const wrong = await members.execute('mutation { deleteMyAccount(password: "not-it-at-all") { id } }', { viewer });
    expect(wrong.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    const done = await members.execute('mutation { deleteMyAccount(password: "correct-horse") { id } }', { viewer });
    expect(done.data).toEqual({ deleteMyAccount: { id: member.id } });
    const entity = await members.execute<{ _entities: unknown[] }>(
      `{ _entities(representations: [{ __typename: "Member", id: "${member.id}" }]) { ... on Member { id } } }`,
    );
    expect(entity.data?._entities).toEqual([null]);
    expect((await members.execute('{ me { id } }', { viewer })).errors?.[0]?.message).toBe('Your account no longer exists.');
  });

  it('masks a database failure as INTERNAL_SERVER_ERROR with a request id and no internals', async () => {
    await members.database.withSession((session) => session.exec('DROP TABLE "Member"'));
    const { errors } = await members.execute('{ members { nodes { id } } }');
    expect(errors).toHaveLength(1);
    expect(errors?.[0]?.message).toBe('Internal server error.');
    expect(errors?.[0]?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: expect.any(String) });
    expect(JSON.stringify(errors?.[0]?.extensions)).not.toMatch(/prisma|relation|select|stack/i);
  });
});
