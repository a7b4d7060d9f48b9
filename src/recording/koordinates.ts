/**
 * Recording a live Koordinates catalogue into geostub's catalogue collections: the items of `/data/latest/` (with
 * `Expand: list`, so each comes in its detailed shape), each layer's and table's versions, the licenses, groups and
 * users the items point at. The stored order is the catalogue's own order, and `popularity` (never sent) is
 * rebuilt from the `sort=popularity` order, so both orders come out the same when the recording is served.
 */
import type { StoredRecord } from '../store/index.js';
import type { RecordingContext } from './geonode.js';

type Rec = StoredRecord;
const isObj = (v: unknown): v is Rec => !!v && typeof v === 'object' && !Array.isArray(v);
/** the popularity order is read this many pages of 100 deep; items past it sort last */
const POPULARITY_PAGES = 10;
const TYPE_OF: Record<string, string> = {
  layers: 'layer',
  tables: 'table',
  sets: 'set',
  documents: 'document',
  sources: 'source',
};
const idIn = (url: unknown, after = ''): number | null => {
  const m = typeof url === 'string' ? new RegExp(`${after}/(\\d+)/?$`).exec(url) : null;
  return m ? Number(m[1]) : null;
};

/** Walk a catalogue list (bare arrays; `X-Resource-Range: 0-100/242` or a `rel="page-next"` link says there is more) up to `max` items. */
async function walkKoordinates(
  ctx: RecordingContext,
  what: string,
  path: string,
  max: number,
  headers: Record<string, string> = {},
): Promise<Rec[]> {
  const out: Rec[] = [];
  const size = Math.max(1, Math.min(max, 100));
  for (let page = 1; out.length < max && !ctx.http.exhausted; page++) {
    const got = await ctx.http.get(
      what,
      `${path}${path.includes('?') ? '&' : '?'}page=${page}&page_size=${size}`,
      headers,
    );
    if (!got || !Array.isArray(got.json)) break;
    const items = got.json.filter(isObj);
    out.push(...items.slice(0, max - out.length));
    const range = /(\d+)-(\d+)\/(\d+)/.exec(got.headers.get('x-resource-range') ?? '');
    const more = range
      ? Number(range[2]) < Number(range[3])
      : /rel="?(page-)?next"?/.test(got.headers.get('link') ?? '');
    if (items.length < size || !more) break;
  }
  return out;
}

