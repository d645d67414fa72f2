import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { projectRoot } from '../../lib/config.ts';

/**
 * One service (`scripts/serve.ts <name>`) as its own process, for tests that crash and restart
 * services one at a time. Every line it logs is kept.
 */
export class ServiceProcess {
  private child: ChildProcess | null = null;
  readonly lines: string[] = [];
  exits: Array<number | string | null> = [];

  constructor(
    readonly name: string,
    private readonly env: Record<string, string>,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts it (again) and resolves once it logs that it is ready. */
  async start(extraEnv: Record<string, string> = {}): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/serve.ts', this.name], {
      cwd: projectRoot,
      env: { ...process.env, ...this.env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const ready = new Promise<void>((resolve, reject) => {
      for (const stream of [child.stdout, child.stderr]) {
        createInterface({ input: stream! }).on('line', (line) => {
          this.lines.push(line);
          if (/"msg":"(router ready|\w+ subgraph ready)"/.test(line)) resolve();
        });
      }
      child.once('exit', (code, signal) => {
        this.exits.push(signal ?? code);
        reject(new Error(`${this.name} exited (${signal ?? code}) before it was ready:\n${this.lines.slice(-20).join('\n')}`));
      });
    });
    await ready;
  }

  /** Resolves when the process has exited (by itself, say at a failpoint). */
  exited(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => child.once('exit', () => resolve()));
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const exited = this.exited();
    this.child?.kill(signal);
    return exited;
  }

  stop(): Promise<void> {
    return this.kill('SIGTERM');
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
