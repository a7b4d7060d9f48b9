/**
 * The conformance runner: contracts + scenarios → cases → selected by --allow-writes/--only/--skip/--shard → run
 * against the target (reads first, then writes) → one RunReport that every reporter renders.
 */
import { loadContracts, PACKAGE_ROOT, type Json } from '../contracts/load.js';
import { decideRelease } from './release.js';
import { allOperations, buildRouteTable, type Operation } from '../contracts/route-table.js';
import { ContractValidators } from '../contracts/validators.js';
import { assertSelection, buildCases, selectCases } from './cases.js';
import type { Case, RunContext } from './context.js';
import { coverageOf } from './coverage.js';
import { HttpClient, NoAnswer } from './http.js';
import { ParamResolver } from './params.js';
import { CaseRecorder } from './recorder.js';
import { loadScenarios } from './scenario-load.js';
import type { ApiName, CaseResult, ConformOptions, CheckedExchange, QueryCaseCounts, RunReport } from './types.js';
import { documentedResponse, isJsonMedia, responseSchema } from './contract-view.js';
import { maskDeep } from '../core/masking.js';

const DEFAULT_CONCURRENCY = 6;

const API_NAMES: Record<ApiName, string> = { geonode: 'GeoNode (REST API v2)', koordinates: 'a Koordinates catalogue' };

interface Recognition {
  /** the target gave no HTTP answer at all */
  unreachable?: string;
  /** APIs whose first answer has the API's shape */
  apis: ApiName[];
  /** per API that was not recognised: what was found and what was expected */
  notRecognised: Partial<Record<ApiName, string>>;
}

/** What the top level of a JSON schema is: 'object', 'array' or undefined (anything). */
function topLevelType(
  ctx: { validators: ContractValidators },
  api: ApiName,
  schema: Json,
): 'object' | 'array' | undefined {
  const v = ctx.validators.forSchema(api, schema);
  if (v([]) && !v({})) return 'array';
  if (v({}) && !v([])) return 'object';
  return undefined;
}

/**
 * The first parameterless GET of each API, asked once before anything else: no answer → unreachable; an answer
 * that is not JSON of the API's shape (the API root's object, the catalogue's array, or a JSON 401/403) → not that
 * API. A target that is neither is not checked at all (6,500 lines of failures would say nothing useful).
 */
async function recognise(
  http: HttpClient,
  validators: ContractValidators,
  ops: Operation[],
  apis: ApiName[],
): Promise<Recognition> {
  const out: Recognition = { apis: [], notRecognised: {} };
  for (const api of apis) {
    const op = ops.find((o) => o.api === api && o.method === 'get' && !o.path.includes('{'));
    if (!op) continue;
    let x: CheckedExchange;
    try {
      x = await http.send(api, { method: 'GET', path: op.path });
    } catch (err) {
      if (err instanceof NoAnswer)
        return { ...out, unreachable: `${http.target} cannot be reached: GET ${op.path} got ${err.why}` };
      throw err;
    }
    const r = x.response;
    const ok = documentedResponse(op, 200);
    const schema = ok && responseSchema(ok, 'application/json');
    const want = schema === undefined ? undefined : topLevelType({ validators }, api, schema);
    const json = r.json;
    const isJson = json !== undefined && isJsonMedia(r.mediaType);
    const shaped =
      r.status === 200
        ? isJson &&
          (want === undefined ||
            (want === 'array' ? Array.isArray(json) : !!json && typeof json === 'object' && !Array.isArray(json)))
        : (r.status === 401 || r.status === 403) && isJson && !!json && typeof json === 'object';
    if (shaped) {
      out.apis.push(api);
      continue;
    }
    const found = `${r.status} ${r.mediaType || 'without a content type'}${r.text ? ` ${JSON.stringify(r.text.replace(/\s+/g, ' ').slice(0, 40))}` : ''}`;
    out.notRecognised[api] =
      `GET ${op.path} answered ${found}, where ${API_NAMES[api]} answers 200 with a JSON ${want ?? 'body'}${api === 'geonode' ? ' (the API root: a URL per list)' : ' (the list of items)'}`;
  }
  return out;
}

async function runCase(ctx: RunContext, c: Case): Promise<CaseResult> {
  const rec = new CaseRecorder(c.id);
  const started = performance.now();
  try {
    await c.run(ctx, rec);
  } catch (err) {
    if (err instanceof NoAnswer) rec.record('target_reachable', [{ expected: 'an HTTP answer', actual: err.message }]);
    else
      rec.record('runner_error', [
        {
          expected: 'the case runs to its end',
          actual: (err as Error).stack?.split('\n').slice(0, 3).join(' ') ?? String(err),
        },
      ]);
  }
  const status = rec.failed ? 'failed' : rec.skipped ? 'skipped' : 'passed';
  const queryCases = Object.keys(rec.queryCases).length ? { queryCases: rec.queryCases } : {};
  return {
    id: c.id,
    kind: c.kind,
    status,
    ...(rec.skipped ? { reason: rec.skipped } : {}),
    checks: rec.checks,
    exercised: [...rec.exercised],
    ms: performance.now() - started,
    ...queryCases,
  };
}

