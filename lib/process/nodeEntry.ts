import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Node arguments that run another entry script of this project, `path` given relative to the
 * calling module and without extension. A compiled module (dist/, `npm start`) runs the compiled
 * entry directly; a TypeScript module (tests, `npm run dev`) runs the TypeScript entry through
 * tsx, so a process tree never mixes stale compiled code with fresh sources.
 */
export function nodeEntry(moduleUrl: string, path: string): string[] {
  const extension = extname(fileURLToPath(moduleUrl));
  const script = fileURLToPath(new URL(`${path}${extension}`, moduleUrl));
  return extension === '.ts' ? ['--import', 'tsx', script] : [script];
}
