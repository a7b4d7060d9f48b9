import { defineConfig } from 'vitest/config';
import { fastTestFiles } from './test/helpers/suites.js';

// `npm test` runs both projects; `npm run test:fast` runs the fast one without the tests tagged slow. Which file is
// fast is decided by what it does (test/helpers/suites.ts), and the fast project's set-up refuses ports and processes.
const fast = fastTestFiles();

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // two files at a time on a 2-core machine: most tests wait on sockets and child processes, not the CPU
    maxWorkers: 2,
    tags: [{ name: 'slow', description: 'a heavy case in an otherwise fast file: run by npm test, not test:fast' }],
    projects: [
      { extends: true, test: { name: 'fast', include: fast, setupFiles: ['test/helpers/fast-guard.ts'] } },
      { extends: true, test: { name: 'slow', include: ['test/**/*.test.ts'], exclude: fast } },
    ],
  },
});
