/**
 * The objects the catalogue's URLs point at, and the rules around them: every `url` of a page of `Expand: list`
 * entries and of the detail objects answers 200 with a body valid against the contract (for a key and for an
 * anonymous caller), the list and detailed shapes, visibility, keys and scopes, 301s, and every bad input a 400
 * with a field-keyed body that changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import {
  KoordinatesContract,
  DATA,
  FULL_KEY,
  KEYED,
  LATEST,
  LAYERS_KEY,
  koordinatesOnlyKey,
  getUrl,
  isPublished,
  stored,
} from './helpers/koordinates.js';
import type { KoordinatesItem } from '../src/apis/koordinates/query/types.js';

let s: TestServer;
let contract: KoordinatesContract;
beforeAll(async () => {
  s = await startTestServer();
  contract = await KoordinatesContract.load();
});
afterAll(() => s.close());

const API = '/services/api/v1';
const first = (pred: (i: KoordinatesItem) => boolean) => {
  const hit = stored(s).find(pred);
  if (!hit) throw new Error('no such fixture item');
  return hit;
};

/** The API URLs inside a response: every `url`, the three version links, and a set's `items`. */
function apiUrls(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) apiUrls(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string' && ['url', 'published_version', 'latest_version', 'this_version'].includes(k))
        out.add(v);
      else if (k === 'items' && Array.isArray(v)) for (const u of v) out.add(String(u));
      else apiUrls(v, out);
    }
  }
  return out;
}

/** Follows every API URL reachable from `start` (breadth first); each must be a 200 valid against the contract. */
async function followAll(start: unknown, headers: Record<string, string>): Promise<Set<string>> {
  const seen = new Set<string>();
  const reached = new Set<string>();
  let frontier = [...apiUrls(start)];
  while (frontier.length) {
    const next: string[] = [];
    for (const url of frontier) {
      if (seen.has(url)) continue;
      seen.add(url);
      expect(url.startsWith(`${s.url}${API}/`), url).toBe(true);
      const res = await getUrl(url, headers);
      expect(res.status, `${url}: ${res.text.slice(0, 200)}`).toBe(200);
      expect(contract.problems(url, 200, res.json), url).toEqual([]);
      reached.add(contract.operationId(url)!);
      next.push(...apiUrls(res.json));
    }
    frontier = next;
  }
  return reached;
}

describe('following every url (the catalogue is a web of links a client walks)', () => {
  const DETAIL_OPS = [
    'layerDetail',
    'tableDetail',
    'setDetail',
    'documentDetail',
    'sourceDetail',
    'layerVersionDetail',
    'tableVersionDetail',
    'licenseDetail',
    'groupDetail',
    'userDetail',
  ];

  it('with a key: every url of every Expand: list entry of /data/latest/, and of the objects they lead to', async () => {
    const res = await s.request('GET', `${LATEST}?page_size=1000`, { headers: { ...KEYED, Expand: 'list' }, as: null });
    expect(res.json.length).toBe(stored(s).length);
    const reached = await followAll(res.json, KEYED);
    expect([...reached].sort()).toEqual([...DETAIL_OPS].sort());
  });

  it('anonymously: every url of a public page answers too (sets list only public members)', async () => {
    const res = await s.request('GET', `${DATA}?page_size=1000`, { headers: { Expand: 'list' }, as: null });
    const reached = await followAll(res.json, {});
    expect(reached.has('setDetail')).toBe(true);
    const privateIds = new Set(
      stored(s)
        .filter((i) => !i.public)
        .map((i) => i.id),
    );
    const publicSetWithPrivateMember = first(
      (i) => i.type === 'set' && i.public && (i.items ?? []).some((m) => privateIds.has(m)),
    );
    const anon = await getUrl(`${s.url}${publicSetWithPrivateMember.url}`);
    const keyed = await getUrl(`${s.url}${publicSetWithPrivateMember.url}`, KEYED);
    expect(anon.json.items.length).toBeLessThan(keyed.json.items.length);
  });

  it('versions lists (/layers/{id}/versions/, /tables/{id}/versions/): oldest first, every entry followable', async () => {
    for (const type of ['layer', 'table'] as const) {
      const item = first((i) => i.type === type && i.versions.length > 2);
      const url = `${s.url}${item.url}versions/`;
      const res = await getUrl(url, KEYED);
      expect(res.status).toBe(200);
      expect(contract.problems(url, 200, res.json)).toEqual([]);
      expect(res.json.map((v: { id: number }) => v.id)).toEqual(item.versions.map((v) => v.id));
      for (const v of res.json) {
        const detail = await getUrl(v.url, KEYED);
        expect(detail.status).toBe(200);
        expect(detail.json.this_version).toBe(v.url);
        expect(detail.json.version).toEqual(v);
      }
    }
  });
});

