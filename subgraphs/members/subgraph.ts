import { hashPassword } from '../../lib/auth/password.ts';
import { defineSubgraph, type SubgraphContext } from '../../lib/subgraph/SubgraphDefinition.ts';
import { PrismaClient } from '../../prisma/members/__generated__/client.ts';
import { sampleMembers } from '../../prisma/sampleShop.ts';
import { resolvers } from './resolvers.ts';
import { createMemberStore, type MemberStore } from './store.ts';

export type MembersContext = SubgraphContext<MemberStore>;

export const members = defineSubgraph({
  name: 'members',
  moduleUrl: import.meta.url,
  resolvers,
  createClient: (adapter) => new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] }),
  createStore: createMemberStore,
  async seed(store) {
    if (!(await store.isEmpty())) return false;
    await store.importMembers(
      await Promise.all(
        sampleMembers.map(async ({ password, ...member }) => ({ ...member, passwordHash: await hashPassword(password) })),
      ),
    );
    return true;
  },
});
