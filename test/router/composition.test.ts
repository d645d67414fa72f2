import { buildSchema, Kind, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { composeSupergraph, readSubgraphSdl } from '../../router/composeSupergraph.ts';
import { subgraphNames } from '../../subgraphs/index.ts';

const urls = {
  members: 'http://members.internal/graphql',
  products: 'http://products.internal/graphql',
  purchases: 'http://purchases.internal/graphql',
};

describe('composition', () => {
  it('composes the three subgraph SDL files without errors or hints', () => {
    const { hints } = composeSupergraph(urls);
    expect(hints).toEqual([]);
  });

  it('writes each subgraph URL into the supergraph', () => {
    const { supergraphSdl } = composeSupergraph(urls);
    for (const [name, url] of Object.entries(urls)) {
      expect(supergraphSdl).toContain(`${name.toUpperCase()} @join__graph(name: "${name}", url: "${url}")`);
    }
  });

  it('keeps the public API schema equal to the committed snapshot (update it with `npx vitest run -u`)', async () => {
    const { apiSchemaSdl } = composeSupergraph(urls);
    await expect(`${apiSchemaSdl}\n`).toMatchFileSnapshot('../../router/api-schema.graphql');
  });

  it('leaves service-to-service operations out of the public API', () => {
    const api = buildSchema(composeSupergraph(urls).apiSchemaSdl);
    expect(api.getMutationType()?.getFields()['reserveStock']).toBeUndefined();
    expect(api.getType('StockReservation')).toBeUndefined();
    expect(api.getQueryType()?.getFields()['_entities']).toBeUndefined();
  });

  it('crosses all three subgraphs from one type: Purchase.member, Purchase.product, Member.purchases', () => {
    const api = buildSchema(composeSupergraph(urls).apiSchemaSdl);
    const purchase = api.getType('Purchase');
    const member = api.getType('Member');
    expect(purchase && 'getFields' in purchase && Object.keys(purchase.getFields())).toEqual(
      expect.arrayContaining(['member', 'product', 'productName']),
    );
    expect(member && 'getFields' in member && Object.keys(member.getFields())).toEqual(
      expect.arrayContaining(['username', 'purchases']),
    );
  });

  it.each(subgraphNames)('%s declares Federation 2.7 and describes the types and fields it owns', (name) => {
    const sdl = readSubgraphSdl(name);
    expect(sdl).toMatch(/@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.7"/);
    const undescribed: string[] = [];
    for (const definition of parse(sdl).definitions) {
      if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.SCALAR_TYPE_DEFINITION) continue;
      const typeName = definition.name.value;
      // Entities another subgraph owns appear here by id only; their owner describes them.
      if (name === 'purchases' && (typeName === 'Member' || typeName === 'Product')) continue;
      const isRoot = typeName === 'Query' || typeName === 'Mutation';
      const isPlumbing = typeName.endsWith('Edge') || typeName.endsWith('Payload');
      if (!isRoot && !isPlumbing && !definition.description) undescribed.push(typeName);
      if (isRoot && definition.kind === Kind.OBJECT_TYPE_DEFINITION) {
        for (const field of definition.fields ?? []) if (!field.description) undescribed.push(`${typeName}.${field.name.value}`);
      }
    }
    expect(undescribed).toEqual([]);
  });
});
