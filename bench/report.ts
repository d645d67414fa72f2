import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../lib/config.ts';

/** What `npm run bench` measured, and how it is written out: JSON, an SVG chart and BENCHMARKS.md. */

export interface Measurement {
  system: string;
  shape: string;
  connections: number;
  requests: number;
  requestsPerSecond: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  errors: number;
  cpuMsPerRequest: number | null;
  /** Where the CPU went: milliseconds per request in each process of the system. */
  cpuMsPerRequestByProcess: Record<string, number | null>;
  peakRssMiB: Record<string, number>;
}

export interface BenchResults {
  date: string;
  command: string;
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; os: string };
  pinned: boolean;
  settings: { seconds: number; warmupSeconds: number; concurrencies: number[]; soakSeconds: number; rounds?: number; roundSeconds?: number };
  dataset: { members: number; products: number; purchases: number; database: 'embedded' | 'postgres' };
  systems: Record<string, string>;
  shapes: Record<string, string>;
  measurements: Measurement[];
  /** SQL statements and subgraph calls of one request of each shape, from the services' logs. */
  perRequest: Record<string, Record<string, { sqlStatements: number; subgraphCalls: number }>>;
  /** RSS per process once every process is ready, before any request. */
  memoryAtStart: Record<string, Record<string, number>>;
  /** RSS per process idle again after one request of every shape (code compiled, caches filled). */
  memoryAtRest: Record<string, Record<string, number>>;
  /**
   * What the system's processes hold together in physical memory at the same two moments, each
   * page counted once (the RSS figures each count Node's shared code again); null without root.
   */
  physicalMemoryAtStart?: Record<string, number | null>;
  physicalMemoryAtRest?: Record<string, number | null>;
  /**
   * The compared systems side by side, taking turns in short rounds (bench/run.ts); the bars read
   * each ratio off the median of its rounds. One entry per round in every list.
   */
  rounds?: {
    count: number;
    seconds: number;
    /** How long each system was loaded with each compared shape before the first round. */
    warmupSeconds?: number;
    throughput: { shape: string; connections: number; requestsPerSecond: Record<string, number[]> };
    passThroughP50: { shape: string; connections: number; router: number[]; direct: number[] };
  } | null;
  soak: {
    shape: string;
    connections: number;
    seconds: number;
    requestsPerSecond: number;
    errors: number;
    samples: Array<{ seconds: number; rssMiB: Record<string, number> }>;
  } | null;
}

/** Hand-written analysis kept beside the code and appended to every BENCHMARKS.md the run writes. */
const benchDirectory = join(projectRoot, 'bench');

interface Bar {
  name: string;
  target: string;
  measured: string;
  met: boolean | null;
}

