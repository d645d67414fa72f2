import { subgraphNames } from '../../subgraphs/index.ts';
import { formatLogLine } from './formatLogLine.ts';

/**
 * How a supervisor (`npm start`, `npm run dev`) shows its services' log lines and its own: readable
 * lines in a terminal, the JSON lines unchanged anywhere else (a file, a log shipper, a test).
 */
export function supervisorOutput(service: string) {
  const pretty = process.stdout.isTTY === true;
  const serviceWidth = Math.max(...[...subgraphNames, 'router', service].map((name) => name.length));
  const print = (line: string) => {
    process.stdout.write(`${pretty ? formatLogLine(line, { color: true, serviceWidth }) : line}\n`);
  };
  const say = (level: 'info' | 'error', msg: string, extra: Record<string, unknown> = {}) =>
    print(JSON.stringify({ level, time: new Date().toISOString(), service, pid: process.pid, msg, ...extra }));
  return { print, say, serviceWidth };
}
