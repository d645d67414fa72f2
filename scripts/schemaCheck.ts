import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildSchema } from 'graphql';
import { loadConfig, projectRoot, subgraphUrls } from '../lib/config.ts';
import { checkSchemaChanges, type Acknowledgement } from '../router/checkSchemaChanges.ts';
import { composeSupergraph } from '../router/composeSupergraph.ts';

/**
 * `npm run schema:check`: composes the subgraphs and compares the public API with the committed
 * snapshot (router/api-schema.graphql), classifying each change as safe, dangerous or breaking.
 * Fails on a breaking change nobody acknowledged, and on a snapshot that is out of date.
 *
 *   npm run schema:check -- --acknowledge "why clients can take it"   accept the current breaking changes
 *   npm run schema:check -- --update                                  write the new snapshot
 */

const { values } = parseArgs({ options: { update: { type: 'boolean', default: false }, acknowledge: { type: 'string' } } });
const snapshotFile = join(projectRoot, 'router', 'api-schema.graphql');
const acknowledgementsFile = join(projectRoot, 'router', 'acknowledged-breaking-changes.json');

const composed = composeSupergraph(subgraphUrls(loadConfig())).apiSchemaSdl;
const snapshot = readFileSync(snapshotFile, 'utf8');
const acknowledgements = existsSync(acknowledgementsFile) ? (JSON.parse(readFileSync(acknowledgementsFile, 'utf8')) as Acknowledgement[]) : [];
let { changes, unacknowledged } = await checkSchemaChanges(buildSchema(snapshot), buildSchema(composed), acknowledgements);

if (values.acknowledge !== undefined && unacknowledged.length > 0) {
  if (values.acknowledge.trim() === '') {
    console.error('--acknowledge needs a reason: why can clients take these changes?');
    process.exit(2);
  }
  acknowledgements.push(...unacknowledged.map((change) => ({ message: change.message, reason: values.acknowledge! })));
  writeFileSync(acknowledgementsFile, `${JSON.stringify(acknowledgements, null, 2)}\n`);
  ({ changes, unacknowledged } = await checkSchemaChanges(buildSchema(snapshot), buildSchema(composed), acknowledgements));
}

const label = { breaking: 'BREAKING ', dangerous: 'DANGEROUS', safe: 'safe     ' } as const;
for (const change of changes) {
  console.log(`${label[change.level]} ${change.message}${change.acknowledged ? `  (acknowledged: ${change.acknowledged})` : ''}`);
}
if (unacknowledged.length > 0) {
  console.error(
    `\n${unacknowledged.length} breaking change(s) to the public API. Keep the old fields (deprecate them), or accept ` +
      'the break with: npm run schema:check -- --acknowledge "<reason>"',
  );
  process.exit(1);
}
if (`${composed}\n` !== snapshot) {
  if (values.update) {
    writeFileSync(snapshotFile, `${composed}\n`);
    console.log(`\nWrote ${snapshotFile}; commit it with the change.`);
  } else {
    console.error('\nThe committed API snapshot is out of date. Review the changes above, then: npm run schema:check -- --update');
    process.exit(1);
  }
} else {
  console.log(changes.length === 0 ? 'The public API matches router/api-schema.graphql.' : '');
}
