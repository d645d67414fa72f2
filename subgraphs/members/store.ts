import { createByIdLoader } from '../../lib/database/createByIdLoader.ts';
import { isUniqueViolation } from '../../lib/database/prismaErrors.ts';
import type { StoreOptions } from '../../lib/subgraph/SubgraphDefinition.ts';
import { conflict } from '../../lib/errors.ts';
import type { PageRequest } from '../../lib/graphql/pagination.ts';
import type { Member, PrismaClient, Role } from '../../prisma/members/__generated__/client.ts';

export type MemberRecord = Member;

export interface NewMember {
  id?: string;
  username: string;
  passwordHash: string;
  name: string | null;
  email: string | null;
  role?: Role;
}

/**
 * The members service's only door to its database. One store serves one request: its loader
 * batches every member lookup of the request into one query.
 */
export function createMemberStore(prisma: PrismaClient, options: StoreOptions = { batching: true }) {
  const byId = createByIdLoader((ids) => prisma.member.findMany({ where: { id: { in: ids } } }), options);

  return {
    memberById(id: string): Promise<Member | null> {
      return byId.load(id);
    },

    memberByUsername(username: string): Promise<Member | null> {
      return prisma.member.findUnique({ where: { username } });
    },

    /** Members in registration order (UUIDv7 ids are time-ordered); one row more than asked. */
    listMembers(page: PageRequest): Promise<Member[]> {
      return prisma.member.findMany({
        where: page.afterId === null ? {} : { id: { gt: page.afterId } },
        orderBy: { id: 'asc' },
        take: page.first + 1,
      });
    },

    async createMember(member: NewMember): Promise<Member> {
      try {
        return await prisma.member.create({ data: member });
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(`The username "${member.username}" is taken.`);
        throw error;
      }
    },

    /** Adds several members in one statement: all or none (the sample shop). */
    async importMembers(members: NewMember[]): Promise<void> {
      await prisma.member.createMany({ data: members });
    },

    /** True when a member was deleted, false when none had the id. */
    async deleteMember(id: string): Promise<boolean> {
      const { count } = await prisma.member.deleteMany({ where: { id } });
      byId.clear(id);
      return count === 1;
    },

    async isEmpty(): Promise<boolean> {
      return (await prisma.member.findFirst({ select: { id: true } })) === null;
    },
  };
}

export type MemberStore = ReturnType<typeof createMemberStore>;
