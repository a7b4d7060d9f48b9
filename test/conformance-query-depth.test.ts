/**
 * The query-depth cases: against the honest mock they pass read-only and say how many cases ran per field kind and
 * lookup; each planted query fault (src/server/faults/query.ts) fails the run on a query case of the lookup or
 * combination it breaks, named with the expected and the actual pks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance } from '../src/conformance/runner.js';
import { conformOptionsFrom, UsageError } from '../src/conformance/options.js';
import { QUERY_FAULTS } from '../src/server/faults/query.js';
import { renderConsole } from '../src/conformance/reporters/console.js';
import { renderJson } from '../src/conformance/reporters/json.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFixtures } from '../src/fixtures/index.js';
import { startTestServer } from './helpers/server.js';

const CREDENTIALS = { user: { name: 'admin', password: 'admin' }, key: 'geostub0koordinates0api0key00001' };
const ONLY = ['GET /api/v2/resources/ · query depth'];

/** fault → the check that reports it and the query case (`[kind lookup]`) it fails on */
const NAMED_BY: Record<string, [check: string, queryCase: RegExp]> = {
  'query-contains-case-insensitive': ['filter_honoured', /\[(string|to-one|to-many) contains\]/],
  'query-startswith-as-contains': ['filter_honoured', /\[(string|to-one|to-many) i?startswith\]/],
  'query-endswith-as-contains': ['filter_honoured', /\[(string|to-one|to-many) i?endswith\]/],
  'query-iexact-case-sensitive': ['filter_complete', /\[(string|to-one|to-many) iexact\]/],
  'query-gt-as-gte': ['filter_honoured', /\[(integer|datetime|string) gt\]/],
  'query-range-upper-exclusive': ['filter_complete', /\[(integer|datetime|string) range\]/],
  'query-in-first-value-only': ['filter_complete', /\[(integer|string|to-one|to-many) in\]/],
  'query-isnull-ignored': ['filter_honoured', /\[(datetime|string|to-one|to-many) isnull\]/],
  'query-boolean-zero-as-true': ['filter_honoured', /\[boolean eq\] filter\{\w+\}=0/],
  'query-negation-dropped-in-combination': ['filter_honoured', /\[combination (not|same-row)\]/],
  'query-sort-second-key-ignored': ['sort_honoured', /\[sort sort-[23]\]/],
  'query-json-filter-last-clause-ignored': ['filter_honoured|filter_complete', /\[combination json\] filter\{\}=/],
  'query-search-first-field-only': ['filter_complete', /\[search or-fields\]/],
  'query-to-many-rows-split': ['filter_honoured', /\[combination same-row\]/],
  'query-integer-as-text': ['filter_honoured', /\[integer (gt|gte|lt|lte|range)\]/],
  'catalog-and-second-name-ignored': ['filter_complete', /\[catalogue and\]/],
  'catalog-sort-created-reversed': ['sort_honoured', /\[catalogue sort\] sort=-?created_at/],
  'catalog-license-by-type': ['filter_complete', /\[catalogue (license|or)\] license=\d+/],
  'catalog-license-sets-always-match': ['filter_complete', /\[catalogue complement\] license=True \| license=false/],
  'catalog-license-type-prefix': ['filter_complete', /\[catalogue (license\.type|or)\] license\.type=/],
  'catalog-license-jurisdiction-case-sensitive': [
    'filter_complete',
    /\[catalogue (license\.jurisdiction|or)\] license\.jurisdiction=[A-Z]{2}/,
  ],
  'catalog-license-version-as-text': [
    'filter_complete',
    /\[catalogue (license\.version|or)\] license\.version=\d(&|:)/,
  ],
  'catalog-date-after-inclusive': [
    'filter_complete',
    /\[catalogue ((created|updated)_at\.after|or)\] (created|updated)_at\.after=/,
  ],
  'catalog-public-capitalised-false': ['filter_complete', /\[catalogue public\] public=True/],
  'catalog-version-status-published': ['filter_complete', /\[catalogue (version\.status|or)\] version\.status=/],
  'catalog-q-case-sensitive': ['filter_complete', /\[catalogue (q|or)\] q=[A-Z]+/],
  'catalog-geotag-case-sensitive': ['filter_complete', /\[catalogue geotag-case\] geotag=GLOBAL\/Oceania/],
  'catalog-geotag-or-first-only': ['filter_complete', /\[catalogue geotag-or\] geotag=[a-z/-]+&geotag=/],
  'catalog-geotag-no-descendants': ['filter_complete', /\[catalogue geotag-parent\] geotag=/],
};