export async function recordKoordinates(ctx: RecordingContext): Promise<Record<string, Rec[]>> {
  const rel = (v: unknown) => (typeof v === 'string' ? ctx.http.relative(v) : (v ?? null));
  let listed = await walkKoordinates(ctx, 'catalogue items', '/services/api/v1/data/latest/', ctx.limit, {
    Expand: 'list',
  });
  if (!listed.length)
    listed = await walkKoordinates(ctx, 'catalogue items', '/services/api/v1/data/', ctx.limit, { Expand: 'list' });
  if (!listed.length) {
    ctx.progress('Koordinates: no catalogue at /services/api/v1/data/ (recording GeoNode only)');
    return {};
  }
  ctx.progress(`Koordinates: ${listed.length} catalogue items listed; reading versions and licenses`);
  const ranked = await walkKoordinates(
    ctx,
    'the popularity order',
    '/services/api/v1/data/latest/?sort=popularity',
    POPULARITY_PAGES * 100,
  );
  const rank = new Map(ranked.map((x, i) => [Number(x.id), ranked.length - i]));
  const groups = new Map<number, Rec>();
  const users = new Map<number, Rec>();
  const licenses = new Map<number, Rec>();
  const owner = (v: unknown) => {
    if (!isObj(v) || typeof v.id !== 'number') return null;
    if ('first_name' in v || 'last_name' in v) {
      const fake = ctx.people.person(`koordinates:${v.id}`);
      users.set(v.id, {
        id: v.id,
        first_name: fake.first_name,
        last_name: fake.last_name,
        email: fake.email,
        country: v.country ?? '',
        url: rel(v.url) ?? `/services/api/v1/users/${v.id}/`,
      });
    } else
      groups.set(v.id, {
        id: v.id,
        name: v.name ?? '',
        country: v.country ?? '',
        url: rel(v.url) ?? `/services/api/v1/groups/${v.id}/`,
      });
    return v.id;
  };
  const items: Rec[] = [];
  for (const x of listed) {
    const id = Number(x.id);
    const url = String(rel(x.url) ?? '');
    const type = TYPE_OF[/\/services\/api\/v1\/([a-z]+)\//.exec(url)?.[1] ?? ''] ?? 'layer';
    const lic = isObj(x.license) && typeof x.license.id === 'number' ? x.license.id : null;
    if (lic !== null && !licenses.has(lic)) licenses.set(lic, x.license as Rec);
    const m = isObj(x.metadata) ? x.metadata : null;
    const rec: Rec = {
      id,
      type,
      kind:
        type === 'layer' || type === 'table'
          ? (x.kind ?? (type === 'table' ? 'table' : 'vector'))
          : type === 'source'
            ? (x.type ?? 'info')
            : null,
      // the display name as the server sent it: `name`, `title` or both (a real layer may carry one alone)
      ...(x.name != null ? { name: String(x.name) } : {}),
      ...(x.title != null || x.name == null ? { title: String(x.title ?? '') } : {}),
      public: true,
      group: owner(x.group),
      user: owner(x.user),
      license: lic,
      categories: Array.isArray(x.categories) ? x.categories : [],
      geotags: [],
      tags: Array.isArray(x.tags) ? x.tags : [],
      description: x.description ?? '',
      description_html: x.description_html ?? '',
      created_at: x.created_at ?? x.first_published_at ?? null,
      updated_at: x.updated_at ?? x.created_at ?? null,
      first_published_at: x.first_published_at ?? null,
      published_at: x.published_at ?? null,
      popularity: rank.get(id) ?? 0,
      versions: [],
      url,
      url_html: rel(x.url_html),
      metadata: m ? { iso: rel(m.iso), dc: rel(m.dc), native: rel(m.native) } : null,
      publish_to_catalog_services: x.publish_to_catalog_services === true,
    };
    if (type === 'layer' || type === 'table') {
      Object.assign(rec, {
        data: x.data ?? null,
        collected_at: x.collected_at ?? null,
        elevation_field: x.elevation_field ?? null,
      });
      const published = idIn(x.published_version, '/versions');
      const got = await ctx.http.get(`versions of catalogue item ${id}`, `${url}versions/`);
      const list = Array.isArray(got?.json) ? got!.json.filter(isObj) : isObj(x.version) ? [x.version] : [];
      rec.versions = list.map((v) => ({
        id: v.id,
        status: v.status ?? 'ok',
        created_at: v.created_at ?? null,
        created_by: v.created_by ?? null,
        reference: v.reference ?? '',
        progress: v.progress ?? 1,
        published: v.id === published,
      }));
    } else if (type === 'set') {
      rec.items = (Array.isArray(x.items) ? x.items : []).map((u) => idIn(u)).filter((n): n is number => n !== null);
    } else if (type === 'document') {
      Object.assign(rec, {
        extension: x.extension ?? '',
        file_size: x.file_size ?? 0,
        url_download: rel(x.url_download),
      });
    } else if (type === 'source') {
      Object.assign(rec, {
        last_scanned_at: x.last_scanned_at ?? null,
        scan_schedule: x.scan_schedule ?? null,
        options: isObj(x.options) ? x.options : {},
        url_remote: x.url_remote ?? null,
      });
    }
    items.push(ctx.people.scrubAll(rec));
  }
  for (const [id, embedded] of licenses) {
    const got = await ctx.http.get(`license ${id}`, String(rel(embedded.url) ?? `/services/api/v1/licenses/${id}/`));
    const l = isObj(got?.json) ? got!.json : embedded;
    licenses.set(id, {
      id,
      title: l.title ?? '',
      type: l.type ?? '',
      jurisdiction: l.jurisdiction ?? '',
      version: l.version ?? null,
      url: rel(l.url),
      url_html: rel(l.url_html),
      url_fulltext: rel(l.url_fulltext) ?? `${String(rel(l.url_html))}fulltext/`,
    });
  }
  const unranked = items.filter((i) => i.popularity === 0).length;
  if (unranked)
    ctx.http.unreadable.push({
      what: 'popularity',
      url: ctx.http.url('/services/api/v1/data/latest/?sort=popularity'),
      status: 200,
      reason: `${unranked} item(s) were past the popularity pages read; they sort last by popularity`,
    });
  ctx.http.unreadable.push({
    what: 'geotags',
    url: ctx.http.url('/services/api/v1/data/'),
    status: 200,
    reason: 'the catalogue does not send them: geotag= filters match nothing in the recording',
  });
  ctx.progress(
    `Koordinates: ${items.length} items, ${licenses.size} licenses, ${groups.size} groups, ${users.size} people`,
  );
  return {
    kx_items: items,
    kx_groups: [...groups.values()],
    kx_licenses: [...licenses.values()],
    kx_users: [...users.values()],
  };
}
