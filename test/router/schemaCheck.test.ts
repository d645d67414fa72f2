import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../lib/config.ts';
import { checkSchemaChanges } from '../../router/checkSchemaChanges.ts';

const snapshot = readFileSync(join(projectRoot, 'router', 'api-schema.graphql'), 'utf8');
const current = buildSchema(snapshot);

describe('schema check', () => {
  it('calls an added optional field safe', async () => {
    const next = buildSchema(snapshot.replace('type Product {', 'type Product {\n  "Where it ships from."\n  warehouse: String'));
    const { changes, unacknowledged } = await checkSchemaChanges(current, next);
    expect(changes).toContainEqual(expect.objectContaining({ level: 'safe', message: "Field 'warehouse' was added to object type 'Product'" }));
    expect(changes.every((change) => change.level === 'safe')).toBe(true);
    expect(unacknowledged).toEqual([]);
  });

  it('calls a removed field breaking until someone acknowledges it with a reason', async () => {
    const next = buildSchema(snapshot.replace(/\n\s*"""Items left to sell."""\n\s*stock: Int!/, ''));
    const { unacknowledged } = await checkSchemaChanges(current, next);
    expect(unacknowledged.map((change) => change.message)).toEqual(["Field 'stock' was removed from object type 'Product'"]);
    const acknowledged = await checkSchemaChanges(current, next, [
      { message: "Field 'stock' was removed from object type 'Product'", reason: 'no client reads it' },
    ]);
    expect(acknowledged.unacknowledged).toEqual([]);
    expect(acknowledged.changes[0]).toMatchObject({ level: 'breaking', acknowledged: 'no client reads it' });
  });

  it('calls a new required argument breaking', async () => {
    const next = buildSchema(snapshot.replace('product(id: ID!): Product', 'product(id: ID!, currency: String!): Product'));
    const { unacknowledged } = await checkSchemaChanges(current, next);
    expect(unacknowledged).toHaveLength(1);
  });

  it('passes `npm run schema:check` on the committed schemas', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/schemaCheck.ts'], { cwd: projectRoot, encoding: 'utf8' });
    expect(output).toContain('The public API matches router/api-schema.graphql.');
  });
});
