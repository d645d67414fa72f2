import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Every process writes JSON lines to stdout, one object per event, each naming its service.
 * `npm start` turns them into readable lines when it runs in a terminal (see scripts/start.ts).
 *
 * Writes are asynchronous: lines logged while a write is under way go out together in the next
 * one, so a busy service makes one write per batch instead of one blocking write per line.
 * `endLogs` writes out the buffer and ends the stream before a process exits.
 */
const destination = pino.destination({ dest: 1, sync: false });
/** Set once stdout is ended or its reader is gone: later lines are dropped, not thrown at the caller. */
let closed = false;
let ended: Promise<void> | null = null;
// A reader that went away (a supervisor killed) leaves nowhere to write, or to report it. The
// stream is destroyed so pino's own exit hook skips its flushSync, which retries forever once
// stdout's reader is gone (it hung services whose supervisor had been killed).
destination.on('error', () => {
  closed = true;
  destination.destroy();
});
const output = {
  write(line: string): void {
    if (!closed) destination.write(line);
  },
};

export function createLogger(service: string, level: string): Logger {
  return pino(
    {
      level,
      base: { service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    output,
  );
}

/** Stops writing: for when stdout's reader is known to be gone (the supervisor died). */
export function abandonLogs(): void {
  closed = true;
  destination.destroy();
}

/**
 * Writes out what is buffered and ends the stream, waiting at most a second; called on every way
 * out of a process, after its last line. Ending it, rather than flushing, also disarms pino's exit
 * hook: that hook writes synchronously and retries a failed write forever, so exiting while a
 * line was still on its way to a reader that had gone hung the process.
 */
export function endLogs(): Promise<void> {
  if (closed) return ended ?? Promise.resolve();
  closed = true;
  ended = new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      destination.destroy();
      resolve();
    }, 1000);
    destination.once('close', done);
    destination.once('error', done);
    destination.end();
  });
  return ended;
}
