import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Every process writes JSON lines to stdout, one object per event, each naming its service.
 * `npm start` turns them into readable lines when it runs in a terminal (see scripts/start.ts).
 */
export function createLogger(service: string, level: string): Logger {
  return pino({
    level,
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
