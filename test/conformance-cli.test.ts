/**
 * `geostub conform` run as a CI job runs it (`node dist/bin/geostub.js`, built by `npm test`): exit 0 when every
 * check passed, 1 when one failed, 2 for a usage error, non-zero (3) when the target cannot be reached; the JSON
 * and JUnit reports are written and parse. `geostub serve --fault` refuses an unknown fault with the list.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import { runCli } from './helpers/child.js';

const geostub = runCli;

let honest: TestServer;
let faulty: TestServer;
const AUTH = ['--user', 'admin:admin', '--key', 'geostub0koordinates0api0key00001'];
const SOME = ['--only', 'GET /api/v2/categories/*', '--only', 'GET /services/api/v1/data/ ·*'];

beforeAll(async () => {
  [honest, faulty] = await Promise.all([startTestServer(), startTestServer({ faults: ['sort-reversed'] })]);
});
afterAll(() => Promise.all([honest.close(), faulty.close()]));

describe('geostub conform exit status', () => {
  it('0 when every check passed, with a summary table, coverage and a PASSED verdict', async () => {
    const r = await geostub(['conform', '--target', honest.url, ...AUTH, ...SOME]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Per operation[\s\S]*GET \/api\/v2\/categories\/[\s\S]*Per check[\s\S]*pagination_links/);
    expect(r.stdout).toMatch(/Coverage: \d+\/\d+ operations exercised/);
    expect(r.stdout).toMatch(/PASSED: \d+\/\d+ checks passed/);
    expect(r.stderr).toMatch(/\[\s*\d+\/\d+\] 0 failed/);
  });

  it('1 when a check failed, showing the request, the expectation, the answer and the contract path', async () => {
    const r = await geostub([
      'conform',
      '--target',
      faulty.url,
      '--api',
      'geonode',
      ...AUTH,
      '--only',
      'GET /api/v2/resources/ · sort',
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/sort_honoured — GET \/api\/v2\/resources\//);
    expect(r.stdout).toMatch(/request: {2}GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\/resources\/\?sort(\[\]|%5B%5D)=/);
    expect(r.stdout).toMatch(/expected: items ordered by sort\[\]=/);
    expect(r.stdout).toMatch(/contract: #\/paths\/~1api~1v2~1resources~1\/get\/parameters/);
    expect(r.stdout).toMatch(/FAILED:/);
  });

  it.each([
    [['--target', 'not a url'], /--target must be an http\(s\) URL/],
    [['--target', 'http://x', '--shard', '3/2'], /--shard must be I\/N/],
    [['--target', 'http://x', '--user', 'a:b', '--token', 't'], /--user or --token, not both/],
    [['--target', 'http://x', '--report', 'xml:out.xml'], /--report must be junit:FILE or json:FILE/],
    [['--target', 'http://x', '--api', 'wms'], /--api "wms" is not one of "geonode", "koordinates", "all"/],
    [['--target', 'http://x', '--no-such-option'], /conform: unknown option --no-such-option/],
    [[], /--target is required/],
  ])('2 for a usage error: %j', async (args, message) => {
    const r = await geostub(['conform', ...args]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('non-zero (3) when the target cannot be reached, and says so', async () => {
    const r = await geostub(['conform', '--target', 'http://127.0.0.1:9', '--timeout', '2000']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/UNREACHABLE: http:\/\/127\.0\.0\.1:9 cannot be reached/);
  });
});

describe('geostub conform reports', () => {
  it('writes a JSON report and a JUnit report that parse and agree with each other', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'geostub-conform-'));
    const json = join(dir, 'out', 'report.json');
    const junit = join(dir, 'out', 'report.xml');
    const r = await geostub([
      'conform',
      '--target',
      faulty.url,
      ...AUTH,
      ...SOME,
      '--only',
      'GET /api/v2/resources/ · sort',
      '--report',
      `json:${json}`,
      '--report',
      `junit:${junit}`,
    ]);
    expect(r.code).toBe(1);
    const report = JSON.parse(await readFile(json, 'utf8'));
    expect(report.tool).toBe('geostub conform');
    expect(report.summary.checksFailed).toBeGreaterThan(0);
    expect(report.failures).toContainEqual(
      expect.objectContaining({
        check: 'sort_honoured',
        operation: 'GET /api/v2/resources/',
        case: 'GET /api/v2/resources/ · sort',
      }),
    );
    expect(report.coverage.operations.length).toBe(report.coverage.total);
    const xml = await readFile(junit, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
    const suites = [...xml.matchAll(/<testsuite name="([^"]*)" tests="(\d+)" failures="(\d+)"/g)];
    expect(suites.map((m) => m[1]).sort()).toEqual(
      report.cases.map((c: { id: string }) => c.id.replace(/&/g, '&amp;')).sort(),
    );
    expect((xml.match(/<testcase /g) ?? []).length).toBe(Number(/<testsuites [^>]*tests="(\d+)"/.exec(xml)![1]));
    expect((xml.match(/<failure /g) ?? []).length).toBe(suites.reduce((n, m) => n + Number(m[3]), 0));
    expect(xml).toMatch(/<failure message="items ordered by sort\[\]=[^"]*" type="sort_honoured">/);
    expect(xml.split('<testsuite ').length - 1).toBe(xml.split('</testsuite>').length - 1);
  });
});

describe('geostub serve --fault', () => {
  it('refuses an unknown fault with a usage error that lists the known ones', async () => {
    const r = await geostub(['serve', '--in-memory', '--port', '0', '--fault', 'no-such-fault']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown fault "no-such-fault"; the faults are: .*sort-reversed/);
  });
});
