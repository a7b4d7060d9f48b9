import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // two files at a time on a 2-core machine: most tests wait on sockets and child processes, not the CPU
    maxWorkers: 2,
  },
});
