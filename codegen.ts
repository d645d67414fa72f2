import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed resolver signatures for each subgraph (its resolvers `satisfies` them), and typed client
 * documents against the composed public API. Both come from committed schemas; the output is not
 * committed (`npm run codegen` writes it, `npm run typecheck` runs it first).
 */

const subgraphs = {
  members: { Member: '../store.ts#MemberRecord' },
  products: { Product: '../store.ts#ProductRecord' },
  purchases: { Purchase: '../store.ts#PurchaseRecord', Member: '../store.ts#MemberReference', Product: '../store.ts#ProductReference' },
} as const;

const contextTypes = {
  members: 'MembersContext',
  products: 'ProductsContext',
  purchases: 'PurchasesContext',
} as const;

const config: CodegenConfig = {
  overwrite: true,
  silent: true,
  generates: {
    // Typed documents for clients, against the public API snapshot the composition test keeps current.
    'examples/__generated__/': {
      schema: 'router/api-schema.graphql',
      documents: ['examples/**/*.ts', '!examples/__generated__/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        emitLegacyCommonJSImports: false,
        scalars: { DateTime: 'string' },
      },
    },
    ...Object.fromEntries(
    Object.entries(subgraphs).map(([name, mappers]) => [
      `subgraphs/${name}/__generated__/resolvers.ts`,
      {
        schema: `subgraphs/${name}/schema.graphql`,
        plugins: ['typescript', 'typescript-resolvers'],
        config: {
          federation: true,
          useTypeImports: true,
          enumsAsTypes: true,
          contextType: `../subgraph.ts#${contextTypes[name as keyof typeof contextTypes]}`,
          mappers,
          mapperTypeSuffix: 'Model',
          scalars: { DateTime: { input: 'Date', output: 'Date | string' } },
          resolverTypeWrapperSignature: 'T | Promise<T>',
        },
      },
    ]),
    ),
  },
};

export default config;
