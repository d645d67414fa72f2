import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

/**
 * A minimal typed client: send a document the codegen client preset typed, get back its result
 * type. Any GraphQL client that understands TypedDocumentNode (Apollo Client, urql, graphql-request)
 * takes the same documents.
 */
export class ShopClient {
  private token: string | null = null;

  constructor(private readonly routerUrl: string) {}

  logInWith(token: string): void {
    this.token = token;
  }

  async request<Result, Variables extends Record<string, unknown>>(
    document: TypedDocumentNode<Result, Variables>,
    ...[variables]: Variables extends Record<string, never> ? [] : [Variables]
  ): Promise<Result> {
    const response = await fetch(this.routerUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: JSON.stringify({ query: print(document), variables: variables ?? {} }),
    });
    const body = (await response.json()) as { data?: Result; errors?: Array<{ message: string; extensions?: { code?: string } }> };
    if (body.errors?.length) {
      const [first] = body.errors;
      throw new Error(`${first?.extensions?.code ?? 'ERROR'}: ${first?.message}`);
    }
    if (!body.data) throw new Error(`No data in a ${response.status} response`);
    return body.data;
  }
}
