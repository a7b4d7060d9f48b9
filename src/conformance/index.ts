/**
 * The conformance runner as a library: `import { runConformance } from 'geostub/conformance'` (also re-exported,
 * loaded on first use, from `geostub` itself). It runs the checks `geostub conform` runs and returns the report
 * object every reporter renders.
 *
 * ```ts
 * const report = await runConformance({ target: 'http://127.0.0.1:8000', apis: ['geonode'], allowWrites: false,
 *   credentials: { user: { name: 'admin', password: 'admin' } }, timeoutMs: 30_000 });
 * exitCode(report);          // 0 all passed, 1 a check failed, 3 the target could not be reached
 * renderConsole(report);     // the text `geostub conform` prints; renderJunit / renderJson for the report files
 * ```
 */
export { runConformance, exitCode } from './runner.js';
export { renderConsole } from './reporters/console.js';
export { renderJson } from './reporters/json.js';
export { renderJunit } from './reporters/junit.js';
export type { ApiName, CaseResult, ConformOptions, Credentials, Progress, RunReport } from './types.js';