async function runAll(
  ctx: RunContext,
  cases: Case[],
  concurrency: number,
  onDone: (r: CaseResult, c: Case) => void,
): Promise<CaseResult[]> {
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
 * The report as the reporters write it: credentials masked (`src/core/masking.ts`) — the Basic, Bearer and
 * key values given, secret-like fields of request bodies (a scenario's new user's password), tokens in URLs —
 * unless `showSecrets`.
 */
function masked(report: RunReport, options: ConformOptions): RunReport {
  if (options.showSecrets) return report;
  const c = options.credentials;
  const known = [
    c.token,
    c.key,
    c.user?.password,
    c.user && Buffer.from(`${c.user.name}:${c.user.password}`).toString('base64'),
  ];
  return maskDeep(
    report,
    known.filter((k): k is string => !!k),
  );
}

export async function runConformance(options: ConformOptions): Promise<RunReport> {
  return masked(await run(options), options);
}

async function run(options: ConformOptions): Promise<RunReport> {
  const startedAt = new Date();
  const t0 = performance.now();
  const http = new HttpClient(options.target, options.credentials, options.timeoutMs);
  // the GeoNode release decides which contract the target is checked against (routes, statuses, fields)
  const geonode = options.apis.includes('geonode') ? await decideRelease(http, options.geonode) : undefined;
  const contracts = await loadContracts(PACKAGE_ROOT, geonode?.release ?? 4);
  const ops = allOperations(buildRouteTable(contracts));
  const scenarios = await loadScenarios(options.scenariosDir);
  const ctx: RunContext = {
    http,
    validators: new ContractValidators(contracts),
    ops,
    resolver: new ParamResolver(http, ops),
    options,
    release: geonode?.release ?? 4,
    runId: `gc${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`,
    leftovers: [],
  };
  const cases = buildCases(ops, scenarios, options.apis);
  const selection = selectCases(cases, options);
  assertSelection(cases, selection, options);
  const base = {
    tool: 'geostub conform' as const,
    target: options.target,
    apis: options.apis,
    allowWrites: options.allowWrites,
    ...(options.shard ? { shard: options.shard } : {}),
    ...(geonode ? { geonode } : {}),
    startedAt: startedAt.toISOString(),
  };
  const empty = (failure: RunReport['failures'][number]) => ({
    ...base,
    ms: performance.now() - t0,
    summary: { cases: 0, casesFailed: 0, casesSkipped: 0, checks: 0, checksFailed: 1 },
    cases: [],
    failures: [failure],
    coverage: coverageOf(ops, options.apis, cases, selection, []),
    leftovers: [],
  });
  const seen = await recognise(http, ctx.validators, ops, options.apis);
  if (seen.unreachable) {
    return {
      ...empty({
        check: 'target_reachable',
        case: '-',
        operation: '-',
        expected: `an HTTP answer from ${options.target}`,
        actual: seen.unreachable,
      }),
      unreachable: seen.unreachable,
    };
  }
  // an API the target does not speak: its cases do not run, and the report says why (with --api all, a GeoNode
  // target is checked as GeoNode only); a target that speaks none of the APIs asked for is not checked at all
  const notes: string[] = [];
  for (const [api, why] of Object.entries(seen.notRecognised) as [ApiName, string][]) {
    notes.push(`not checked as ${API_NAMES[api]}: ${why}`);
    for (const c of selection.run.filter((x) => x.api === api))
      selection.left.set(c.id, `the target is not ${API_NAMES[api]}`);
    selection.run = selection.run.filter((x) => x.api !== api);
  }
  if (!selection.run.length && notes.length) {
    // name only the APIs the target failed to be (a GeoNode asked for catalogue cases only is "not a catalogue")
    const missing = options.apis.filter((a) => seen.notRecognised[a]);
    const expected = missing.map((a) => API_NAMES[a]).join(' or ');
    const unrecognised = `${options.target} is not ${expected}: ${missing.map((a) => seen.notRecognised[a]).join('; ')}`;
    return {
      ...empty({ check: 'target_recognised', case: '-', operation: '-', expected, actual: unrecognised }),
      unrecognised,
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
  const reads = await runAll(
    ctx,
    selection.run.filter((c) => !c.writes),
    concurrency,
    progress,
  );
  const writes = await runAll(
    ctx,
    selection.run.filter((c) => c.writes),
    concurrency,
    progress,
  );
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
    ...(notes.length ? { notes } : {}),
    queryCases: countQueryCases(results, options.queryDepth ?? 'normal'),
  };
}

/** The query cases of every case, summed per field kind and lookup. */
function countQueryCases(results: CaseResult[], depth: QueryCaseCounts['depth']): QueryCaseCounts {
  const byKind: QueryCaseCounts['byKind'] = {};
  let total = 0;
  for (const r of results)
    for (const [k, n] of Object.entries(r.queryCases ?? {})) {
      const [kind, lookup] = k.split(' ');
      (byKind[kind] ??= {})[lookup] = (byKind[kind][lookup] ?? 0) + n;
      total += n;
    }
  return { depth, total, byKind };
}

/** Exit status of a run: 0 only when everything checked passed; 3 when the target could not be reached or is not an API asked for. */
export function exitCode(report: RunReport): number {
  if (report.unreachable || report.unrecognised) return 3;
  return report.summary.checksFailed > 0 ? 1 : 0;
}
