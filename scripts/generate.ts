import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { projectRoot } from '../lib/config.ts';
import { subgraphNames } from '../subgraphs/index.ts';

/**
 * Generates each subgraph's Prisma client into prisma/<name>/__generated__ (not committed), and
 * skips a client whose schema and Prisma version have not changed since it was generated.
 * Runs before `npm start`, `npm test` and the type check.
 */

const require = createRequire(import.meta.url);
const prismaCli = require.resolve('prisma/build/index.js');
const prismaVersion = (JSON.parse(readFileSync(join(prismaCli, '../../package.json'), 'utf8')) as { version: string }).version;
const force = process.argv.includes('--force');

const results = await Promise.all(subgraphNames.map(generate));
const generated = results.filter(Boolean).length;
console.log(generated === 0 ? 'Prisma clients are up to date.' : `Generated ${generated} Prisma client(s).`);

async function generate(name: string): Promise<boolean> {
  const schema = join(projectRoot, 'prisma', name, 'schema.prisma');
  const stamp = join(projectRoot, 'prisma', name, '__generated__', '.stamp');
  const fingerprint = createHash('sha256').update(prismaVersion).update(readFileSync(schema)).digest('hex');
  if (!force && existsSync(stamp) && readFileSync(stamp, 'utf8') === fingerprint) return false;

  const output = await run(process.execPath, [prismaCli, 'generate', '--schema', schema], {
    ...process.env,
    // `prisma generate` never runs the schema engine, but the CLI downloads it first unless told
    // where one is; naming a path stops the download, which fails on machines without internet.
    PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  });
  if (output.code !== 0) {
    console.error(`prisma generate failed for ${name}:\n${output.text}`);
    process.exit(1);
  }
  writeFileSync(stamp, fingerprint);
  return true;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; text: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk));
    child.on('close', (code) => resolve({ code: code ?? 1, text }));
  });
}
