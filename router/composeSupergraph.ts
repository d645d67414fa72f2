import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse, printSchema } from 'graphql';
import { subgraphNames, type SubgraphName } from '../subgraphs/index.ts';

export interface Supergraph {
  /** The supergraph SDL the router plans queries with: every subgraph's types, joined, with URLs. */
  supergraphSdl: string;
  /** The public API clients see: the supergraph minus federation machinery and @inaccessible parts. */
  apiSchemaSdl: string;
  /** Composition's advice (not errors), e.g. on fields defined differently in two subgraphs. */
  hints: Array<{ code: string; message: string }>;
}

export class CompositionError extends Error {
  override name = 'CompositionError';
}

/**
 * Composes the subgraphs from their committed SDL files: the router needs no running subgraph to
 * start, and the composition test checks the very same function.
 */
export function composeSupergraph(urls: Record<SubgraphName, string>): Supergraph {
  const result = composeServices(
    subgraphNames.map((name) => ({ name, url: urls[name], typeDefs: parse(readSubgraphSdl(name)) })),
  );
  if (result.errors) {
    throw new CompositionError(`The subgraphs do not compose:\n${result.errors.map((error) => `  - ${error.message}`).join('\n')}`);
  }
  return {
    supergraphSdl: result.supergraphSdl,
    apiSchemaSdl: printSchema(result.schema.toAPISchema().toGraphQLJSSchema()),
    hints: result.hints.map((hint) => ({ code: hint.definition.code, message: hint.message })),
  };
}

export function readSubgraphSdl(name: SubgraphName): string {
  return readFileSync(new URL(`../subgraphs/${name}/schema.graphql`, import.meta.url), 'utf8');
}
