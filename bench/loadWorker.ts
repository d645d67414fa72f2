import autocannon from 'autocannon';

/**
 * One load run, as its own process so `taskset` can keep it on the load generator's core. Reads
 * its settings as JSON from argv, prints the result as JSON. Latencies are taken per response, so
 * the percentiles are exact.
 */

interface LoadSettings {
  url: string;
  body: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
}

const settings = JSON.parse(process.argv[2] ?? '{}') as LoadSettings;
const latencies: number[] = [];
let non2xx = 0;

const instance = autocannon(
  {
    url: settings.url,
    method: 'POST',
    body: settings.body,
    headers: { 'content-type': 'application/json', ...settings.headers },
    connections: settings.connections,
    duration: settings.seconds,
    timeout: 20,
  },
  (error, result) => {
    if (error) {
      console.error(error);
      process.exit(1);
    }
    latencies.sort((a, b) => a - b);
    const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? null;
    console.log(
      JSON.stringify({
        requests: latencies.length,
        seconds: settings.seconds,
        requestsPerSecond: latencies.length / settings.seconds,
        p50: percentile(50),
        p95: percentile(95),
        p99: percentile(99),
        errors: result.errors + result.timeouts + non2xx,
      }),
    );
  },
);
instance.on('response', (_client, statusCode, _bytes, responseTime) => {
  if (statusCode < 200 || statusCode >= 300) non2xx += 1;
  latencies.push(responseTime);
});