export function writeReport(results: BenchResults, dataDir: string, markdownDir: string): string[] {
  mkdirSync(dataDir, { recursive: true });
  const files = [join(dataDir, 'results.json'), join(dataDir, 'chart.svg'), join(markdownDir, 'BENCHMARKS.md')];
  writeFileSync(files[0]!, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(files[1]!, chart(results));
  const findingsFile = join(benchDirectory, 'findings.md');
  const findings = existsSync(findingsFile) ? `\n${readFileSync(findingsFile, 'utf8')}` : '';
  writeFileSync(files[2]!, markdown(results, bars(results)) + findings);
  return files;
}

function find(results: BenchResults, system: string, shape: string, connections: number): Measurement | undefined {
  return results.measurements.find((m) => m.system === system && m.shape === shape && m.connections === connections);
}

export function bars(results: BenchResults): Bar[] {
  const list: Bar[] = [];
  const fed = (shape: string, c: number) => find(results, 'federated', shape, c);
  const sql = results.perRequest['federated'];
  if (sql?.['b'] && sql['c']) {
    list.push({
      name: 'SQL statements per request constant in N',
      target: '(b) 3 statements for 50 purchases; (c) 3 for 20',
      measured: `(b) ${sql['b'].sqlStatements}, (b, 10 members) ${sql['b10']?.sqlStatements ?? '–'}, (c) ${sql['c'].sqlStatements}`,
      met: sql['b'].sqlStatements === 3 && sql['c'].sqlStatements === 3,
    });
  }
  const b = fed('b', 50);
  // Each ratio bar: the median of the alternating rounds when the run had them, else its one pass.
  const fromRounds = (values: number[], unit: '×' | ' ms', onePass: string | null) => {
    const rangeUnit = unit === ' ms' ? unit : '';
    const spread = `${values.length} alternating rounds, range ${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}${rangeUnit}`;
    return `${median(values).toFixed(2)}${unit} (median of ${spread}${onePass ? `; one pass: ${onePass}` : ''})`;
  };
  const throughputVs = (other: string, name: string, minimum: number) => {
    const single = find(results, other, 'b', 50);
    let onePass: { ratio: number; text: string } | null = null;
    if (b && single) {
      const ratio = b.requestsPerSecond / single.requestsPerSecond;
      onePass = { ratio, text: `${ratio.toFixed(2)}× (${b.requestsPerSecond} vs ${single.requestsPerSecond} req/s)` };
    }
    const rounds = results.rounds?.throughput.requestsPerSecond;
    const ratios = rounds?.['federated']?.map((rps, index) => rps / (rounds[other]?.[index] ?? Number.NaN)).filter(Number.isFinite) ?? [];
    if (ratios.length > 0) {
      list.push({ name, target: `≥ ${minimum}×`, measured: fromRounds(ratios, '×', onePass?.text ?? null), met: median(ratios) >= minimum });
    } else if (onePass) {
      list.push({ name, target: `≥ ${minimum}×`, measured: onePass.text, met: onePass.ratio >= minimum });
    }
  };
  throughputVs('monolith', '(b) throughput vs the single-process limit, c=50', 0.5);
  throughputVs('hive-gateway', '(b) throughput vs Hive Gateway, c=50', 1);
  const routed = fed('d', 1);
  const direct = find(results, 'members-subgraph-direct', 'd', 1);
  let onePass: { added: number; text: string } | null = null;
  if (routed?.p50 != null && direct?.p50 != null) {
    const added = routed.p50 - direct.p50;
    onePass = { added, text: `${added.toFixed(2)} ms (${ms(routed.p50)} vs ${ms(direct.p50)} ms)` };
  }
  const passThrough = results.rounds?.passThroughP50;
  const added = passThrough?.router.map((p50, index) => p50 - (passThrough.direct[index] ?? Number.NaN)).filter(Number.isFinite) ?? [];
  const latencyBar = '(d) p50 the router adds over the subgraph, c=1';
  if (added.length > 0) {
    list.push({ name: latencyBar, target: '≤ 2 ms', measured: fromRounds(added, ' ms', onePass?.text ?? null), met: median(added) <= 2 });
  } else if (onePass) {
    list.push({ name: latencyBar, target: '≤ 2 ms', measured: onePass.text, met: onePass.added <= 2 });
  }
  const rest = results.memoryAtRest['federated'];
  if (rest) {
    const rssTotal = sumOf(rest);
    const physical = results.physicalMemoryAtRest?.['federated'] ?? null;
    const atStart = results.physicalMemoryAtStart?.['federated'] ?? null;
    const started = atStart === null ? '' : `; ${atStart.toFixed(0)} MiB just started`;
    list.push(
      physical === null
        ? { name: 'memory at rest, four processes (sum of RSS, idle after warm-up)', target: '< 400 MiB', measured: `${rssTotal.toFixed(0)} MiB`, met: rssTotal < 400 }
        : {
            name: 'memory at rest, four processes (physical, each page once, idle after warm-up)',
            target: '< 400 MiB',
            measured: `${physical.toFixed(0)} MiB${started} (the four RSS figures, which each count Node's shared code, add up to ${rssTotal.toFixed(0)} MiB)`,
            met: physical < 400,
          },
    );
  }
  const routerPeak = Math.max(...results.measurements.filter((m) => m.system === 'federated' && m.connections === 50).map((m) => m.peakRssMiB['router'] ?? 0));
  if (Number.isFinite(routerPeak) && routerPeak > 0) {
    list.push({ name: 'router RSS at c=50 (peak over all shapes)', target: '< 300 MiB', measured: `${routerPeak.toFixed(0)} MiB`, met: routerPeak < 300 });
  }
  if (results.soak && results.soak.samples.length >= 4) {
    const growth = soakGrowth(results.soak);
    list.push({
      name: `no memory growth over a ${results.soak.seconds / 60}-minute soak`,
      target: 'last minute within 10% of the first (after warm-up)',
      measured: Object.entries(growth).map(([name, pct]) => `${name} ${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`).join(', '),
      met: Object.values(growth).every((pct) => pct < 10),
    });
  }
  return list;
}

function soakGrowth(soak: NonNullable<BenchResults['soak']>): Record<string, number> {
  const window = Math.max(1, Math.floor(60 / 5));
  const settled = soak.samples.filter((sample) => sample.seconds >= 30);
  const first = settled.slice(0, window);
  const last = settled.slice(-window);
  const mean = (samples: typeof first, name: string) => samples.reduce((sum, s) => sum + (s.rssMiB[name] ?? 0), 0) / Math.max(1, samples.length);
  return Object.fromEntries(Object.keys(soak.samples[0]?.rssMiB ?? {}).map((name) => [name, ((mean(last, name) - mean(first, name)) / mean(first, name)) * 100]));
}

function markdown(results: BenchResults, barList: Bar[]): string {
  const lines: string[] = [];
  const { machine, settings } = results;
  lines.push('# Benchmarks', '');
  lines.push(`Measured ${results.date.slice(0, 10)} with \`${results.command}\` (written by it: this file, \`bench/results.json\`, \`bench/chart.svg\`).`, '');
  lines.push(
    `Machine: ${machine.cores} × ${machine.cpu}, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}. ` +
      (results.pinned
        ? 'Every process of the system under test ran on core 1 (`taskset`), autocannon on core 0, so a throughput ratio is a CPU-per-request ratio.'
        : 'Processes were not pinned to cores.'),
    '',
  );
  lines.push(
    `Data: ${results.dataset.members.toLocaleString('en')} members, ${results.dataset.products} products, ${results.dataset.purchases.toLocaleString('en')} purchases, ` +
      (results.dataset.database === 'postgres'
        ? 'each subgraph on its own database of a PostgreSQL 15 server (pinned to the same core; its CPU is counted), '
        : 'each subgraph on its own embedded PostgreSQL (PGlite, inside its process), ') +
      'production mode, info logging on. ' +
      `Each run: ${settings.warmupSeconds} s warm-up, then ${settings.seconds} s at ${settings.concurrencies.join(' and ')} connections` +
      (settings.rounds ? `; then ${settings.rounds} alternating rounds of the compared systems (below), from which the bars take their ratios` : '') +
      '. Timings on a shared machine are noisy: compare systems within this run, not with other runs.',
    '',
  );
  lines.push('## The bar', '', '| | Target | Measured | |', '| --- | --- | --- | --- |');
  for (const bar of barList) lines.push(`| ${bar.name} | ${bar.target} | ${bar.measured} | ${bar.met === null ? '–' : bar.met ? 'met' : '**not met**'} |`);
  lines.push('', '![Throughput and p99 latency per shape and system](bench/chart.svg)', '');
  lines.push('## Results', '');
  for (const [shape, title] of Object.entries(results.shapes)) {
    lines.push(`### ${title}`, '');
    lines.push('| System | Connections | req/s | p50 ms | p95 ms | p99 ms | errors | CPU ms/req | SQL/req | subgraph calls | peak RSS MiB |');
    lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const m of results.measurements.filter((candidate) => candidate.shape === shape)) {
      const per = results.perRequest[m.system]?.[shape];
      const title = results.systems[m.system] ?? 'members subgraph, called directly';
      const rss = Object.entries(m.peakRssMiB).map(([name, mib]) => `${name} ${mib}`).join(', ');
      lines.push(`| ${title} | ${m.connections} | ${m.requestsPerSecond} | ${ms(m.p50)} | ${ms(m.p95)} | ${ms(m.p99)} | ${m.errors} | ${m.cpuMsPerRequest} | ${per?.sqlStatements ?? '–'} | ${per?.subgraphCalls ?? '–'} | ${rss} |`);
    }
    lines.push('');
  }
  if (results.rounds && results.rounds.count > 0) {
    const { throughput, passThroughP50, count, seconds, warmupSeconds } = results.rounds;
    const warmedUp = warmupSeconds ? `, after warming each up for ${warmupSeconds} s per shape` : '';
    const kinds = Object.keys(throughput.requestsPerSecond);
    lines.push(
      '## Alternating rounds',
      '',
      `The compared systems side by side on the core under test (Hive Gateway over the same subgraph processes as the router)${warmedUp}, taking turns of ${seconds} s after 1 s of warm-up, the order rotating each round. The bars above are the medians of these per-round figures.`,
      '',
      `| Round | ${kinds.map((kind) => `(${throughput.shape}) c=${throughput.connections}, ${results.systems[kind] ?? kind}, req/s`).join(' | ')} | (${passThroughP50.shape}) c=${passThroughP50.connections} p50 through the router, ms | members subgraph directly, ms |`,
      `| ---: | ${kinds.map(() => '---:').join(' | ')} | ---: | ---: |`,
    );
    for (let round = 0; round < count; round++) {
      const cells = kinds.map((kind) => String(throughput.requestsPerSecond[kind]?.[round] ?? '–'));
      lines.push(`| ${round + 1} | ${cells.join(' | ')} | ${ms(passThroughP50.router[round] ?? null)} | ${ms(passThroughP50.direct[round] ?? null)} |`);
    }
    lines.push('');
  }
  lines.push(
    '## Memory at rest',
    '',
    'Resident memory (RSS) of each process and its sum, just started and idle again 2 s after one request of every shape;',
    "and what the processes hold together in physical memory, each page counted once (every RSS also counts the pages of Node's own code, which the processes share).",
    '',
    '| System | Just started, RSS (MiB) | Sum | Physical | Idle after warm-up, RSS (MiB) | Sum | Physical |',
    '| --- | --- | ---: | ---: | --- | ---: | ---: |',
  );
  const listed = (processes: Record<string, number> | undefined) => (processes ? Object.entries(processes).map(([n, m]) => `${n} ${m}`).join(', ') : '–');
  const physical = (mib: number | null | undefined) => (mib == null ? '–' : mib.toFixed(0));
  for (const [system, processes] of Object.entries(results.memoryAtRest)) {
    const atStart = results.memoryAtStart?.[system];
    lines.push(
      `| ${results.systems[system]} | ${listed(atStart)} | ${atStart ? sumOf(atStart).toFixed(0) : '–'} | ${physical(results.physicalMemoryAtStart?.[system])} | ${listed(processes)} | ${sumOf(processes).toFixed(0)} | ${physical(results.physicalMemoryAtRest?.[system])} |`,
    );
  }
  lines.push('');
  if (results.soak) {
    const first = results.soak.samples[0];
    const last = results.soak.samples.at(-1);
    lines.push('## Soak', '');
    lines.push(`Shape ${results.soak.shape} at ${results.soak.connections} connections for ${results.soak.seconds} s: ${results.soak.requestsPerSecond} req/s, ${results.soak.errors} errors. RSS (MiB) at ${first?.seconds} s: ${JSON.stringify(first?.rssMiB)}; at ${last?.seconds} s: ${JSON.stringify(last?.rssMiB)}.`, '');
  }
  return `${lines.join('\n')}\n`;
}

