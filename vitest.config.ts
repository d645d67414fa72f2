import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build (as Apollo's packages do); Vite would pick its ES build,
    // and one schema cannot mix types from both copies.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    reporters: ['default', './test/support/postgresCountReporter.ts'],
    pool: 'forks',
    // Two cores: more workers only contend. End-to-end files start several processes each.
    maxWorkers: 2,
    // End-to-end tests start and crash real processes; on a busy two-core machine that takes a while.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    env: { NODE_ENV: 'test' },
  },
});
