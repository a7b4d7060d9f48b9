/**
 * The conformance runner against the honest mock: a read-only run sends only GET/HEAD/OPTIONS and exercises every
 * GET operation; a run with writes exercises every operation and leaves the data as it found it; both pass.
 * Case selection (--only, --skip, --shard) is deterministic; an unreachable target is reported, never a pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContracts } from '../src/contracts/load.js';
import { allOperations, buildRouteTable, type Operation } from '../src/contracts/route-table.js';
import { buildCases, selectCases } from '../src/conformance/cases.js';
import { findOperation } from '../src/conformance/context.js';
import { exitCode, runConformance } from '../src/conformance/runner.js';
import { loadScenarios, type Scenario } from '../src/conformance/scenario-load.js';
import type { ConformOptions, Failure, RunReport } from '../src/conformance/types.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/**
 * Deviations of the mock from its own contracts that the runner found and that are not fixed yet (owners: the
 * GeoNode behaviour modules). Each is a real bug report; remove the entry once the mock is fixed.
 */
// deviations of the mock that the runner found and that are not fixed yet (none now: each one found so far was
// fixed; an entry here must name the case, the check and why)
const KNOWN_MOCK_DEVIATIONS: { case: string; check: string; why: string }[] = [];

const known = (f: Failure) => KNOWN_MOCK_DEVIATIONS.some((k) => k.case === f.case && k.check === f.check);

export const ADMIN: ConformOptions['credentials'] = {
  user: { name: 'admin', password: 'admin' },
  key: 'geostub0koordinates0api0key00001',
};

let s: TestServer;
const methods = new Set<string>();
let ops: Operation[];
let scenarios: Scenario[];

beforeAll(async () => {
  s = await startTestServer({ jobDuration: 20, log: (l) => methods.add(l.method) });
  ops = allOperations(buildRouteTable(await loadContracts()));
  scenarios = await loadScenarios();
});
afterAll(() => s.close());

const run = (extra: Partial<ConformOptions> = {}) =>
  // query depth is proven in conformance-query-depth.test.ts; the broad runs here take the quick depth
  runConformance({
    target: s.url,
    apis: ['geonode', 'koordinates'],
    allowWrites: false,
    credentials: ADMIN,
    timeoutMs: 10_000,
    queryDepth: 'quick',
    ...extra,
  });

function unexpected(report: RunReport): string[] {
  return report.failures
    .filter((f) => !known(f))
    .map((f) => `${f.check} · ${f.case}${f.step ? ` · ${f.step}` : ''}: expected ${f.expected}; got ${f.actual}`);
}

describe('the runner against the honest mock', () => {
  it('read-only: only GET/HEAD/OPTIONS are sent, every GET operation is exercised, nothing fails', async () => {
    methods.clear();
    const report = await run();
    expect(unexpected(report)).toEqual([]);
    expect([...methods].filter((m) => !['GET', 'HEAD', 'OPTIONS'].includes(m))).toEqual([]);
    expect(
      report.coverage.gets.exercised,
      JSON.stringify(report.coverage.operations.filter((o) => !o.exercised && o.operation.startsWith('GET '))),
    ).toBe(report.coverage.gets.total);
    expect(report.coverage.gets.total).toBeGreaterThan(80);
    expect(report.summary.checks).toBeGreaterThan(2000);
  }, 120_000); // a whole run of both contracts: ~10 s alone, longer on a busy machine

  it('with writes: every operation of both contracts is exercised, nothing fails, and the run removes what it made', async () => {
    const count = (c: string) => s.store.collection(c).size;
    const before = ['resources', 'users', 'groups', 'harvesters', 'favorites'].map(count);
    const report = await run({ allowWrites: true });
    expect(unexpected(report)).toEqual([]);
    expect(report.coverage.operations.filter((o) => !o.exercised).map((o) => `${o.operation}: ${o.reason}`)).toEqual(
      [],
    );
    expect(report.coverage.exercised).toBe(ops.length);
    expect(['resources', 'users', 'groups', 'harvesters', 'favorites'].map(count)).toEqual(before);
    expect(report.leftovers.join('\n')).toMatch(/no DELETE for jobs/);
  }, 120_000); // a whole run of both contracts: ~10 s alone, longer on a busy machine

  it('every known deviation still happens (remove an entry once the mock is fixed)', async () => {
    const report = await run({ allowWrites: true, only: [...new Set(KNOWN_MOCK_DEVIATIONS.map((k) => k.case))] });
    for (const k of KNOWN_MOCK_DEVIATIONS) {
      expect(
        report.failures.some((f) => f.case === k.case && f.check === k.check),
        `${k.case} (${k.check}) passes now: remove it from KNOWN_MOCK_DEVIATIONS`,
      ).toBe(true);
    }
  }, 120_000); // a whole run of both contracts: ~10 s alone, longer on a busy machine

  it('a target that gives no answer is reported as unreachable, with a non-zero exit status', async () => {
    const report = await runConformance({
      target: 'http://127.0.0.1:9',
      apis: ['geonode'],
      allowWrites: false,
      credentials: {},
      timeoutMs: 2000,
    });
    expect(report.unreachable).toMatch(/cannot be reached/);
    expect(report.failures.map((f) => f.check)).toEqual(['target_reachable']);
    expect(exitCode(report)).toBe(3);
  });
});

