import cluster, { type Worker } from 'node:cluster';
import { abandonLogs, endLogs, type Logger } from '../logger.ts';

export interface ClusterOptions {
  name: string;
  workers: number;
  log: Logger;
  /** Extra environment for every worker (an embedded database's shared URL, say). */
  workerEnv?: Record<string, string>;
  /** Runs once every worker has exited: close what the primary holds. */
  afterWorkersExit?: () => Promise<void>;
}

/** Replacements allowed in RESTART_WINDOW_MS before the primary waits between them. */
const RESTART_BURST = 5;
const RESTART_WINDOW_MS = 10_000;
const STOP_TIMEOUT_MS = 15_000;

/**
 * Runs `workers` copies of this same script (`node:cluster`) sharing one listening port: the
 * primary hands connections to workers round-robin and replaces a worker that dies, so the
 * service keeps answering while one restarts. SIGTERM stops the workers (each drains its
 * in-flight requests), then the primary.
 */
export function runCluster({ name, workers, log, workerEnv = {}, afterWorkersExit }: ClusterOptions): void {
  let stopping = false;
  const restarts: number[] = [];

  const fork = () => {
    const worker = cluster.fork(workerEnv);
    worker.once('listening', () => log.info({ worker: worker.id, workerPid: worker.process.pid }, `${name} worker ${worker.id} listening`));
    return worker;
  };

  cluster.on('exit', (worker: Worker, code, signal) => {
    if (stopping) return;
    const now = Date.now();
    restarts.push(now);
    while (restarts.length > 0 && restarts[0]! < now - RESTART_WINDOW_MS) restarts.shift();
    const delay = restarts.length > RESTART_BURST ? 1000 : 0;
    log.error(
      { worker: worker.id, workerPid: worker.process.pid, code, signal },
      `${name} worker ${worker.id} died (${signal ?? `code ${code}`}); starting a replacement`,
    );
    setTimeout(() => stopping || fork(), delay);
  });

  log.info({ workers }, `${name}: starting ${workers} workers`);
  for (let index = 0; index < workers; index += 1) fork();

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, `${name} stopping ${Object.keys(cluster.workers ?? {}).length} workers`);
    const running = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
    await Promise.all(running.map(stopWorker));
    await afterWorkersExit?.();
    log.info(`${name} stopped`);
    await endLogs();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  if (process.send) {
    process.on('disconnect', () => {
      // The supervisor and the stdout it read are gone: stop without logging.
      abandonLogs();
      void stop('disconnect');
    });
  }
}

function stopWorker(worker: Worker): Promise<void> {
  if (worker.isDead()) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => worker.process.kill('SIGKILL'), STOP_TIMEOUT_MS);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    worker.process.kill('SIGTERM');
  });
}