describe('Expand: list and the detail shapes', () => {
  const kinds = (body: any[]) => ({
    layers: body.filter((e) => /\/(layers|tables)\//.test(e.url)),
    documents: body.filter((e) => /\/documents\//.test(e.url)),
    sources: body.filter((e) => /\/sources\//.test(e.url)),
    sets: body.filter((e) => /\/sets\//.test(e.url)),
  });

  it('without Expand, entries have the list shapes; with Expand: list, the detailed shapes', async () => {
    const plain = kinds((await s.request('GET', `${DATA}?page_size=1000`, { headers: KEYED, as: null })).json);
    const expanded = kinds(
      (await s.request('GET', `${DATA}?page_size=1000`, { headers: { ...KEYED, Expand: 'list' }, as: null })).json,
    );
    const shapes: [keyof typeof plain, string, string][] = [
      ['layers', 'LayerListEntry', 'LayerDetail'],
      ['documents', 'DocumentEntry', 'DocumentDetail'],
      ['sources', 'SourceEntry', 'SourceDetail'],
      ['sets', 'SetEntry', 'SetEntry'],
    ];
    for (const [kind, listSchema, detailSchema] of shapes) {
      expect(plain[kind].length, kind).toBeGreaterThan(0);
      for (const e of plain[kind]) expect(contract.schemaProblems(listSchema, e), `${kind} ${e.id}`).toEqual([]);
      for (const e of expanded[kind]) expect(contract.schemaProblems(detailSchema, e), `${kind} ${e.id}`).toEqual([]);
    }
    expect(Object.keys(plain.layers[0]).sort()).toEqual([
      'first_published_at',
      'id',
      'name',
      'published_at',
      'title',
      'type',
      'url',
    ]);
    for (const e of plain.layers) expect(e).not.toHaveProperty('data');
    for (const e of expanded.layers) expect(e.data === null || typeof e.data === 'object').toBe(true);
    for (const e of plain.sources) expect(e).not.toHaveProperty('options');
  });

  it('an expanded /data/ entry is the detail object its url answers', async () => {
    const body = (
      await s.request('GET', `${DATA}?page_size=40&sort=popularity`, {
        headers: { ...KEYED, Expand: 'list' },
        as: null,
      })
    ).json;
    for (const e of body) expect((await getUrl(e.url, KEYED)).json, e.url).toEqual(e);
  });

  it('list.* sub-expansions expand too (Expand: list,list.publisher); a detail expansion alone does not', async () => {
    const sub = await s.request('GET', `${DATA}?kind=vector&page_size=3`, {
      headers: { ...KEYED, Expand: 'list,list.publisher' },
      as: null,
    });
    for (const e of sub.json) expect(e).toHaveProperty('data');
    const other = await s.request('GET', `${DATA}?kind=vector&page_size=3`, {
      headers: { ...KEYED, Expand: 'permissions' },
      as: null,
    });
    for (const e of other.json) expect(e).not.toHaveProperty('data');
  });

  it('a layer detail: objects where the client reads objects, dates where it parses dates', async () => {
    const layer = first(
      (i) => i.type === 'layer' && i.license != null && i.group != null && !!i.collected_at && isPublished(i),
    );
    const res = await getUrl(`${s.url}${layer.url}`, KEYED);
    const d = res.json;
    for (const k of ['group', 'data', 'version', 'license']) expect(typeof d[k], k).toBe('object');
    expect(d.collected_at).toHaveLength(2);
    for (const [k, v] of Object.entries(d))
      if (k.endsWith('_at') && typeof v === 'string') expect(Number.isNaN(Date.parse(v)), k).toBe(false);
    const published = layer.versions.find((v) => v.published)!;
    expect(d.this_version).toBe(`${s.url}${layer.url}versions/${published.id}/`);
    expect(d.latest_version).toBe(`${s.url}${layer.url}versions/${layer.versions.at(-1)!.id}/`);
  });

  it('a never-published layer shows its latest version; /data/latest/ entries show the latest version', async () => {
    const draft = first((i) => i.type === 'layer' && !isPublished(i));
    const d = (await getUrl(`${s.url}${draft.url}`, KEYED)).json;
    expect(d.published_version).toBeNull();
    expect(d.this_version).toBe(d.latest_version);
    const both = first((i) => i.type === 'layer' && isPublished(i) && !i.versions.at(-1)!.published);
    const latest = await s.request('GET', `${LATEST}?page_size=1000`, {
      headers: { ...KEYED, Expand: 'list' },
      as: null,
    });
    const entry = latest.json.find((e: { id: number }) => e.id === both.id);
    expect(entry.this_version).toBe(entry.latest_version);
    expect(entry.this_version).not.toBe(entry.published_version);
  });

  it('licenses, groups and users have their own shapes', async () => {
    const license = await getUrl(`${s.url}${API}/licenses/5/`, KEYED);
    expect(license.json).toMatchObject({
      id: 5,
      type: 'cc-by',
      jurisdiction: 'nz',
      version: '3.0',
      url: `${s.url}${API}/licenses/5/`,
    });
    expect(license.json.url_fulltext).toMatch(/^https:\/\/creativecommons\.org\//);
    const group = await getUrl(`${s.url}${API}/groups/1/`);
    expect(Object.keys(group.json).sort()).toEqual(['country', 'id', 'name', 'url']);
    const user = await getUrl(`${s.url}${API}/users/1/`);
    expect(Object.keys(user.json).sort()).toEqual(['country', 'first_name', 'id', 'last_name', 'url']);
    expect(JSON.stringify(user.json)).not.toContain('@'); // no e-mail address
  });

  it('unknown ids, an id of another kind and an unknown version are 404 {"error": …}', async () => {
    const layer = first((i) => i.type === 'layer');
    for (const path of [
      `${API}/layers/999999/`,
      `${API}/tables/${layer.id}/`,
      `${API}/sets/${layer.id}/`,
      `${layer.url}versions/99999/`,
      `${API}/licenses/999/`,
      `${API}/groups/999/`,
      `${API}/users/999/`,
      `${API}/documents/abc/`,
    ]) {
      const res = await s.request('GET', path, { headers: KEYED, as: null });
      expect(res.status, path).toBe(404);
      expect(res.json, path).toEqual({ error: 'Not found.' });
    }
  });
});

describe('keys, scopes and visibility', () => {
  const hidden = () => first((i) => i.type === 'layer' && !i.public && isPublished(i));

  it('anonymous callers get 404 for a non-public item; a key sees it (header or ?key=)', async () => {
    const item = hidden();
    expect((await s.request('GET', item.url, { as: null })).status).toBe(404);
    expect((await s.request('GET', item.url, { headers: KEYED, as: null })).status).toBe(200);
    expect((await s.request('GET', `${item.url}?key=${FULL_KEY}`, { as: null })).status).toBe(200);
    const anonList = await s.request('GET', `${DATA}?page_size=1000`, { as: null });
    expect(anonList.json.some((e: { id: number }) => e.id === item.id)).toBe(false);
  });

  it('an invalid key is 401 {"error": …}, in the header or the query, on lists and details', async () => {
    for (const [path, headers] of [
      [DATA, { Authorization: 'key not0a0real0key0000000000000000' }],
      [`${DATA}?key=not0a0real0key0000000000000000`, {}],
      [`${API}/layers/${first((i) => i.type === 'layer' && i.public).id}/`, { Authorization: 'key wrong' }],
      [`${API}/licenses/1/?key=wrong`, {}],
    ] as [string, Record<string, string>][]) {
      const res = await s.request('GET', path, { headers, as: null });
      expect(res.status, path).toBe(401);
      expect(contract.problems(path, 401, res.json), path).toEqual([]);
      expect(res.json.error).toMatch(/key/i);
    }
  });

  it('scopes: the catalogue needs `catalog`; a detail needs `catalog` or its own read scope; licenses none', async () => {
    const set = first((i) => i.type === 'set' && i.public);
    const doc = first((i) => i.type === 'document' && i.public);
    const source = first((i) => i.type === 'source' && i.public);
    const layer = first((i) => i.type === 'layer' && i.public);
    const table = first((i) => i.type === 'table' && i.public);
    const as = (key: string, path: string) =>
      s.request('GET', path, { headers: { Authorization: `key ${key}` }, as: null });
    for (const path of [DATA, LATEST, set.url, doc.url, source.url]) {
      const res = await as(LAYERS_KEY, path);
      expect(res.status, path).toBe(403);
      expect(contract.problems(path, 403, res.json), path).toEqual([]);
      expect(res.json.error).toMatch(/catalog/);
    }
    for (const path of [layer.url, table.url, `${layer.url}versions/`, `${API}/licenses/1/`, `${API}/groups/1/`]) {
      expect((await as(LAYERS_KEY, path)).status, path).toBe(200);
    }
    for (const path of [DATA, LATEST, set.url, doc.url, source.url, layer.url, table.url]) {
      expect((await as(koordinatesOnlyKey(s), path)).status, path).toBe(200);
    }
  });
});

describe('trailing slashes', () => {
  it('a URL without its slash is a 301 to the slashed URL with the query kept; the target answers', async () => {
    const layer = first((i) => i.type === 'layer' && i.public);
    for (const path of [
      `${API}/data/latest?version.status=ok&kind=vector&kind=raster`,
      `${API}/data?updated_at.after=2015-01-01T00:00:00&key=${FULL_KEY}`,
      `${API}/layers/${layer.id}`,
      `${API}/licenses/5?format=json`,
    ]) {
      const res = await s.request('GET', path, { as: null });
      expect(res.status, path).toBe(301);
      const [p, q] = path.split('?');
      const location = res.headers.get('location')!;
      expect(location, path).toBe(`${p}/${q ? `?${q}` : ''}`);
      expect((await s.request('GET', location, { as: null })).status, location).toBe(200);
    }
  });
});

describe('bad input: 400 with a field-keyed body, nothing else changes', () => {
  const snapshot = () =>
    JSON.stringify(
      ['kx_items', 'kx_groups', 'kx_licenses', 'kx_users', 'kx_keys'].map((n) => s.store.collection(n).list()),
    );

  it('each invalid value names its parameter', async () => {
    const before = snapshot();
    const cases: [string, string[]][] = [
      [`${DATA}?kind=bogus`, ['kind']],
      [`${DATA}?kind=vector&kind=bogus`, ['kind']],
      [`${DATA}?created_at.before=yesterday`, ['created_at.before']],
      [`${DATA}?updated_at.after=2020-13-01`, ['updated_at.after']],
      [`${DATA}?created_at.after=2023-02-30T00:00:00Z`, ['created_at.after']],
      [`${DATA}?license.type=cc-xx`, ['license.type']],
      [`${DATA}?license.type=gpl`, ['license.type']],
      [`${DATA}?sort=random`, ['sort']],
      [`${DATA}?sort=title`, ['sort']],
      [`${DATA}?page=0`, ['page']],
      [`${DATA}?page=abc`, ['page']],
      [`${DATA}?page_size=0`, ['page_size']],
      [`${DATA}?page_size=1001`, ['page_size']],
      [`${DATA}?public=yes`, ['public']],
      [`${DATA}?group=abc`, ['group']],
      [`${DATA}?license=maybe`, ['license']],
      [`${DATA}?license.jurisdiction=nzl`, ['license.jurisdiction']],
      [`${DATA}?license.version=3.00`, ['license.version']],
      [`${DATA}?version.status=ok`, ['version.status']],
      [`${LATEST}?version.status=bogus`, ['version.status']],
      [`${DATA}?kind=bogus&sort=random&page=0&public=True`, ['kind', 'page', 'sort']],
    ];
    for (const [path, fields] of cases) {
      for (const headers of [KEYED, {}]) {
        const res = await s.request('GET', path, { headers, as: null });
        expect(res.status, path).toBe(400);
        expect(Object.keys(res.json).sort(), path).toEqual(fields);
        expect(contract.problems(path, 400, res.json), path).toEqual([]);
        for (const f of fields) expect(res.json[f][0].length, `${path} ${f}`).toBeGreaterThan(10);
      }
    }
    expect((await s.request('GET', `${DATA}?kind=bogus`, { as: null })).json.kind[0]).toContain('bogus');
    expect(snapshot()).toBe(before);
    const ok = await s.request('GET', `${DATA}?kind=vector`, { headers: KEYED, as: null });
    expect(ok.status).toBe(200);
  });
});

describe('python-koordinates get_published / get_draft (koordinates/layers.py: VERSION GET published, draft)', () => {
  it('/layers/{id}/versions/published/ and /draft/ answer the layer as of that version, and 404 when there is none', async () => {
    const both = first((i) => i.type === 'layer' && isPublished(i) && !i.versions.at(-1)!.published);
    const base = `${s.url}${both.url}versions/`;
    const published = await getUrl(`${base}published/`, KEYED);
    expect(published.status).toBe(200);
    expect(published.json.this_version).toBe(`${base}${both.versions.find((v) => v.published)!.id}/`);
    const draft = await getUrl(`${base}draft/`, KEYED);
    expect(draft.status).toBe(200);
    expect(draft.json.this_version).toBe(`${base}${both.versions.at(-1)!.id}/`);
    // the version list the version objects point at
    const list = await getUrl(base, KEYED);
    expect(list.json.map((v: { url: string }) => v.url)).toContain(draft.json.this_version);
    const current = first((i) => i.type === 'layer' && isPublished(i) && i.versions.at(-1)!.published);
    expect((await getUrl(`${s.url}${current.url}versions/draft/`, KEYED)).status).toBe(404);
    const never = first((i) => i.type === 'layer' && !isPublished(i));
    expect((await getUrl(`${s.url}${never.url}versions/published/`, KEYED)).status).toBe(404);
    expect((await getUrl(`${s.url}${never.url}versions/draft/`, KEYED)).status).toBe(200);
  });
});
