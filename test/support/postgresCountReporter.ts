import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints how many tests ran against the PostgreSQL server, so a run that silently skipped the
 * production path is visible (CI sets TEST_POSTGRES_REQUIRED and fails instead).
 */
export default class PostgresCountReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let ran = 0;
    let passed = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        if (!/\(postgres\b/.test(test.fullName)) continue;
        const state = test.result().state;
        if (state === 'skipped' || state === 'pending') continue;
        ran += 1;
        if (state === 'passed') passed += 1;
      }
    }
    console.log(
      ran === 0
        ? '\nPostgreSQL: no test ran against a PostgreSQL server.'
        : `\nPostgreSQL: ${ran} tests ran against a real PostgreSQL server; ${passed} passed.`,
    );
  }
}
