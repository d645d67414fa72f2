import { hashPassword, UNKNOWN_MEMBER_HASH, verifyPassword } from '../../lib/auth/password.ts';
import { signMemberToken } from '../../lib/auth/memberToken.ts';
import { badInput, unauthenticated } from '../../lib/errors.ts';
import { optionalText } from '../../lib/graphql/cleanText.ts';
import { DateTime } from '../../lib/graphql/DateTime.ts';
import { connectionOf, pageRequest } from '../../lib/graphql/pagination.ts';
import { isId, parseId } from '../../lib/graphql/parseId.ts';
import type { Resolvers } from './__generated__/resolvers.ts';
import type { NewMember } from './store.ts';

const USERNAME = /^[a-z0-9._-]{3,32}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PASSWORD_MIN = 8;
const PASSWORD_MAX = 128;
const NAME_MAX = 100;
const EMAIL_MAX = 254;

export const resolvers = {
  DateTime,

  Query: {
    async me(_parent, _args, { viewer, store }) {
      if (!viewer) throw unauthenticated();
      const member = await store.memberById(viewer.memberId);
      if (!member) throw unauthenticated('Your account no longer exists.');
      return member;
    },
    member: (_parent, { id }, { store }) => store.memberById(parseId(id)),
    async members(_parent, args, { store }) {
      const page = pageRequest(args);
      return connectionOf(await store.listMembers(page), page);
    },
  },

  Mutation: {
    async registerMember(_parent, { input }, { store }) {
      const member: NewMember = {
        username: normalizeUsername(input.username),
        passwordHash: await hashPassword(checkPassword(input.password)),
        name: optionalText(input.name, { field: 'name', max: NAME_MAX }),
        email: optionalEmail(input.email),
      };
      return store.createMember(member);
    },

    async login(_parent, { username, password }, { store, config }) {
      const normalized = username.trim().toLowerCase();
      const member = USERNAME.test(normalized) ? await store.memberByUsername(normalized) : null;
      // Unknown usernames cost a hash too, so timing does not tell which usernames exist.
      const valid = await verifyPassword(password.slice(0, PASSWORD_MAX + 1), member?.passwordHash ?? UNKNOWN_MEMBER_HASH);
      if (!member || !valid) throw unauthenticated('Wrong username or password.');
      const { token, expiresAt } = await signMemberToken(
        { memberId: member.id, role: member.role },
        config.auth.tokenSecret,
        config.auth.tokenTtlSeconds,
      );
      return { token, expiresAt, member };
    },

    async deleteMyAccount(_parent, { password }, { viewer, store }) {
      if (!viewer) throw unauthenticated();
      const member = await store.memberById(viewer.memberId);
      if (!member) throw unauthenticated('Your account no longer exists.');
      if (!(await verifyPassword(password.slice(0, PASSWORD_MAX + 1), member.passwordHash))) {
        throw unauthenticated('Wrong password.');
      }
      await store.deleteMember(member.id);
      return { id: member.id };
    },
  },

  Member: {
    // The router asks for members by id in batches; the store's loader turns them into one query,
    // and a member that no longer exists resolves to null.
    __resolveReference: ({ id }, { store }) => (isId(id) ? store.memberById(id.toLowerCase()) : null),
    email: (member, _args, { viewer }) =>
      viewer && (viewer.memberId === member.id || viewer.role === 'ADMIN') ? member.email : null,
  },
} satisfies Resolvers;

function normalizeUsername(raw: string): string {
  const username = raw.trim().toLowerCase();
  if (!USERNAME.test(username)) {
    throw badInput("A username is 3–32 characters of letters, digits, '.', '_' or '-'.", 'username');
  }
  return username;
}

function checkPassword(password: string): string {
  if (!password.isWellFormed()) throw badInput('A password must be valid Unicode text.', 'password');
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw badInput(`A password is ${PASSWORD_MIN}–${PASSWORD_MAX} characters long.`, 'password');
  }
  return password;
}

function optionalEmail(value: string | null | undefined): string | null {
  const email = optionalText(value, { field: 'email', max: EMAIL_MAX });
  if (email === null) return null;
  if (!EMAIL.test(email)) throw badInput(`"${email.slice(0, 60)}" is not an email address.`, 'email');
  return email.toLowerCase();
}
