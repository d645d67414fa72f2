import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Every process writes JSON lines to stdout, one object per event, each naming its service.
 * `npm start` turns them into readable lines when it runs in a terminal (see scripts/start.ts).
 *
 * Writes are asynchronous: lines logged while a write is under way go out together in the next
 * one, so a busy service makes one write per batch instead of one blocking write per line.
 * `flushLogs` empties the buffer before a process exits.
 */
const destination = pino.destination({ dest: 1, sync: false });
let stdoutGone = false;
// A reader that went away (a supervisor killed) leaves nowhere to write, or to report it. The
// stream is destroyed so pino's own exit hook skips its flushSync, which retries forever once
// stdout's reader is gone (it hung services whose supervisor had been killed).
destination.on('error', () => {
  stdoutGone = true;
  destination.destroy();
});

export function createLogger(service: string, level: string): Logger {
  return pino(
    {
      level,
      base: { service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

/** Stops writing: for when stdout's reader is known to be gone (the supervisor died). */
export function abandonLogs(): void {
  stdoutGone = true;
  destination.destroy();
}

/** Writes out what is buffered, waiting at most a second; called on every way out of a process. */
export function flushLogs(): Promise<void> {
  if (stdoutGone) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      destination.destroy();
      resolve();
    }, 1000);
    try {
      destination.flush(() => {
        clearTimeout(timer);
        resolve();
      });
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}
