import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['leaky.fixture.ts'],
    pool: 'forks',
    globalSetup: ['../run-tmp.ts'],
  },
});
