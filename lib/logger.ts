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

/** Writes out what is buffered; called on every way out of a process. */
export function flushLogs(): void {
  try {
    destination.flushSync();
  } catch {
    // Nothing buffered, or stdout already closed: nothing more can be written either way.
  }
}