describe('query depth against the honest mock', () => {
  let s: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    s = await startTestServer({});
  });
  afterAll(async () => {
    await s.close();
  });

  it('passes read-only, every field kind and lookup family counted in the report', async () => {
    const report = await runConformance({
      target: s.url,
      apis: ['geonode', 'koordinates'],
      allowWrites: false,
      credentials: CREDENTIALS,
      timeoutMs: 30000,
      only: ['· query depth'],
    });
    expect(report.failures).toEqual([]);
    const q = report.queryCases!;
    expect(q.depth).toBe('normal');
    for (const kind of [
      'string',
      'integer',
      'datetime',
      'boolean',
      'to-one',
      'to-many',
      'combination',
      'search',
      'sort',
    ])
      expect(Object.keys(q.byKind), kind).toContain(kind);
    for (const lookup of [
      'eq',
      'iexact',
      'contains',
      'icontains',
      'startswith',
      'istartswith',
      'endswith',
      'in',
      'not',
    ])
      expect(Object.keys(q.byKind.string), lookup).toContain(lookup);
    for (const lookup of ['gt', 'gte', 'lt', 'lte', 'range'])
      expect(Object.keys(q.byKind.integer), lookup).toContain(lookup);
    for (const lookup of ['and', 'not', 'same-row', 'json'])
      expect(Object.keys(q.byKind.combination), lookup).toContain(lookup);
    // every filter of the catalogue contract, on /data/ and /data/latest/; geotag (no item shows its geotags) by
    // metamorphic cases: parent ⊇ child, another case, OR, AND with kind
    for (const lookup of [
      'kind',
      'public',
      'group',
      'license',
      'license.type',
      'license.jurisdiction',
      'license.version',
      'category',
      'tag',
      'q',
      'created_at.before',
      'created_at.after',
      'updated_at.before',
      'updated_at.after',
      'version.status',
      'geotag-parent',
      'geotag-case',
      'geotag-or',
      'geotag-and',
      'or',
      'and',
      'complement',
      'sort',
    ])
      expect(Object.keys(q.byKind.catalogue), lookup).toContain(lookup);
    expect(report.cases.find((c) => c.id === 'GET /services/api/v1/data/latest/ · query depth')?.status).toBe('passed');
    expect(report.cases.find((c) => c.id === 'GET /services/api/v1/data/ · query depth')?.status).toBe('passed');
    for (const lookup of ['sort-1', 'sort-2', 'sort-3']) expect(Object.keys(q.byKind.sort), lookup).toContain(lookup);
    expect(q.total).toBe(
      Object.values(q.byKind)
        .flatMap((b) => Object.values(b))
        .reduce((a, b) => a + b, 0),
    );
    // the console and JSON reports say it too
    const text = renderConsole(report);
    expect(text).toContain(`Query cases (${q.total}, --query-depth normal)`);
    expect(text).toMatch(
      new RegExp(
        `combination\\s+${Object.values(q.byKind.combination).reduce((a, b) => a + b, 0)}\\s+and ${q.byKind.combination.and}`,
      ),
    );
    expect((JSON.parse(renderJson(report)) as { queryCases: unknown }).queryCases).toEqual(q);
  }, 120_000);

  it('quick runs fewer cases than normal, full more', async () => {
    const count = async (queryDepth: 'quick' | 'normal' | 'full') =>
      (
        await runConformance({
          target: s.url,
          apis: ['geonode'],
          allowWrites: false,
          credentials: CREDENTIALS,
          timeoutMs: 30000,
          only: ONLY,
          queryDepth,
        })
      ).queryCases!;
    const [quick, normal, full] = [await count('quick'), await count('normal'), await count('full')];
    expect(quick.total).toBeGreaterThan(0);
    expect(quick.total).toBeLessThan(normal.total);
    expect(normal.total).toBeLessThan(full.total);
  }, 180_000);

  it('a list larger than --query-budget is skipped with a reason, not half-checked', async () => {
    const report = await runConformance({
      target: s.url,
      apis: ['geonode'],
      allowWrites: false,
      credentials: CREDENTIALS,
      timeoutMs: 30000,
      only: ONLY,
      queryBudget: 50,
    });
    expect(report.cases[0].status).toBe('skipped');
    expect(report.cases[0].reason).toMatch(/more than --query-budget 50/);
  });
});

