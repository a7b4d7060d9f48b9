import { describe, expect, it } from 'vitest';
import {
  generateKoordinates,
  KOORDINATES_API_KEY,
  KOORDINATES_LIMITED_API_KEY,
  KOORDINATES_REFERENCE_DATE,
} from '../src/fixtures/koordinates.js';
import {
  KOORDINATES_KINDS,
  ITEM_TYPES,
  LAYER_KINDS,
  SOURCE_KINDS,
  VERSION_STATUSES,
  type KoordinatesItem,
} from '../src/apis/koordinates/query/types.js';

const fx = generateKoordinates({ seed: 42, scale: 300 });
const items = fx.kx_items;

describe('generateKoordinates: determinism', () => {
  it('same seed and scale give identical JSON', () => {
    expect(JSON.stringify(generateKoordinates({ seed: 42, scale: 300 }))).toBe(JSON.stringify(fx));
  });
  it('another seed gives different data', () => {
    expect(JSON.stringify(generateKoordinates({ seed: 43, scale: 300 }))).not.toBe(JSON.stringify(fx));
  });
  it('a fixed reference date bounds every timestamp (no clock)', () => {
    const ref = Date.parse(KOORDINATES_REFERENCE_DATE);
    for (const it of items) {
      for (const t of [
        it.created_at,
        it.updated_at,
        it.first_published_at,
        it.published_at,
        ...it.versions.map((v) => v.created_at),
      ]) {
        if (t !== null) expect(Date.parse(t)).toBeLessThan(ref);
      }
    }
  });
  it('scale is the number of items; scale 0 is empty', () => {
    expect(items).toHaveLength(300);
    expect(generateKoordinates({ seed: 1, scale: 0 }).kx_items).toEqual([]);
  });
});

describe('generateKoordinates: integrity', () => {
  const groupIds = new Set(fx.kx_groups.map((g) => g.id));
  const licenseIds = new Set(fx.kx_licenses.map((l) => l.id));
  const userIds = new Set(fx.kx_users.map((u) => u.id));
  const byId = new Map(items.map((i) => [i.id, i]));

  it('item ids and version ids are unique integers', () => {
    expect(byId.size).toBe(items.length);
    const vids = items.flatMap((i) => i.versions.map((v) => v.id));
    expect(new Set(vids).size).toBe(vids.length);
    for (const id of [...byId.keys(), ...vids]) expect(Number.isInteger(id)).toBe(true);
  });
  it('group, license and user references exist', () => {
    for (const it of items) {
      if (it.group !== null) expect(groupIds.has(it.group)).toBe(true);
      if (it.license !== null) expect(licenseIds.has(it.license)).toBe(true);
      if (it.user !== null) expect(userIds.has(it.user)).toBe(true);
      for (const v of it.versions) expect(userIds.has(v.created_by)).toBe(true);
    }
    for (const k of fx.kx_keys) expect(userIds.has(k.user)).toBe(true);
  });
  it('set items exist and are not sets', () => {
    const sets = items.filter((i) => i.type === 'set');
    expect(sets.some((s) => (s.items ?? []).length > 0)).toBe(true);
    for (const s of sets) {
      for (const id of s.items ?? []) {
        expect(byId.has(id)).toBe(true);
        expect(byId.get(id)!.type).not.toBe('set');
      }
    }
  });
  it('at most one published version; publication dates agree with it', () => {
    for (const it of items) {
      const published = it.versions.filter((v) => v.published);
      expect(published.length).toBeLessThanOrEqual(1);
      if (published.length && it.type === 'document' && it.published_at === null) {
        // as test.koordinates.com lists document 8092 in /data/ (python-client tests/response_data/catalog.py)
        expect(it.first_published_at).toBeNull();
      } else if (published.length) {
        expect(published[0].status).toBe('ok');
        expect(it.published_at).not.toBeNull();
        expect(it.first_published_at! <= it.published_at!).toBe(true);
      } else {
        expect(it.published_at).toBeNull();
        expect(it.first_published_at).toBeNull();
      }
      expect(it.created_at <= it.updated_at).toBe(true);
    }
  });
  it('urls are host-relative API paths matching the type', () => {
    const plural: Record<KoordinatesItem['type'], string> = {
      layer: 'layers',
      table: 'tables',
      set: 'sets',
      document: 'documents',
      source: 'sources',
    };
    for (const it of items) expect(it.url).toBe(`/services/api/v1/${plural[it.type]}/${it.id}/`);
    for (const g of fx.kx_groups) expect(g.url).toBe(`/services/api/v1/groups/${g.id}/`);
    for (const l of fx.kx_licenses) expect(l.url).toBe(`/services/api/v1/licenses/${l.id}/`);
  });
  it('layers and tables carry data; documents a file; sources options', () => {
    for (const it of items) {
      if (it.type === 'layer' || it.type === 'table') {
        expect(it.data).toMatchObject({ fields: expect.any(Array) });
        expect(it.collected_at).toHaveLength(2);
        if (it.type === 'layer') expect(it.data!.extent!.type).toBe('Polygon');
        else expect(it.data!.extent).toBeNull();
      }
      if (it.type === 'document') {
        expect(typeof it.extension).toBe('string');
        expect(it.file_size).toBeGreaterThan(0);
      }
      if (it.type === 'source') expect(it.options).toBeTypeOf('object');
    }
  });
});

