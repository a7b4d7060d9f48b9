/**
 * `geostub conform --geonode auto|4|5`: the runner decides which GeoNode release a target runs, says so, checks it
 * against that release's contract, and fails on named checks when told the wrong release.
 */
import { describe, expect, it } from 'vitest';
import { runConformance } from '../src/conformance/runner.js';
import { renderConsole } from '../src/conformance/reporters/console.js';
import { bothProfiles, type TestServer } from './helpers/server.js';

const CREDENTIALS = { user: { name: 'admin', password: 'admin' } };
const servers = bothProfiles({ jobDuration: 10 });

const run = (s: TestServer, geonode: 'auto' | 4 | 5, only: string[], allowWrites = false) =>
  runConformance({
    target: s.url,
    apis: ['geonode'],
    allowWrites,
    credentials: CREDENTIALS,
    timeoutMs: 5000,
    only,
    geonode,
  });

describe('the release a target runs', () => {
  it('auto picks 4 for the seed profile and 5 for the GeoNode 5 profile, and says why', async () => {
    const four = await run(servers.v4, 'auto', ['GET /api/v2/users/ · anonymous']);
    expect(four.geonode).toMatchObject({ release: 4, how: 'auto' });
    expect(four.geonode!.evidence.join(' ')).toMatch(/uploads\/ is 200|users\/ is 403/);
    const five = await run(servers.v5, 'auto', ['GET /api/v2/users/ · anonymous']);
    expect(five.geonode).toMatchObject({ release: 5, how: 'auto' });
    expect(five.geonode!.evidence.join(' ')).toMatch(/uploads\/ is 404/);
    expect(renderConsole(five)).toMatch(/checked as GeoNode 5\.x \(--geonode auto: /);
    expect(five.failures).toEqual([]);
  });

  it('an honest server passes as its own release, read-only and with writes', async () => {
    for (const [s, release] of [
      [servers.v4, 4],
      [servers.v5, 5],
    ] as const) {
      const only = [
        'GET /api/v2/users/ · anonymous',
        'GET /api/v2/executionrequest/',
        'scenario geonode-permissions',
        'scenario geonode-lifecycle-upload',
        'scenario geonode-users',
        'scenario geonode-rights-first',
        'POST /api/v2/datasets/{id}/ · anonymous method',
      ];
      const report = await run(s, release, only, true);
      expect(report.summary.cases, `GeoNode ${release}`).toBeGreaterThan(5);
      expect(report.failures, `GeoNode ${release}`).toEqual([]);
    }
  });

  it('checked as the other release, each profile fails on named checks', async () => {
    // 5 checked as 4: 401 where 403 is documented, executions without source
    const fiveAs4 = await run(
      servers.v5,
      4,
      ['GET /api/v2/users/ · anonymous', 'GET /api/v2/executionrequest/ · request'],
      false,
    );
    const checks5 = new Set(fiveAs4.failures.map((f) => f.check));
    expect(checks5).toContain('auth_required');
    expect(checks5).toContain('response_schema');
    // 4 checked as 5: 403 where 401 + WWW-Authenticate is documented, executions without tasks, no output resources
    const fourAs5 = await run(
      servers.v4,
      5,
      [
        'GET /api/v2/users/ · anonymous',
        'GET /api/v2/executionrequest/ · request',
        'scenario geonode-lifecycle-upload',
      ],
      true,
    );
    const checks4 = new Set(fourAs5.failures.map((f) => f.check));
    expect(checks4).toContain('auth_required');
    expect(checks4).toContain('response_schema');
    expect(checks4).toContain('upload_resources_listed');
  });

  it('scenarios of another release are skipped with the reason', async () => {
    const report = await run(servers.v5, 5, ['scenario geonode-lifecycle-ingest'], true);
    expect(report.cases[0]).toMatchObject({
      status: 'skipped',
      reason: 'GeoNode 4 only; the target is checked as GeoNode 5',
    });
  });
});

describe('the 5.x family scenarios', () => {
  const families = [
    'scenario geonode-metadata-instance',
    'scenario geonode-delete-thumbnail',
    'scenario geonode-auth-challenge',
  ];
  it('pass against profile 5, are skipped against profile 4, and fail on named checks when 4 is checked as 5', async () => {
    const five = await run(servers.v5, 'auto', families, true);
    expect(five.cases.map((c) => c.status)).toEqual(['passed', 'passed', 'passed']);
    const four = await run(servers.v4, 'auto', families, true);
    expect(four.cases.every((c) => c.status === 'skipped')).toBe(true);
    const fourAs5 = await run(servers.v4, 5, families, true);
    const checks = new Set(fourAs5.failures.map((f) => f.check));
    expect(checks).toContain('auth_challenge');
    expect(checks).toContain('metadata_round_trip');
    expect(checks).toContain('thumbnail_deleted');
  });
});
