import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { serviceNodeFlags } from './serviceNodeFlags.ts';

const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 20_000;

export interface SupervisorOptions {
  /** Node arguments that run one service when its name is appended (see nodeEntry). */
  serveCommand: string[];
  /** Every line the services print, JSON or not. */
  onLine(line: string): void;
  /** A service that exits unless it was told to stop. */
  onUnexpectedExit(name: string, reason: string): void;
}

/**
 * Runs services as child processes (`node serve.js <name>`), each in its own process
 * group so a terminal's Ctrl-C reaches only the supervisor, which stops them in order; the IPC
 * channel lets a service notice if the supervisor dies. Used by `npm start` and `npm run dev`.
 */
export class ServiceSupervisor {
  private readonly children = new Map<string, ChildProcess>();
  private readonly stopping = new Set<string>();

  constructor(private readonly options: SupervisorOptions) {}

  /** Starts a service and resolves once `readyUrl` answers 200; rejects if it exits first. */
  async launch(name: string, readyUrl: string, env: Record<string, string> = {}): Promise<void> {
    const child = spawn(process.execPath, [...serviceNodeFlags, ...this.options.serveCommand, name], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: true,
      env: { ...process.env, ...env },
    });
    this.children.set(name, child);
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', this.options.onLine);
    }
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) => {
        if (this.children.get(name) === child) this.children.delete(name);
        const reason = `${name} exited (${signal ?? `code ${code}`})`;
        if (!this.stopping.has(name)) this.options.onUnexpectedExit(name, reason);
        reject(new Error(reason));
      }),
    );
    exited.catch(() => {});
    await Promise.race([waitUntilReady(name, readyUrl), exited]);
  }

  /** Stops a service gracefully (SIGTERM, then SIGKILL after a grace period). */
  async stop(name: string): Promise<void> {
    const child = this.children.get(name);
    if (!child) return;
    this.stopping.add(name);
    try {
      await stopChild(child);
    } finally {
      this.stopping.delete(name);
    }
  }

  async restart(name: string, readyUrl: string, env: Record<string, string> = {}): Promise<void> {
    await this.stop(name);
    await this.launch(name, readyUrl, env);
  }

  /** The router first (it stops taking queries), then everything else at once. */
  async stopAll(first?: string): Promise<void> {
    for (const name of this.children.keys()) this.stopping.add(name);
    if (first) await this.stop(first);
    await Promise.all([...this.children.keys()].map((name) => this.stop(name)));
  }

  get running(): number {
    return this.children.size;
  }
}

async function waitUntilReady(name: string, url: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const ready = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${name} was not ready within ${READY_TIMEOUT_MS / 1000} s`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