describe('generateKoordinates: coverage at scale 300', () => {
  it('every type and kind is present', () => {
    for (const t of ITEM_TYPES)
      expect(
        items.some((i) => i.type === t),
        t,
      ).toBe(true);
    for (const k of KOORDINATES_KINDS)
      expect(
        items.some((i) => i.kind === k),
        k,
      ).toBe(true);
    for (const k of LAYER_KINDS) expect(items.some((i) => i.type === 'layer' && i.kind === k)).toBe(true);
    for (const k of SOURCE_KINDS) expect(items.some((i) => i.type === 'source' && i.kind === k)).toBe(true);
  });
  it('every latest-version status is present, published or not', () => {
    for (const s of VERSION_STATUSES) {
      expect(
        items.some((i) => i.versions.at(-1)!.status === s),
        s,
      ).toBe(true);
      expect(items.some((i) => i.versions.at(-1)!.status === s && !i.versions.some((v) => v.published))).toBe(true);
    }
  });
  it('has unpublished items and items with a newer unpublished version', () => {
    expect(items.some((i) => !i.versions.some((v) => v.published))).toBe(true);
    expect(items.some((i) => i.versions.some((v) => v.published) && !i.versions.at(-1)!.published)).toBe(true);
  });
  it('has the shapes the real API answers with (python-client tests/response_data): title or name alone, a published document without dates', () => {
    const shownPublic = items.filter((i) => i.public && i.versions.some((v) => v.published));
    const layers = shownPublic.filter((i) => i.type === 'layer' || i.type === 'table');
    expect(layers.filter((i) => i.title !== undefined && i.name === undefined).length).toBeGreaterThanOrEqual(2);
    expect(layers.filter((i) => i.name !== undefined && i.title === undefined).length).toBeGreaterThanOrEqual(2);
    expect(layers.filter((i) => i.name !== undefined && i.title !== undefined).length).toBeGreaterThan(
      layers.length / 2,
    );
    for (const i of items) expect(i.name ?? i.title, `item ${i.id} has a display name`).toBeTypeOf('string');
    const undated = shownPublic.filter(
      (i) => i.type === 'document' && i.published_at === null && i.first_published_at === null,
    );
    expect(undated.length).toBeGreaterThanOrEqual(2);
    // the coverage combinations at the start are untouched
    for (const i of items.slice(0, 13))
      expect(
        [i.name, i.title].every((n) => typeof n === 'string'),
        `item ${i.id}`,
      ).toBe(true);
  });
  it('has public and private items, licensed and unlicensed, grouped and not', () => {
    expect(new Set(items.map((i) => i.public))).toEqual(new Set([true, false]));
    expect(items.some((i) => i.license === null) && items.some((i) => i.license !== null)).toBe(true);
    expect(items.some((i) => i.group === null) && items.some((i) => i.group !== null)).toBe(true);
  });
  it('licenses cover the documented types, jurisdictions and versions', () => {
    const types = new Set(fx.kx_licenses.map((l) => l.type));
    for (const t of ['public-domain', 'custom', 'commercial', 'cc-by', 'cc-by-nc', 'cc-by-sa', 'cc-by-nc-nd'])
      expect(types.has(t), t).toBe(true);
    expect(new Set(fx.kx_licenses.map((l) => l.jurisdiction))).toEqual(new Set(['', 'nz', 'au']));
    expect(new Set(fx.kx_licenses.map((l) => l.version))).toEqual(new Set([null, '3.0', '4.0']));
  });
  it('categories and geotags are slug paths', () => {
    expect(items.some((i) => i.categories.some((c) => c.slug === 'topographic/elevation'))).toBe(true);
    for (const i of items) {
      for (const c of i.categories) expect(c.slug).toMatch(/^[a-z0-9-]+(\/[a-z0-9-]+)*$/);
      for (const g of i.geotags) expect(g).toMatch(/^global(\/[a-z0-9-]+)+$/);
    }
  });
});

describe('API keys', () => {
  it('the fixed keys are 32 characters and belong to users', () => {
    expect(KOORDINATES_API_KEY).toHaveLength(32);
    expect(KOORDINATES_LIMITED_API_KEY).toHaveLength(32);
    const key = fx.kx_keys.find((k) => k.key === KOORDINATES_API_KEY)!;
    expect(key.scopes).toContain('catalog');
    expect(fx.kx_users.some((u) => u.id === key.user)).toBe(true);
    expect(fx.kx_keys.find((k) => k.key === KOORDINATES_LIMITED_API_KEY)!.scopes).not.toContain('catalog');
    for (const k of fx.kx_keys) expect(k.key).toHaveLength(32);
    expect(new Set(fx.kx_keys.map((k) => k.key)).size).toBe(fx.kx_keys.length);
  });
});

describe('scale', () => {
  // its speed is not asserted against a clock (tests count, they do not time); the timeout only ends a hang
  it('generates 100,000 items with distinct ids', { timeout: 60_000, tags: ['slow'] }, () => {
    const big = generateKoordinates({ seed: 7, scale: 100_000 });
    expect(big.kx_items).toHaveLength(100_000);
    expect(new Set(big.kx_items.map((i) => i.id)).size).toBe(100_000);
  });
});