describe('catalogue query depth on other data', () => {
  it('another seed and scale (7, 500) passes both views: the oracle follows the listing, not the default data', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'geostub-catdepth-'));
    await writeFixtures({ seed: 7, scale: 500, out: dir });
    const s = await startTestServer({ fixtures: dir });
    try {
      const report = await runConformance({
        target: s.url,
        apis: ['koordinates'],
        allowWrites: false,
        credentials: CREDENTIALS,
        timeoutMs: 30000,
        only: ['GET /services/api/v1/data/ · query depth', 'GET /services/api/v1/data/latest/ · query depth'],
      });
      expect(report.failures).toEqual([]);
      expect(report.cases.map((c) => c.status)).toEqual(['passed', 'passed']);
      expect(report.queryCases!.byKind.catalogue.complement).toBeGreaterThan(0);
    } finally {
      await s.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('--query-depth and --query-budget', () => {
  it.each([
    [{ 'query-depth': 'deep' }, /--query-depth takes quick, normal or full, not "deep"/],
    [{ 'query-budget': 0 }, /--query-budget must be a positive whole number/],
    [{ 'query-budget': 2.5 }, /--query-budget must be a positive whole number/],
  ])('%j is a usage error', (args, message) => {
    expect(() => conformOptionsFrom({ target: 'http://x.test', ...args })).toThrow(UsageError);
    expect(() => conformOptionsFrom({ target: 'http://x.test', ...args })).toThrow(message);
  });
  it('defaults to normal depth and a budget of 1000 records', () => {
    expect(conformOptionsFrom({ target: 'http://x.test' }).options).toMatchObject({
      queryDepth: 'normal',
      queryBudget: 1000,
    });
  });
});

describe('planted query faults', () => {
  it('each query fault has a row here', () => {
    expect(Object.keys(NAMED_BY).sort()).toEqual(QUERY_FAULTS.map((f) => f.name).sort());
  });
  /** Faults the quick depth misses (its cases are fewer): run at the default depth. */
  const NEEDS_NORMAL_DEPTH = new Set([
    'query-contains-case-insensitive',
    'query-startswith-as-contains',
    'query-endswith-as-contains',
    'query-iexact-case-sensitive',
    'query-range-upper-exclusive',
    'query-isnull-ignored',
    'query-search-first-field-only',
    'query-integer-as-text',
  ]);
  it.each(Object.entries(NAMED_BY))(
    '%s fails a query case that names it, with expected and actual pks',
    async (fault, [check, queryCase]) => {
      const s = await startTestServer({ faults: [fault] });
      try {
        const isKoordinates = fault.startsWith('catalog');
        // the quick depth already catches some faults (checked); the others need the default depth's cases
        const queryDepth = NEEDS_NORMAL_DEPTH.has(fault) ? 'normal' : 'quick';
        const report = await runConformance({
          target: s.url,
          apis: [isKoordinates ? 'koordinates' : 'geonode'],
          allowWrites: false,
          credentials: CREDENTIALS,
          timeoutMs: 30000,
          queryDepth,
          // version.status is a filter of /data/latest/ only
          only: isKoordinates
            ? [`GET /services/api/v1/data/${fault.includes('version-status') ? 'latest/' : ''} · query depth`]
            : ONLY,
        });
        const named = report.failures.filter((f) => check.split('|').includes(f.check) && queryCase.test(f.expected));
        expect(
          named.length,
          `${fault}: ${JSON.stringify(report.failures.map((f) => [f.check, f.expected.slice(0, 90)]).slice(0, 6))}`,
        ).toBeGreaterThan(0);
        expect(named[0].expected).toMatch(/pks \[/);
        expect(named[0].actual).toMatch(/pks \[/);
      } finally {
        await s.close();
      }
    },
  );

  it('catalog-and-second-name-ignored also fails the geotag AND case (geotag=p&kind=K)', async () => {
    const s = await startTestServer({ faults: ['catalog-and-second-name-ignored'] });
    try {
      const report = await runConformance({
        target: s.url,
        apis: ['koordinates'],
        allowWrites: false,
        credentials: CREDENTIALS,
        timeoutMs: 30000,
        queryDepth: 'quick',
        only: ['GET /services/api/v1/data/ · query depth'],
      });
      const named = report.failures.filter((f) => /\[catalogue geotag-and\] geotag=[^&]+&kind=/.test(f.expected));
      expect(named.length, JSON.stringify(report.failures.map((f) => f.expected.slice(0, 90)))).toBeGreaterThan(0);
      expect(named[0].actual).toMatch(/pks \[/);
    } finally {
      await s.close();
    }
  });
});
