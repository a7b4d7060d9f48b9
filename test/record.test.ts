/** Record from the mock, serve the recording, compare what a client sees. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGeostub, type Geostub } from '../src/index.js';
import { recordFixtures, describeReport, type RecordingReport } from '../src/recording/index.js';

const LIMIT = 30;
const get = async (g: Geostub, path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(g.url + path, { headers });
  return { status: res.status, json: await res.json(), headers: res.headers };
};
/** A body with the server's origin taken out and people's identities dropped (they are pseudonymised). */
const PEOPLE = new Set([
  'user',
  'owner',
  'poc',
  'metadata_author',
  'processor',
  'publisher',
  'custodian',
  'distributor',
  'resource_user',
  'resource_provider',
  'originator',
  'principal_investigator',
]);
function comparable(body: unknown, origin: string, recorded?: Set<string>): unknown {
  const out = JSON.stringify(body, (k, v) => {
    if (PEOPLE.has(k)) return undefined;
    // a set's members and a map layer's dataset beyond --limit are not in the recording
    if (k === 'items' && Array.isArray(v) && recorded)
      return v.filter((u) => recorded.has(String(/(\d+)\/$/.exec(String(u))?.[1])));
    if (k === 'dataset' && v && typeof v === 'object' && recorded && !recorded.has(String(v.pk))) return null;
    return v;
  });
  return JSON.parse(out.split(origin).join('ORIGIN'));
}

describe('geostub record', () => {
  let source: Geostub;
  let replay: Geostub;
  let dir: string;
  let report: RecordingReport;
  const lines: string[] = [];

  beforeAll(async () => {
    source = await startGeostub();
    dir = await mkdtemp(join(tmpdir(), 'geostub-record-'));
    report = await recordFixtures({
      from: source.url,
      out: dir,
      limit: LIMIT,
      paceMs: 0,
      progress: (l) => lines.push(l),
    });
    replay = await startGeostub({ fixtures: dir });
  }, 60_000);
  afterAll(async () => {
    await Promise.all([source?.close(), replay?.close()]);
  });

  it('writes a fixtures directory in the seed format, and says what it read and what it could not', async () => {
    const head = (await readFile(join(dir, 'geonode.json'), 'utf8')).split('\n')[0];
    expect(JSON.parse(`${head}}}`)).toMatchObject({
      generator: 'geostub record',
      seed: 42,
      scale: LIMIT,
      source: source.url,
    });
    expect(report.counts.resources).toBe(LIMIT);
    expect(report.counts.kx_items).toBe(LIMIT);
    expect(report.counts.groups).toBeGreaterThan(0);
    expect(report.unreadable.map((u) => `${u.what} ${u.status}`)).toContain('users 403');
    const text = describeReport(report).join('\n');
    expect(text).toMatch(/wrote .*geonode\.json.*koordinates\.json after \d+ requests: users \d+/);
    expect(text).toMatch(/not recorded:\n {2}users: needs a login/);
    expect(lines.some((l) => /GeoNode: \d+ resources listed/.test(l))).toBe(true);
  });

  it('serves the same GeoNode lists and details as the server it was recorded from', async () => {
    const path = `/api/v2/resources/?page_size=${LIMIT}`;
    const [a, b] = [await get(source, path), await get(replay, path)];
    expect(b.json.total).toBe(LIMIT);
    expect(b.json.resources.map((r: { pk: string; title: string }) => `${r.pk} ${r.title}`)).toEqual(
      a.json.resources.map((r: { pk: string; title: string }) => `${r.pk} ${r.title}`),
    );
    for (const type of ['dataset', 'document', 'map']) {
      const item = a.json.resources.find((r: { resource_type: string }) => r.resource_type === type);
      if (!item) continue;
      const detail = `/api/v2/${type}s/${item.pk}/`;
      const [x, y] = [await get(source, detail), await get(replay, detail)];
      const recorded = new Set(
        replay.store
          .collection('resources')
          .list()
          .map((r) => String(r.pk)),
      );
      expect(comparable(y.json, replay.url, recorded), detail).toEqual(comparable(x.json, source.url, recorded));
    }
    const cats = '/api/v2/categories/?page_size=100';
    expect((await get(replay, cats)).json.categories.map((c: { identifier: string }) => c.identifier)).toEqual(
      (await get(source, cats)).json.categories.map((c: { identifier: string }) => c.identifier),
    );
  });

  it('serves the same catalogue lists, in the stored order and sorted by popularity', async () => {
    for (const path of [
      `/services/api/v1/data/latest/?page_size=${LIMIT}`,
      '/services/api/v1/data/latest/?sort=popularity&page_size=500',
    ]) {
      const [a, b] = [await get(source, path, { Expand: 'list' }), await get(replay, path, { Expand: 'list' })];
      const recorded = new Set<string>(b.json.map((i: { id: number }) => String(i.id)));
      const strip = (list: unknown[], origin: string) =>
        list.filter((i) => recorded.has(String((i as { id: number }).id))).map((i) => comparable(i, origin, recorded));
      expect(b.json.length).toBeGreaterThan(0);
      expect(strip(b.json, replay.url), path).toEqual(strip(a.json, source.url));
    }
  });

  it("replaces people's names and emails with faker values, and keeps geostub's logins working", async () => {
    const text = await readFile(join(dir, 'geonode.json'), 'utf8');
    const realPeople = source.store
      .collection('users')
      .list()
      .filter((u) => Number(u.pk) > 1003);
    const recorded = (
      await get(replay, '/api/v2/users/?page_size=1000', {
        Authorization: 'Basic ' + Buffer.from('admin:admin').toString('base64'),
      })
    ).json.users;
    expect(recorded.length).toBeGreaterThan(4);
    for (const u of realPeople) {
      expect(text).not.toContain(`"${String(u.email)}"`);
      expect(text).not.toContain(`"username":"${String(u.username)}"`);
    }
    const koordinates = await readFile(join(dir, 'koordinates.json'), 'utf8');
    const keyOwners = new Set(
      source.store
        .collection('kx_keys')
        .list()
        .map((k) => k.user),
    );
    for (const u of source.store.collection('kx_users').list())
      if (!keyOwners.has(u.id)) expect(koordinates).not.toContain(String(u.email));
    expect(
      (
        await get(replay, '/services/api/v1/data/?page_size=1', {
          Authorization: 'key geostub0koordinates0api0key00001',
        })
      ).status,
    ).toBe(200);
  });

  it('refuses a bad --from or --limit', async () => {
    await expect(recordFixtures({ from: 'nowhere', out: dir })).rejects.toThrow();
    await expect(recordFixtures({ from: source.url, out: dir, limit: 0 })).rejects.toThrow(
      /--limit must be a positive whole number/,
    );
  });
});
