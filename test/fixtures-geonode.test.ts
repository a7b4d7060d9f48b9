import { describe, it, expect } from 'vitest';
import { ACCOUNTS, generateGeonode } from '../src/fixtures/geonode.js';

type Rec = Record<string, unknown>;

const COLLECTIONS = [
  'users',
  'groups',
  'memberships',
  'tokens',
  'categories',
  'keywords',
  'tkeywords',
  'regions',
  'licenses',
  'resources',
  'maplayers',
  'uploads',
  'upload_size_limits',
  'upload_parallelism_limits',
  'execution_requests',
  'management_jobs',
  'harvesters',
  'harvestable_resources',
  'harvesting_sessions',
  'favorites',
  'ratings',
  'extra_metadata',
  'grants',
  'assets',
];
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

const g = generateGeonode({ seed: 42, scale: 300 });
const resources = g.resources;
const resourcePks = new Set(resources.map((r) => r.pk));
const userPks = new Set(g.users.map((u) => u.pk));
const groupPks = new Set(g.groups.map((x) => x.pk));
const byPk = new Map(resources.map((r) => [r.pk, r]));

function polygonBounds(p: Rec): [number, number, number, number] {
  expect(p.type).toBe('Polygon');
  const ring = (p.coordinates as number[][][])[0];
  expect(ring).toHaveLength(5);
  expect(ring[0]).toEqual(ring[4]);
  const xs = ring.map((c) => c[0]);
  const ys = ring.map((c) => c[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

function hasUndefined(v: unknown): boolean {
  if (v === undefined) return true;
  if (Array.isArray(v)) return v.some(hasUndefined);
  if (v && typeof v === 'object') return Object.values(v).some(hasUndefined);
  return false;
}

describe('generateGeonode', () => {
  it('returns exactly the GeoNode store collections', () => {
    expect(Object.keys(g).sort()).toEqual([...COLLECTIONS].sort());
    expect(resources).toHaveLength(300);
    for (const name of COLLECTIONS) expect(g[name].length, name).toBeGreaterThan(0);
  });

  it('gives every asset link of a resource an asset record, and every asset one linking resource (LinksSerializer extras)', () => {
    const assets = new Map(g.assets.map((a) => [Number(a.pk), a]));
    const linked = new Map<number, number>();
    for (const r of resources) {
      for (const l of r.links as Record<string, unknown>[]) {
        const m = /^\/api\/v2\/assets\/(\d+)\/link$/.exec(String(l.url));
        if (!m) {
          expect(l.extras, String(r.pk)).toBeUndefined();
          continue;
        }
        const a = assets.get(Number(m[1]))!;
        expect(a, l.url as string).toBeDefined();
        expect((a.owner as { pk: unknown }).pk).toBe((r.owner as { pk: unknown }).pk);
        expect(l.extras).toEqual({
          type: 'asset',
          content: {
            title: a.title,
            description: a.description,
            type: a.type,
            download_url: `/api/v2/assets/${String(a.pk)}/download`,
          },
        });
        linked.set(Number(m[1]), (linked.get(Number(m[1])) ?? 0) + 1);
      }
    }
    expect([...linked.keys()].sort((x, y) => x - y)).toEqual([...assets.keys()].sort((x, y) => x - y));
    expect([...linked.values()].every((n) => n === 1)).toBe(true);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = JSON.stringify(generateGeonode({ seed: 42, scale: 300 }));
    const b = JSON.stringify(generateGeonode({ seed: 42, scale: 300 }));
    expect(a).toBe(b);
    expect(a).toBe(JSON.stringify(g));
    expect(JSON.stringify(generateGeonode({ seed: 43, scale: 300 }))).not.toBe(a);
  });

  it('produces plain JSON records', () => {
    expect(hasUndefined(g)).toBe(false);
    expect(JSON.parse(JSON.stringify(g))).toEqual(g);
  });

  it('holds the fixed accounts with their tokens', () => {
    expect(ACCOUNTS.map((a) => [a.username, a.pk, a.role])).toEqual([
      ['admin', 1000, 'superuser'],
      ['staff', 1001, 'staff'],
      ['alice', 1002, 'regular'],
      ['bob', 1003, 'regular'],
    ]);
    for (const a of ACCOUNTS) {
      const u = g.users.find((x) => x.pk === a.pk)!;
      expect(u.username).toBe(a.username);
      expect(u.password).toBe(a.password);
      expect(u.is_superuser).toBe(a.role === 'superuser');
      expect(u.is_staff).toBe(a.role !== 'regular');
      expect(u.link).toBe(`/api/v2/users/${a.pk}`);
      expect(g.tokens).toContainEqual({ token: a.token, user: a.pk });
    }
    expect(g.tokens.find((t) => t.token === 'geostub-admin-token')?.user).toBe(1000);
    expect(new Set(g.users.map((u) => u.username)).size).toBe(g.users.length);
    expect(new Set(g.users.map((u) => u.email)).size).toBe(g.users.length);
    expect(g.users.length).toBeGreaterThanOrEqual(24);
  });

  it('keeps resource pks unique strings and the type mix', () => {
    expect(resourcePks.size).toBe(resources.length);
    for (const r of resources) expect(typeof r.pk).toBe('string');
    const count = (t: string[]) => resources.filter((r) => t.includes(r.resource_type as string)).length;
    expect(count(['dataset'])).toBe(135);
    expect(count(['document'])).toBe(75);
    expect(count(['map'])).toBe(60);
    expect(count(['geostory', 'dashboard'])).toBe(30);
  });

  it('formats datetimes with microseconds', () => {
    for (const r of resources) {
      for (const f of ['created', 'last_updated', 'date']) expect(r[f], f).toMatch(DATETIME);
      expect((r.last_updated as string) > (r.created as string)).toBe(true);
      for (const f of ['temporal_extent_start', 'temporal_extent_end'])
        if (r[f] !== null) expect(r[f]).toMatch(DATETIME);
    }
    for (const e of g.execution_requests) {
      expect(e.created).toMatch(DATETIME);
      if (e.finished !== null) expect(e.finished).toMatch(DATETIME);
    }
    for (const u of g.uploads) expect(u.create_date).toMatch(DATETIME);
  });

  it('stores closed, ordered bbox polygons matching the extent', () => {
    for (const r of resources) {
      const [x0, y0, x1, y1] = polygonBounds(r.ll_bbox_polygon as Rec);
      polygonBounds(r.bbox_polygon as Rec);
      expect(x0).toBeLessThan(x1);
      expect(y0).toBeLessThan(y1);
      expect(x0).toBeGreaterThanOrEqual(-180);
      expect(x1).toBeLessThanOrEqual(180);
      expect(y0).toBeGreaterThanOrEqual(-85);
      expect(y1).toBeLessThanOrEqual(85);
      expect(r.extent).toEqual({ coords: [x0, y0, x1, y1], srid: 'EPSG:4326' });
    }
  });

  it('stores host-relative URLs and no request-dependent fields', () => {
    for (const r of resources) {
      expect(r.link).toBe(`/api/v2/resources/${r.pk}`);
      expect(r.detail_url).toBe(`/catalogue/#/${r.resource_type}/${r.pk}`);
      expect(r).not.toHaveProperty('perms');
      expect(r).not.toHaveProperty('favorite');
      expect(r).not.toHaveProperty('maplayers');
      if (r.resource_type === 'dataset') expect(r.alternate).toBe(`geonode:${r.name}`);
      else expect(r.alternate).toBeNull();
    }
  });

  it('keeps references intact', () => {
    for (const r of resources) {
      const owner = r.owner as Rec;
      expect(userPks.has(owner.pk)).toBe(true);
      for (const role of ['poc', 'metadata_author'])
        for (const u of r[role] as Rec[]) expect(userPks.has(u.pk)).toBe(true);
      if (r.group !== null) expect(groupPks.has((r.group as Rec).pk)).toBe(true);
    }
    const mapPks = new Set(resources.filter((r) => r.resource_type === 'map').map((r) => r.pk));
    for (const l of g.maplayers) {
      expect(mapPks.has(l.map)).toBe(true);
      if (l.dataset !== null) {
        expect(byPk.get(l.dataset)?.resource_type).toBe('dataset');
        expect(l.name).toBe(byPk.get(l.dataset)?.alternate);
      }
    }
    for (const pk of mapPks) expect(g.maplayers.some((l) => l.map === pk)).toBe(true);
    for (const m of g.memberships) {
      expect(groupPks.has(m.group)).toBe(true);
      expect(userPks.has(m.user)).toBe(true);
    }
    expect(g.grants).toHaveLength(resources.length);
    for (const gr of g.grants) {
      const r = byPk.get(gr.resource)!;
      expect(r).toBeDefined();
      const users = gr.users as { id: number; permissions: string }[];
      expect(users).toContainEqual({ id: (r.owner as Rec).pk, permissions: 'owner' });
      for (const u of users) expect(userPks.has(u.id)).toBe(true);
      for (const x of gr.groups as { id: number }[]) expect(groupPks.has(x.id)).toBe(true);
    }
    for (const coll of ['favorites', 'ratings']) {
      for (const f of g[coll]) {
        expect(userPks.has(f.user)).toBe(true);
        expect(resourcePks.has(f.resource)).toBe(true);
      }
    }
    for (const e of g.extra_metadata) expect(resourcePks.has(e.resource)).toBe(true);
    for (const u of g.uploads) {
      expect(userPks.has(u.user)).toBe(true);
      if (u.resource_pk !== null) expect(byPk.get(u.resource_pk)?.resource_type).toBe('dataset');
    }
    for (const e of g.execution_requests) {
      expect(userPks.has(e.user)).toBe(true);
      if (e.geonode_resource !== null) expect(resourcePks.has(String(e.geonode_resource))).toBe(true);
    }
    const harvesterIds = new Set(g.harvesters.map((h) => h.id));
    for (const h of g.harvestable_resources) expect(harvesterIds.has(h.harvester)).toBe(true);
    for (const s of g.harvesting_sessions) expect(harvesterIds.has(s.harvester)).toBe(true);
    const keywordSlugs = new Set(g.keywords.map((k) => k.slug));
    const categoryIds = new Set(g.categories.map((c) => c.identifier));
    const regionCodes = new Set(g.regions.map((x) => x.code));
    const licenseIds = new Set(g.licenses.map((l) => l.identifier));
    for (const r of resources) {
      for (const k of r.keywords as Rec[]) expect(keywordSlugs.has(k.slug)).toBe(true);
      for (const x of r.regions as Rec[]) expect(regionCodes.has(x.code)).toBe(true);
      if (r.category !== null) expect(categoryIds.has((r.category as Rec).identifier)).toBe(true);
      if (r.license !== null) expect(licenseIds.has((r.license as Rec).identifier)).toBe(true);
    }
  });

  it('sets up the account scenarios', () => {
    const owned = (pk: number) => resources.filter((r) => (r.owner as Rec).pk === pk);
    for (const pk of [1000, 1002, 1003]) expect(owned(pk).length).toBeGreaterThanOrEqual(3);
    const grantOf = new Map(g.grants.map((x) => [x.resource, x]));
    const alicePrivate = owned(1002).filter(
      (r) =>
        r.advertised === false &&
        grantOf.get(r.pk)?.anonymous === 'none' &&
        grantOf.get(r.pk)?.registered === 'none' &&
        (grantOf.get(r.pk)?.users as unknown[]).length === 1,
    );
    expect(alicePrivate.length).toBeGreaterThanOrEqual(1);
    const publicCount = g.grants.filter((x) => x.anonymous !== 'none').length;
    expect(publicCount / g.grants.length).toBeGreaterThan(0.7);

    const roleOf = (user: number, access?: string) =>
      g.memberships
        .filter((m) => m.user === user && (!access || g.groups.find((x) => x.pk === m.group)?.access === access))
        .map((m) => m.role);
    expect(roleOf(1002)).toContain('manager');
    expect(roleOf(1002, 'private')).toContain('member');
    expect(roleOf(1003)).toContain('member');
    expect(g.groups.filter((x) => x.access === 'private').length).toBeGreaterThanOrEqual(2);
    for (const grp of g.groups) {
      const ms = g.memberships.filter((m) => m.group === grp.pk);
      expect(ms.filter((m) => m.role === 'manager').length, String(grp.slug)).toBeGreaterThanOrEqual(1);
      expect(ms.filter((m) => m.role === 'member').length, String(grp.slug)).toBeGreaterThanOrEqual(2);
    }
    expect(new Set(g.groups.map((x) => x.slug)).size).toBe(g.groups.length);
    const privateGroups = new Set(g.groups.filter((x) => x.access === 'private').map((x) => x.pk));
    expect(resources.some((r) => r.group !== null && privateGroups.has((r.group as Rec).pk))).toBe(true);
    for (const u of [1002, 1003]) expect(g.favorites.filter((f) => f.user === u).length).toBeGreaterThanOrEqual(3);
  });

  it('keeps lifecycle records consistent', () => {
    const progress: Record<string, number[]> = {
      READY: [0],
      INVALID: [0],
      INCOMPLETE: [0],
      PENDING: [33],
      WAITING: [50],
      RUNNING: [80, 90],
      COMPLETE: [80, 90],
      PROCESSED: [80, 100],
    };
    for (const u of g.uploads) expect(progress[u.state as string]).toContain(u.progress);
    expect(g.uploads.some((u) => u.state === 'PROCESSED')).toBe(true);
    expect(g.uploads.some((u) => u.state !== 'PROCESSED')).toBe(true);
    expect(g.upload_size_limits.map((l) => l.slug)).toEqual([
      'dataset_upload_size',
      'document_upload_size',
      'file_upload_handler',
    ]);
    for (const l of g.upload_size_limits) expect(l.max_size_label).toBe('100.0\u00a0MB');
    expect(g.upload_parallelism_limits).toEqual([
      expect.objectContaining({ slug: 'default_max_parallel_uploads', max_number: 5 }),
    ]);
    for (const e of g.execution_requests) {
      expect(['ready', 'running', 'finished', 'failed']).toContain(e.status);
      expect(e.finished === null).toBe(e.status === 'ready' || e.status === 'running');
      expect(e.link).toBe(`/api/v2/executionrequest/${e.exec_id}`);
    }
    for (const j of g.management_jobs) {
      expect(j.start_time === null).toBe(j.status === 'CREATED' || j.status === 'QUEUED');
      expect(j.end_time === null).toBe(j.status !== 'FINISHED');
      expect(j.user).toBe(1000);
    }
    expect(g.harvesters.filter((h) => h.status === 'ready').length).toBeGreaterThanOrEqual(3);
  });

  it('scales the side collections and stays valid at other sizes', () => {
    for (const scale of [0, 1, 5, 10, 2000]) {
      const x = generateGeonode({ seed: 7, scale });
      expect(x.resources).toHaveLength(scale);
      expect(hasUndefined(x)).toBe(false);
      const pks = new Set(x.resources.map((r) => r.pk));
      for (const l of x.maplayers) if (l.dataset !== null) expect(pks.has(l.dataset)).toBe(true);
      for (const gr of x.grants) expect(pks.has(gr.resource)).toBe(true);
    }
  });
});
