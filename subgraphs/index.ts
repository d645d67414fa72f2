import type { SubgraphDefinition } from '../lib/subgraph/SubgraphDefinition.ts';

/**
 * The one place a subgraph is registered. Its name is the key everywhere: folder, Prisma folder,
 * variable prefix (`MEMBERS_DATABASE_URL`), port order and composition name.
 */
export const subgraphNames = ['members', 'products', 'purchases'] as const;

export type SubgraphName = (typeof subgraphNames)[number];

/** Definitions load lazily, so the router and the config reader never import a Prisma client. */
const loaders: Record<SubgraphName, () => Promise<SubgraphDefinition>> = {
  members: () => import('./members/subgraph.ts').then((module) => module.members),
  products: () => import('./products/subgraph.ts').then((module) => module.products),
  purchases: () => import('./purchases/subgraph.ts').then((module) => module.purchases),
};

export function isSubgraphName(value: string): value is SubgraphName {
  return (subgraphNames as readonly string[]).includes(value);
}

export function loadSubgraph(name: SubgraphName): Promise<SubgraphDefinition> {
  return loaders[name]();
}
