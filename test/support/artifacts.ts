import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../lib/config.ts';

/** Where tests leave what a person may want to look at afterwards (counts, screenshots); not committed. */
export const artifactsDir = join(projectRoot, 'test-artifacts');

export function writeArtifact(name: string, content: unknown): string {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, name);
  writeFileSync(path, typeof content === 'string' || content instanceof Uint8Array ? content : `${JSON.stringify(content, null, 2)}\n`);
  return path;
}