function chart(results: BenchResults): string {
  const shapes = Object.keys(results.shapes);
  const systems = [...Object.keys(results.systems)];
  const colors = ['#2563eb', '#93c5fd', '#16a34a', '#f59e0b', '#6b7280'];
  const panel = (metric: 'requestsPerSecond' | 'p99', top: number, label: string) => {
    const values = shapes.flatMap((shape) => systems.map((system) => find(results, system, shape, 50)?.[metric] ?? 0));
    const max = Math.max(1, ...values.map((value) => value ?? 0));
    const height = 170;
    const groupWidth = 130;
    const barWidth = Math.floor((groupWidth - 20) / systems.length);
    const parts = [`<text x="10" y="${top - 28}" font-size="14" font-weight="bold">${label} (50 connections)</text>`];
    shapes.forEach((shape, shapeIndex) => {
      const x0 = 60 + shapeIndex * groupWidth;
      systems.forEach((system, systemIndex) => {
        const value = find(results, system, shape, 50)?.[metric] ?? 0;
        const barHeight = ((value ?? 0) / max) * height;
        const x = x0 + systemIndex * barWidth;
        parts.push(`<rect x="${x}" y="${top + height - barHeight}" width="${barWidth - 2}" height="${barHeight}" fill="${colors[systemIndex % colors.length]}"><title>${results.systems[system]}: ${value}</title></rect>`);
        parts.push(`<text x="${x + barWidth / 2 - 1}" y="${top + height - barHeight - 3}" font-size="9" text-anchor="middle">${Math.round(value ?? 0)}</text>`);
      });
      parts.push(`<text x="${x0 + (groupWidth - 20) / 2}" y="${top + height + 16}" font-size="12" text-anchor="middle">(${shape})</text>`);
    });
    parts.push(`<line x1="55" y1="${top + height}" x2="${60 + shapes.length * groupWidth}" y2="${top + height}" stroke="#333"/>`);
    return parts.join('\n');
  };
  const width = 80 + shapes.length * 130;
  const legend = systems
    .map((system, index) => {
      const x = 20 + (index % 3) * 320;
      const y = 560 + Math.floor(index / 3) * 20;
      return `<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${colors[index % colors.length]}"/><text x="${x + 16}" y="${y}" font-size="12">${results.systems[system]}</text>`;
    })
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.max(width, 980)}" height="${580 + Math.ceil(systems.length / 3) * 20}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
${panel('requestsPerSecond', 60, 'Throughput, requests/s (higher is better)')}
${panel('p99', 330, 'p99 latency, ms (lower is better)')}
${legend}
</svg>
`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function sumOf(processes: Record<string, number>): number {
  return Object.values(processes).reduce((sum, mib) => sum + mib, 0);
}

/** Latencies to a hundredth of a millisecond: finer digits are below this machine's noise. */
function ms(value: number | null): string {
  return value === null ? '–' : value.toFixed(2);
}
