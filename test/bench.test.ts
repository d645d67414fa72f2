import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../lib/config.ts';
import type { BenchResults } from '../bench/report.ts';

describe('npm run bench', () => {
  it('measures a system end to end and writes its results, chart and report', { timeout: 240_000 }, () => {
    const out = mkdtempSync(join(projectRoot, 'test-artifacts-bench-'));
    try {
      execFileSync(
        process.execPath,
        // What npm run bench runs: the compiled bench, which starts the compiled services.
        ['dist/bench/run.js', '--seconds', '1', '--warmup', '0', '--soak', '0', '--rounds', '2', '--round-seconds', '1', '--round-warmup', '1', '--systems', 'federated', '--shapes', 'd,b,c', '--out', relative(projectRoot, out)],
        { cwd: projectRoot, stdio: 'pipe' },
      );
      const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as BenchResults;
      const routed = results.measurements.find((m) => m.system === 'federated' && m.shape === 'd' && m.connections === 1);
      expect(routed?.requests).toBeGreaterThan(0);
      expect(routed?.errors).toBe(0);
      expect(results.measurements.some((m) => m.system === 'members-subgraph-direct')).toBe(true);
      expect(results.perRequest['federated']?.['b']).toEqual({ sqlStatements: 3, subgraphCalls: 3 });
      for (const reading of [results.memoryAtStart['federated'], results.memoryAtRest['federated']]) {
        expect(Object.keys(reading ?? {}).sort()).toEqual(['members', 'products', 'purchases', 'router']);
        expect(Object.values(reading ?? {}).every((mib) => mib > 30)).toBe(true);
      }
      // Each page once: less than the sum of the RSS figures, which count Node's shared code in each.
      const physical = results.physicalMemoryAtRest?.['federated'];
      if (process.getuid?.() === 0) {
        expect(physical).toBeGreaterThan(100);
        expect(physical).toBeLessThan(Object.values(results.memoryAtRest['federated'] ?? {}).reduce((sum, mib) => sum + mib, 0));
      } else {
        expect(physical).toBeNull();
      }
      // The router's overhead on (d) comes from rounds in which the router and the subgraph take turns.
      expect(results.rounds?.passThroughP50.router).toHaveLength(2);
      expect(results.rounds?.passThroughP50.direct).toHaveLength(2);
      expect([...results.rounds!.passThroughP50.router, ...results.rounds!.passThroughP50.direct].every((p50) => p50 > 0)).toBe(true);
      expect(existsSync(join(out, 'chart.svg'))).toBe(true);
      const report = readFileSync(join(out, 'BENCHMARKS.md'), 'utf8');
      expect(report).toContain('SQL statements per request constant in N');
      expect(report).toMatch(/\(d\) p50 the router adds over the subgraph, c=1 \| ≤ 2 ms \| -?\d+\.\d\d ms \(median of 2 alternating rounds/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
