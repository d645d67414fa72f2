import { CriticalityLevel, diff } from '@graphql-inspector/core';
import type { GraphQLSchema } from 'graphql';

export type ChangeLevel = 'breaking' | 'dangerous' | 'safe';

export interface SchemaChange {
  level: ChangeLevel;
  message: string;
  path: string | null;
  /** Why a breaking change was accepted, when it was. */
  acknowledged?: string;
}

export interface Acknowledgement {
  message: string;
  reason: string;
}

/**
 * Classifies how the public API changed between two schemas, with GraphQL Inspector's rules:
 * breaking (a client may fail), dangerous (a client may behave differently) or safe. A breaking
 * change passes only when acknowledged with a reason.
 */
export async function checkSchemaChanges(
  previous: GraphQLSchema,
  next: GraphQLSchema,
  acknowledgements: Acknowledgement[] = [],
): Promise<{ changes: SchemaChange[]; unacknowledged: SchemaChange[] }> {
  const changes: SchemaChange[] = (await diff(previous, next)).map((change) => {
    const level: ChangeLevel =
      change.criticality.level === CriticalityLevel.Breaking ? 'breaking' : change.criticality.level === CriticalityLevel.Dangerous ? 'dangerous' : 'safe';
    const acknowledgement = level === 'breaking' ? acknowledgements.find((candidate) => candidate.message === change.message) : undefined;
    return { level, message: change.message, path: change.path ?? null, ...(acknowledgement ? { acknowledged: acknowledgement.reason } : {}) };
  });
  return { changes, unacknowledged: changes.filter((change) => change.level === 'breaking' && change.acknowledged === undefined) };
}
