import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { GraphQLError, Kind, type ValidationContext, type ValidationRule } from 'graphql';
import type { QueryLimits } from '../lib/config.ts';
import { ErrorCode, ShopError } from '../lib/errors.ts';
import { DEFAULT_PAGE_SIZE } from '../lib/graphql/pagination.ts';

/**
 * What the router refuses before planning a query: documents that are too deep, alias or repeat
 * too much, select too many root fields, or would cost too much to answer. Each refusal is
 * QUERY_LIMIT_EXCEEDED with `limit` and `maximum`, so a client can tell which limit it hit.
 * Depth, aliases and directives use graphql-armor's rules and the cost graphql-query-complexity;
 * the token limit is graphql-js's own parser option (see createRouterServer).
 */

export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  return [
    maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...reportAs('depth', limits.maxDepth) }),
    maxAliasesRule({ n: limits.maxAliases, ...reportAs('aliases', limits.maxAliases) }),
    maxDirectivesRule({ n: limits.maxDirectives, ...reportAs('directives', limits.maxDirectives) }),
    maxRootFieldsRule(limits.maxRootFields),
  ];
}

/**
 * The cost of an operation: one per field, and a list field's children counted once per item it
 * may return (its `first` argument, default 20). `members(first: 100) { nodes { purchases(first:
 * 100) { … } } }` costs about ten thousand times a single field, however few rows exist.
 */
export function queryCostPlugin(limits: QueryLimits): ApolloServerPlugin<BaseContext> {
  const pageSizeEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
    if (!('first' in args)) return undefined;
    const first = typeof args['first'] === 'number' ? args['first'] : DEFAULT_PAGE_SIZE;
    return 1 + Math.max(first, 1) * childComplexity;
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName }) {
          let cost: number;
          try {
            cost = getComplexity({
              schema,
              query: document,
              variables: request.variables ?? {},
              ...(operationName ? { operationName } : {}),
              estimators: [pageSizeEstimator, simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch (error) {
            // Costing coerces the variables first; one that does not fit its type is the client's error.
            if (error instanceof GraphQLError) {
              throw new ShopError(ErrorCode.BAD_USER_INPUT, error.message, { http: { status: 400 } });
            }
            throw error;
          }
          if (cost > limits.maxCost) {
            throw new ShopError(
              ErrorCode.QUERY_LIMIT_EXCEEDED,
              `This operation would cost ${cost}; the limit is ${limits.maxCost}. Ask for smaller pages or fewer nested lists.`,
              { limit: 'cost', maximum: limits.maxCost, cost, http: { status: 400 } },
            );
          }
        },
      };
    },
  };
}

/** graphql-armor's callbacks: report through the shop's error catalogue instead of throwing. */
function reportAs(limit: string, maximum: number) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) =>
        context?.reportError(
          new ShopError(ErrorCode.QUERY_LIMIT_EXCEEDED, error.message.replace(/^Syntax Error: /, ''), { limit, maximum }),
        ),
    ],
  };
}

function maxRootFieldsRule(maximum: number): ValidationRule {
  return (context: ValidationContext) => ({
    OperationDefinition(operation) {
      const rootFields = operation.selectionSet.selections.filter(
        (selection) => selection.kind !== Kind.FIELD || !selection.name.value.startsWith('__'),
      ).length;
      if (rootFields > maximum) {
        context.reportError(
          new ShopError(ErrorCode.QUERY_LIMIT_EXCEEDED, `An operation may select at most ${maximum} root fields; found ${rootFields}.`, {
            limit: 'rootFields',
            maximum,
          }),
        );
      }
    },
  });
}
