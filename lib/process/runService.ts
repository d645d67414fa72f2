import cluster from 'node:cluster';
import { abandonLogs, endLogs, type Logger } from '../logger.ts';

export interface StoppableService {
  stop(): Promise<void>;
}

/**
 * Runs a service until SIGTERM or SIGINT, then stops it gracefully (in-flight requests finish,
 * databases close) and exits. A signal during start-up stops the service as soon as it is up. A
 * second signal, or a stop that hangs, exits at once.
 */
export async function runService(name: string, log: Logger, start: () => Promise<StoppableService>): Promise<void> {
  let service: StoppableService | undefined;
  let requested: NodeJS.Signals | undefined;
  let stopping = false;

  const stop = (signal: NodeJS.Signals) => {
    if (!service) {
      requested ??= signal;
      return;
    }
    if (stopping) {
      log.warn(`${signal} again: exiting without waiting`);
      exit(1);
      return;
    }
    stopping = true;
    log.info({ signal }, `${name} stopping`);
    setTimeout(() => {
      log.error(`${name} did not stop within 15 s; exiting`);
      exit(1);
    }, 15_000).unref();
    service.stop().then(
      () => {
        log.info(`${name} stopped`);
        exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, `${name} failed to stop cleanly`);
        exit(1);
      },
    );
  };

  process.on('SIGTERM', stop);
  // A cluster worker is stopped by its primary, which also receives a terminal's Ctrl-C.
  if (!cluster.isWorker) process.on('SIGINT', stop);
  // Started by `npm start` (over an IPC channel): stop when the supervisor is gone, however it
  // went. Its stdout went with it, so nothing more is logged.
  if (process.send) {
    process.on('disconnect', () => {
      abandonLogs();
      if (!stopping) stop('SIGTERM');
    });
  }
  process.on('unhandledRejection', (error) => log.error({ err: error }, 'unhandled promise rejection'));
  process.on('uncaughtException', (error) => {
    log.fatal({ err: error }, `${name} crashed`);
    exit(1);
  });

  try {
    service = await start();
  } catch (error) {
    log.fatal({ err: error }, `${name} could not start: ${error instanceof Error ? error.message : String(error)}`);
    exit(1);
    return;
  }
  if (requested) stop(requested);
}

function exit(code: number): void {
  void endLogs().then(() => process.exit(code));
}
