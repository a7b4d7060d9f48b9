/**
 * A runner CI can trust: no false alarms (a read-only run without credentials against the honest mock passes,
 * the steps and cases that need a login are skipped with their reason), no silent passes (`--only`/`--skip`
 * patterns that select nothing exit 2; a target that is not GeoNode or a catalogue, or that refuses connections,
 * stops at once with one line and exit 3).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SelectionError } from '../src/conformance/cases.js';
import { exitCode, runConformance } from '../src/conformance/runner.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { runCli } from './helpers/child.js';

const ADMIN = { user: { name: 'admin', password: 'admin' }, key: 'geostub0koordinates0api0key00001' };

const geostub = runCli;

/** A static web site, as `python3 -m http.server` serves one: HTML pages, a text file, HTML 404s. */
function startStaticSite(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.url === '/' || req.url === '/index.html') {
      res
        .writeHead(200, { 'Content-Type': 'text/html' })
        .end('<!DOCTYPE html><html><body><a href="notes.txt">notes</a></body></html>');
    } else if (req.url === '/notes.txt') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('just some notes');
    } else {
      res
        .writeHead(404, { 'Content-Type': 'text/html' })
        .end(
          '<!DOCTYPE HTML><html><head><title>Error response</title></head><body><h1>Error response</h1><p>Error code: 404</p></body></html>',
        );
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

let s: TestServer;
let site: Awaited<ReturnType<typeof startStaticSite>>;

beforeAll(async () => {
  [s, site] = await Promise.all([startTestServer({ jobDuration: 20 }), startStaticSite()]);
});
afterAll(() => Promise.all([s.close(), site.close()]));

describe('no false alarms: a read-only run without credentials', () => {
  it('passes against the honest mock: 0 failures; what needs a login is skipped with its reason', async () => {
    const report = await runConformance({
      target: s.url,
      apis: ['geonode', 'koordinates'],
      allowWrites: false,
      credentials: {},
      timeoutMs: 10_000,
      queryDepth: 'quick',
    });
    expect(report.failures.map((f) => `${f.check} · ${f.case}${f.step ? ` · ${f.step}` : ''}: ${f.actual}`)).toEqual(
      [],
    );
    expect(exitCode(report)).toBe(0);
    expect(report.summary.checks).toBeGreaterThan(2000);
    const walk = report.cases.find((c) => c.id === 'scenario geonode-page-walk')!;
    // the categories walk ran and was checked; the users walk (the contract requires a login) was skipped
    expect(walk.checks.some((c) => c.check === 'page_walk' && c.ok)).toBe(true);
    expect(walk.reason).toMatch(
      /step "walk the users" skipped: the contract requires credentials for GET \/api\/v2\/users\/ and none were given/,
    );
    const users = report.cases.find((c) => c.id === 'GET /api/v2/users/ · request')!;
    expect(users.status).toBe('skipped');
    expect(users.reason).toMatch(/requires credentials/);
  }, 120_000); // a whole read-only run of both contracts: ~9 s alone, longer on a busy machine
});

/**
 * Completeness: each planted fault answers only part of a query while every page stays well formed; the named
 * check, and only it, reports it (the per-page and per-item checks pass: they alone would let the fault through).
 */
const PARTIAL: { fault: string; cases: string[]; check: string }[] = [
  {
    fault: 'filter-in-drops-one',
    cases: ['GET /api/v2/resources/ · filter', 'GET /api/v2/categories/ · filter'],
    check: 'filter_complete',
  },
  {
    fault: 'filter-negation-drops-one',
    cases: ['GET /api/v2/resources/ · filter', 'GET /api/v2/documents/ · filter'],
    check: 'filter_complete',
  },
  {
    fault: 'catalog-filter-or-drops-one',
    cases: ['GET /services/api/v1/data/ · filter kind', 'GET /services/api/v1/data/ · filter group'],
    check: 'filter_complete',
  },
  {
    fault: 'page-item-repeated',
    cases: ['GET /api/v2/resources/ · pagination', 'GET /services/api/v1/data/ · pagination'],
    check: 'pagination_complete',
  },
  {
    fault: 'sort-drops-one',
    cases: ['GET /api/v2/resources/ · sort', 'GET /api/v2/categories/ · sort', 'GET /services/api/v1/data/ · sort'],
    check: 'list_complete',
  },
  {
    fault: 'projection-drops-one',
    cases: ['GET /api/v2/datasets/ · include/exclude', 'GET /api/v2/resources/ · api_preset'],
    check: 'list_complete',
  },
];

describe('no silent passes: a server that answers only part of a query', () => {
  it.each(PARTIAL)(
    '$fault is reported by $check in each of its cases, and by nothing else',
    async ({ fault, cases, check }) => {
      const faulty = await startTestServer({ faults: [fault] });
      try {
        const report = await runConformance({
          target: faulty.url,
          apis: ['geonode', 'koordinates'],
          allowWrites: false,
          credentials: ADMIN,
          timeoutMs: 10_000,
          only: cases.map((c) => `${c}`),
        });
        for (const c of cases)
          expect(
            report.failures.filter((f) => f.case === c).map((f) => f.check),
            `${c} under ${fault}`,
          ).toContain(check);
        expect([...new Set(report.failures.map((f) => f.check))]).toEqual([check]);
      } finally {
        await faulty.close();
      }
    },
  );

  it('the honest mock passes the same cases', async () => {
    const report = await runConformance({
      target: s.url,
      apis: ['geonode', 'koordinates'],
      allowWrites: false,
      credentials: ADMIN,
      timeoutMs: 10_000,
      only: [...new Set(PARTIAL.flatMap((p) => p.cases))],
    });
    expect(report.failures).toEqual([]);
    const ran = report.cases.flatMap((c) => c.checks.map((k) => k.check));
    expect(ran.filter((k) => k === 'filter_complete').length).toBeGreaterThanOrEqual(6);
    expect(ran.filter((k) => k === 'pagination_complete').length).toBe(2);
    expect(ran.filter((k) => k === 'list_complete').length).toBeGreaterThanOrEqual(9);
  });
});

describe('no silent passes: --only and --skip that select nothing', () => {
  it('exit 2 naming the pattern, with examples of case ids', async () => {
    const r = await geostub(['conform', '--target', s.url, '--only', 'nothing-matches']);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--only "nothing-matches" matches no case id/);
    expect(r.stderr).toMatch(/Case ids look like "GET \/api\/v2\/[^"]* · filter", .*"scenario [^"]+"/);
    expect(r.stdout).toBe('');
  });

  it('every pattern that matches nothing is named, --skip ones too; patterns that match are not', async () => {
    const r = await geostub([
      'conform',
      '--target',
      s.url,
      '--only',
      'GET /api/v2/categories/ · sort',
      '--only',
      'catgories',
      '--skip',
      'no-such-case',
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--only "catgories", --skip "no-such-case" match no case id/);
    expect(r.stderr).not.toMatch(/"GET \/api\/v2\/categories\/ · sort" match/);
  });

  it('exit 2 when the patterns only select cases that write and --allow-writes is not given', async () => {
    const r = await geostub(['conform', '--target', s.url, '--only', 'scenario geonode-crud']);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(/no case is left to run .*Add --allow-writes/);
  });

  it('the programmatic runner refuses the same selection before sending a request', async () => {
    await expect(
      runConformance({
        target: 'http://127.0.0.1:9',
        apis: ['geonode'],
        allowWrites: false,
        credentials: {},
        timeoutMs: 1000,
        only: ['nothing-matches'],
      }),
    ).rejects.toBeInstanceOf(SelectionError);
  });
});

describe('no silent passes: a target that is not an API the runner checks', () => {
  it('a static web site: one line saying what was found and what was expected, exit 3, nothing checked', async () => {
    const r = await geostub(['conform', '--target', site.url]);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^NOT RECOGNISED: http:\/\/127\.0\.0\.1:\d+ is not GeoNode \(REST API v2\) or a Koordinates catalogue: GET \/api\/v2\/ answered 404 text\/html .*where GeoNode \(REST API v2\) answers 200 with a JSON object.*GET \/services\/api\/v1\/data\/ answered 404 text\/html/,
    );
  });

  it('a site that answers plain text at the API paths is not taken for the API either', async () => {
    const plain = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK'));
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', () => r()));
    try {
      const report = await runConformance({
        target: `http://127.0.0.1:${(plain.address() as AddressInfo).port}`,
        apis: ['geonode', 'koordinates'],
        allowWrites: false,
        credentials: {},
        timeoutMs: 2000,
      });
      expect(report.unrecognised).toMatch(/GET \/api\/v2\/ answered 200 text\/plain "OK"/);
      expect(report.summary.cases).toBe(0);
      expect(exitCode(report)).toBe(3);
    } finally {
      await new Promise((r) => plain.close(r));
    }
  });

  it('a GeoNode that is not also a catalogue: with --api all only its GeoNode cases run, and the report says why', async () => {
    const geonodeOnly = createServer((req, res) => {
      if (req.url === '/api/v2/')
        res
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ resources: 'http://x/api/v2/resources/' }));
      else res.writeHead(404, { 'Content-Type': 'text/html' }).end('<h1>Not Found</h1>');
    });
    await new Promise<void>((r) => geonodeOnly.listen(0, '127.0.0.1', () => r()));
    try {
      const report = await runConformance({
        target: `http://127.0.0.1:${(geonodeOnly.address() as AddressInfo).port}`,
        apis: ['geonode', 'koordinates'],
        allowWrites: false,
        credentials: {},
        timeoutMs: 2000,
        only: ['GET /api/v2/ · request', 'GET /services/api/v1/data/ · request'],
      });
      expect(report.unrecognised).toBeUndefined();
      expect(report.notes).toEqual([
        expect.stringMatching(
          /^not checked as a Koordinates catalogue: GET \/services\/api\/v1\/data\/ answered 404 text\/html/,
        ),
      ]);
      expect(report.cases.map((c) => c.id)).toEqual(['GET /api/v2/ · request']);
      // asked for catalogue cases only: nothing is left to check, and the line names only what the target is not
      const koordinatesOnly = await runConformance({
        target: report.target,
        apis: ['geonode', 'koordinates'],
        allowWrites: false,
        credentials: {},
        timeoutMs: 2000,
        only: ['GET /services/api/v1/data/ · request'],
      });
      expect(koordinatesOnly.unrecognised).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+ is not a Koordinates catalogue: GET \/services\/api\/v1\/data\/ answered 404/,
      );
      expect(exitCode(koordinatesOnly)).toBe(3);
    } finally {
      await new Promise((r) => geonodeOnly.close(r));
    }
  });

  it('a target that refuses connections: one line, exit 3', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const r = await geostub(['conform', '--target', `http://127.0.0.1:${port}`, '--timeout', '2000']);
    expect(r.code).toBe(3);
    expect(r.stdout.trim().split('\n')).toEqual([
      `UNREACHABLE: http://127.0.0.1:${port} cannot be reached: GET /api/v2/ got ECONNREFUSED; nothing was checked.`,
    ]);
  });
});
