import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Native modules (SQLCipher, keytar) behave best in forked processes.
    pool: 'forks',
    // One temporary folder per run, removed at the end (test/support/run-tmp.ts).
    globalSetup: ['test/support/run-tmp.ts'],
  },
});