describe('case selection', () => {
  it('--shard I/N splits the cases deterministically: the shards are disjoint and together are every case', () => {
    const cases = buildCases(ops, scenarios, ['geonode', 'koordinates']);
    const ids = (i: number) =>
      selectCases(cases, { allowWrites: true, shard: { index: i, count: 3 } }).run.map((c) => c.id);
    const shards = [1, 2, 3].map(ids);
    expect(shards.flat().sort()).toEqual(cases.map((c) => c.id).sort());
    expect(new Set(shards.flat()).size).toBe(cases.length);
    expect(ids(2)).toEqual(shards[1]);
    expect(Math.max(...shards.map((x) => x.length)) - Math.min(...shards.map((x) => x.length))).toBeLessThanOrEqual(1);
  });

  it('read-only leaves out every case that writes, and says why; --only and --skip match case ids', () => {
    const cases = buildCases(ops, scenarios, ['geonode']);
    const ro = selectCases(cases, { allowWrites: false });
    expect(ro.run.every((c) => !c.writes)).toBe(true);
    expect([...ro.left.values()].every((why) => /--allow-writes/.test(why))).toBe(true);
    const only = selectCases(cases, { allowWrites: true, only: ['GET /api/v2/resources/ ·*'], skip: ['pagination'] });
    expect(
      only.run.map((c) => c.id).every((id) => id.startsWith('GET /api/v2/resources/ ·') && !id.includes('pagination')),
    ).toBe(true);
    expect(only.run.length).toBeGreaterThan(3);
  });
});

describe('scenario files', () => {
  it('every step of every scenario is an operation of the contract (of the release the scenario is for)', async () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(15);
    const ops5 = allOperations(buildRouteTable(await loadContracts(undefined, 5)));
    const wrong = scenarios.flatMap((sc) =>
      [...sc.steps, ...sc.cleanup]
        .filter((st) => {
          const only5 = (st.releases ?? sc.releases)?.every((r) => r === 5);
          return !findOperation(
            only5 ? ops5 : ops,
            st.send.split(' ')[0],
            st.send.split(' ')[1].replace(/\{\{[^}]+\}\}/g, 'x'),
          );
        })
        .map((st) => `${sc.file}: ${st.send}`),
    );
    expect(wrong).toEqual([]);
  });

  it('cover what the runner promises: CRUD, bulk, patch-all, sideloading, favorites, permissions, lifecycles, anonymous writes, a page walk', () => {
    const names = scenarios.map((sc) => sc.name).join(' ');
    for (const topic of [
      'crud',
      'bulk',
      'patch-all',
      'sideloading',
      'favorites',
      'permissions',
      'lifecycle',
      'anonymous-writes',
      'page-walk',
    ])
      expect(names).toContain(topic);
  });
});
