/**
 * The conformance runner: contracts + scenarios → cases → selected by --allow-writes/--only/--skip/--shard → run
 * against the target (reads first, then writes) → one RunReport that every reporter renders.
 */
import { loadContracts } from '../contracts/load.js';
import { allOperations, buildRouteTable, type Operation } from '../contracts/route-table.js';
import { ContractValidators } from '../contracts/validators.js';
import { buildCases, selectCases } from './cases.js';
import type { Case, RunContext } from './context.js';
import { coverageOf } from './coverage.js';
import { HttpClient, NoAnswer } from './http.js';
import { ParamResolver } from './params.js';
import { CaseRecorder } from './recorder.js';
import { loadScenarios } from './scenario-load.js';
import type { ApiName, CaseResult, ConformOptions, RunReport } from './types.js';
import { maskDeep } from '../behaviours/masking.js';

const DEFAULT_CONCURRENCY = 6;

/** The first parameterless GET of each API: asked once before anything else, to tell "unreachable" from "wrong". */
async function reachable(http: HttpClient, ops: Operation[], apis: ApiName[]): Promise<string | undefined> {
  for (const api of apis) {
    const op = ops.find((o) => o.api === api && o.method === 'get' && !o.path.includes('{'));
    if (!op) continue;
    try {
      await http.send(api, { method: 'GET', path: op.path });
    } catch (err) {
      if (err instanceof NoAnswer) return `${http.target} cannot be reached: GET ${op.path} got ${err.why}`;
      throw err;
    }
  }
  return undefined;
}

async function runCase(ctx: RunContext, c: Case): Promise<CaseResult> {
  const rec = new CaseRecorder(c.id);
  const started = performance.now();
  try {
    await c.run(ctx, rec);
  } catch (err) {
    if (err instanceof NoAnswer) rec.record('target_reachable', [{ expected: 'an HTTP answer', actual: err.message }]);
    else rec.record('runner_error', [{ expected: 'the case runs to its end', actual: (err as Error).stack?.split('\n').slice(0, 3).join(' ') ?? String(err) }]);
  }
  const status = rec.failed ? 'failed' : rec.skipped ? 'skipped' : 'passed';
  return { id: c.id, kind: c.kind, status, ...(rec.skipped ? { reason: rec.skipped } : {}), checks: rec.checks, exercised: [...rec.exercised], ms: performance.now() - started };
}

async function runAll(ctx: RunContext, cases: Case[], concurrency: number, onDone: (r: CaseResult, c: Case) => void): Promise<CaseResult[]> {
  const results: CaseResult[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      results[i] = await runCase(ctx, cases[i]);
      onDone(results[i], cases[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, cases.length) }, worker));
  return results;
}

/**
 * The report as the reporters write it: credentials masked (`src/behaviours/masking.ts`) — the Basic, Bearer and
 * key values given, secret-like fields of request bodies (a scenario's new user's password), tokens in URLs —
 * unless `showSecrets`.
 */
function masked(report: RunReport, options: ConformOptions): RunReport {
  if (options.showSecrets) return report;
  const c = options.credentials;
  const known = [c.token, c.key, c.user?.password, c.user && Buffer.from(`${c.user.name}:${c.user.password}`).toString('base64')];
  return maskDeep(report, known.filter((k): k is string => !!k));
}

export async function runConformance(options: ConformOptions): Promise<RunReport> {
  return masked(await run(options), options);
}

async function run(options: ConformOptions): Promise<RunReport> {
  const startedAt = new Date();
  const t0 = performance.now();
  const contracts = await loadContracts();
  const ops = allOperations(buildRouteTable(contracts));
  const scenarios = await loadScenarios(options.scenariosDir);
  const http = new HttpClient(options.target, options.credentials, options.timeoutMs);
  const ctx: RunContext = {
    http,
    validators: new ContractValidators(contracts),
    ops,
    resolver: new ParamResolver(http, ops),
    options,
    runId: `gc${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`,
    leftovers: [],
  };
  const cases = buildCases(ops, scenarios, options.apis);
  const selection = selectCases(cases, options);
  const base = { tool: 'geostub conform' as const, target: options.target, apis: options.apis, allowWrites: options.allowWrites, ...(options.shard ? { shard: options.shard } : {}), startedAt: startedAt.toISOString() };
  const unreachable = await reachable(http, ops, options.apis);
  if (unreachable) {
    return {
      ...base, ms: performance.now() - t0, unreachable,
      summary: { cases: 0, casesFailed: 0, casesSkipped: 0, checks: 0, checksFailed: 1 },
      cases: [],
      failures: [{ check: 'target_reachable', case: '-', operation: '-', expected: `an HTTP answer from ${options.target}`, actual: unreachable }],
      coverage: coverageOf(ops, options.apis, cases, selection, []),
      leftovers: [],
    };
  }
  let done = 0;
  let failed = 0;
  const total = selection.run.length;
  const progress = (r: CaseResult) => {
    done++;
    if (r.status === 'failed') failed++;
    options.onProgress?.({ done, total, failed, current: r.id });
  };
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  // reads first, on data no write of this run is changing; then the scenarios and probes that write
  const reads = await runAll(ctx, selection.run.filter((c) => !c.writes), concurrency, progress);
  const writes = await runAll(ctx, selection.run.filter((c) => c.writes), concurrency, progress);
  const results = [...reads, ...writes].sort((a, b) => (a.id < b.id ? -1 : 1));
  const failures = results.flatMap((r) => r.checks.filter((c) => !c.ok).map((c) => c.failure!));
  return {
    ...base,
    ms: performance.now() - t0,
    summary: {
      cases: results.length,
      casesFailed: results.filter((r) => r.status === 'failed').length,
      casesSkipped: results.filter((r) => r.status === 'skipped').length,
      checks: results.reduce((n, r) => n + r.checks.length, 0),
      checksFailed: failures.length,
    },
    cases: results,
    failures,
    coverage: coverageOf(ops, options.apis, cases, selection, results),
    leftovers: ctx.leftovers,
  };
}

/** Exit status of a run: 0 only when everything checked passed; 3 when the target could not be reached. */
export function exitCode(report: RunReport): number {
  if (report.unreachable) return 3;
  return report.summary.checksFailed > 0 ? 1 : 0;
}
