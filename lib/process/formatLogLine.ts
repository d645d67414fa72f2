/**
 * Turns one JSON log line into a compact line for a terminal:
 * `17:04:19 members   INFO  request POST /graphql 200 3.2ms op=Me`. Lines that are not JSON pass
 * through unchanged.
 */

const LEVEL_COLORS: Record<string, string> = {
  trace: '90',
  debug: '90',
  info: '32',
  warn: '33',
  error: '31',
  fatal: '35',
};
const SERVICE_COLORS = ['36', '34', '35', '33', '32'];
const HIDDEN = new Set(['level', 'time', 'service', 'pid', 'msg', 'hostname']);

export function formatLogLine(line: string, options: { color: boolean; serviceWidth: number }): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (entry === null || typeof entry !== 'object') return line;
  const paint = (code: string, text: string) => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const level = String(entry['level'] ?? 'info');
  const service = String(entry['service'] ?? '');
  const time = typeof entry['time'] === 'string' ? entry['time'].slice(11, 19) : '';
  const message = entry['msg'] === 'request' ? requestSummary(entry) : String(entry['msg'] ?? '');
  const extras = Object.entries(entry)
    .filter(([key]) => !HIDDEN.has(key) && !(entry['msg'] === 'request' && REQUEST_KEYS.has(key)))
    .map(([key, value]) => `${key}=${key === 'err' ? errorText(value) : typeof value === 'string' ? value : JSON.stringify(value)}`);
  return [
    paint('90', time),
    paint(serviceColor(service), service.padEnd(options.serviceWidth)),
    paint(LEVEL_COLORS[level] ?? '0', level.toUpperCase().padEnd(5)),
    message,
    paint('90', extras.join(' ')),
  ]
    .filter((part) => part !== '')
    .join(' ');
}

const REQUEST_KEYS = new Set(['method', 'path', 'status', 'durationMs', 'operationName', 'outcome']);

function requestSummary(entry: Record<string, unknown>): string {
  const operation = entry['operationName'] ? ` ${String(entry['operationName'])}` : '';
  return `${String(entry['method'])} ${String(entry['path'])} ${String(entry['status'])} ${String(entry['durationMs'])}ms${operation}`;
}

function serviceColor(service: string): string {
  let hash = 0;
  for (const char of service) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return SERVICE_COLORS[hash % SERVICE_COLORS.length] ?? '0';
}

function errorText(value: unknown): string {
  if (value && typeof value === 'object' && 'message' in value) return JSON.stringify((value as { message: unknown }).message);
  return JSON.stringify(value);
}
