/**
 * Recording a live GeoNode's public API into geostub's GeoNode store collections: what an anonymous caller can read
 * (resources with their type-specific details, map layers and extra metadata, groups and their members, owners,
 * categories, keywords, thesaurus keywords, regions, upload limits), turned back into stored records: URLs made
 * host-relative, request-dependent fields dropped, anonymous `perms` turned into grants, people pseudonymised.
 */
import type { StoredRecord } from '../store/index.js';
import type { RecorderHttp } from './http.js';
import type { Pseudonyms } from './people.js';

export interface RecordingContext {
  http: RecorderHttp;
  people: Pseudonyms;
  /** most records of each large collection (resources, groups, owners; catalogue items) */
  limit: number;
  progress: (line: string) => void;
}

type Rec = StoredRecord;
const isObj = (v: unknown): v is Rec => !!v && typeof v === 'object' && !Array.isArray(v);
const ENDPOINT: Record<string, string> = {
  dataset: 'datasets',
  document: 'documents',
  map: 'maps',
  geostory: 'geoapps',
  dashboard: 'geoapps',
  geoapp: 'geoapps',
};
/** fields computed for each request (or from other collections) that a stored resource does not keep */
const COMPUTED = ['perms', 'favorite', 'executions', 'linked_resources', 'metadata', 'maplayers'];

/** Walk a GeoNode list (`{links: {next}, <key>: […]}`) up to `max` items. */
export async function walkList(
  ctx: RecordingContext,
  what: string,
  path: string,
  key: string,
  max: number,
): Promise<Rec[]> {
  const out: Rec[] = [];
  const size = Math.max(1, Math.min(max, 100));
  for (let page = 1; out.length < max && !ctx.http.exhausted; page++) {
    const got = await ctx.http.get(what, `${path}${path.includes('?') ? '&' : '?'}page=${page}&page_size=${size}`);
    const body = got?.json;
    if (!isObj(body)) break;
    const items = Array.isArray(body[key]) ? (body[key] as unknown[]).filter(isObj) : [];
    out.push(...items.slice(0, max - out.length));
    if (!items.length || !isObj(body.links) || !body.links.next) break;
  }
  return out;
}

/** Every URL on the recorded server made host-relative (as the store keeps them). */
function relativize(ctx: RecordingContext, v: unknown): unknown {
  if (typeof v === 'string') return ctx.http.relative(v);
  if (Array.isArray(v)) return v.map((x) => relativize(ctx, x));
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, relativize(ctx, x)]));
  return v;
}

/** The level an anonymous caller holds, read back from the permissions GeoNode listed for it. */
function anonymousLevel(perms: unknown): string {
  const p = new Set(Array.isArray(perms) ? perms.map(String) : []);
  if (p.has('delete_resourcebase')) return 'manage';
  if (p.has('change_resourcebase')) return 'edit';
  if (p.has('download_resourcebase')) return 'download';
  return 'view';
}

export class GeonodeRecording {
  users = new Map<number, Rec>();
  collections: Record<string, Rec[]> = {};

  constructor(private readonly ctx: RecordingContext) {}

  /** A user as the store keeps it (pseudonymised), added to `users`; returns the embedded form, same keys as given. */
  private person(u: Rec): Rec {
    const pk = u.pk as number;
    const fake = this.ctx.people.person(`geonode:${pk}`);
    if (!this.users.has(pk)) {
      this.users.set(pk, {
        pk,
        username: fake.username,
        first_name: fake.first_name,
        last_name: fake.last_name,
        avatar: fake.avatar,
        is_superuser: u.is_superuser === true,
        is_staff: u.is_staff === true,
        email: fake.email,
        link: `/api/v2/users/${pk}`,
        password: fake.username,
      });
    } else {
      const known = this.users.get(pk)!;
      if (u.is_superuser === true) known.is_superuser = true;
      if (u.is_staff === true) known.is_staff = true;
    }
    const out: Rec = {};
    for (const [k, v] of Object.entries(u)) {
      if (k === 'perms' || k === 'count') continue;
      out[k] = k in fake ? fake[k as keyof typeof fake] : k === 'link' ? `/api/v2/users/${pk}` : v;
    }
    return out;
  }

  /** Replace every embedded user (an object with a numeric pk and a username) inside a value. */
  private people(v: unknown): unknown {
    if (Array.isArray(v)) return v.map((x) => this.people(x));
    if (!isObj(v)) return v;
    if (typeof v.pk === 'number' && typeof v.username === 'string') return this.person(v);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.people(x)]));
  }

  private clean(v: Rec): Rec {
    return this.ctx.people.scrubAll(this.people(relativize(this.ctx, v)) as Rec);
  }

  async record(): Promise<Record<string, Rec[]>> {
    const { ctx } = this;
    const root = await ctx.http.get('the GeoNode API root', '/api/v2/');
    if (!root) {
      ctx.progress('GeoNode: no API at /api/v2/ (recording the catalogue only)');
      return {};
    }
    const resources: Rec[] = [];
    const grants: Rec[] = [];
    const maplayers: Rec[] = [];
    const extra: Rec[] = [];
    const listed = await walkList(ctx, 'resources', '/api/v2/resources/', 'resources', ctx.limit);
    ctx.progress(`GeoNode: ${listed.length} resources listed; reading each one`);
    for (const [i, item] of listed.entries()) {
      const pk = String(item.pk);
      const endpoint = ENDPOINT[String(item.resource_type)] ?? 'resources';
      const got = await ctx.http.get(`resource ${pk}`, `/api/v2/${endpoint}/${pk}/?include[]=data&include[]=metadata`);
      const detail = isObj(got?.json) ? (Object.values(got!.json as Rec)[0] as Rec) : item;
      if (!isObj(detail)) continue;
      for (const m of Array.isArray(detail.metadata) ? detail.metadata.filter(isObj) : [])
        extra.push({ ...this.clean(m), resource: pk });
      for (const l of Array.isArray(detail.maplayers) ? detail.maplayers.filter(isObj) : []) {
        const { dataset, ...layer } = l;
        maplayers.push({
          ...this.clean(layer),
          map: pk,
          dataset: isObj(dataset) && dataset.pk != null ? String(dataset.pk) : null,
        });
      }
      const rec = this.clean(detail);
      const level = anonymousLevel(detail.perms);
      for (const k of COMPUTED) delete rec[k];
      rec.pk = pk;
      rec.link = `/api/v2/resources/${pk}`;
      resources.push(rec);
      const owner = isObj(rec.owner) ? (rec.owner.pk as number) : undefined;
      grants.push({
        resource: pk,
        users: owner === undefined ? [] : [{ id: owner, permissions: 'owner' }],
        groups: [],
        anonymous: level,
        registered: level,
      });
      if ((i + 1) % 25 === 0) ctx.progress(`GeoNode: ${i + 1}/${listed.length} resources read`);
    }
    const known = new Set(resources.map((r) => r.pk));
    this.collections = {
      resources,
      grants,
      extra_metadata: extra.map((m, i) => ({ ...m, id: m.id ?? i + 1 })),
      maplayers: maplayers.map((l) => (l.dataset && !known.has(l.dataset) ? { ...l, dataset: null } : l)),
    };

    for (const o of await walkList(ctx, 'owners', '/api/v2/owners/', 'owners', ctx.limit)) this.person(o);
    for (const u of await walkList(ctx, 'users', '/api/v2/users/', 'users', ctx.limit)) this.person(u);
    await this.groups();
    for (const [name, key] of [
      ['categories', 'categories'],
      ['keywords', 'keywords'],
      ['tkeywords', 'tkeywords'],
      ['regions', 'regions'],
    ] as const) {
      const items = await walkList(ctx, name, `/api/v2/${name}/`, key, 5000);
      this.collections[name] = items.map((x, i) => {
        const r = this.clean(x);
        delete r.count;
        delete r.perms;
        if (r.id === undefined) r.id = i + 1; // thesaurus keywords are listed without their id
        return r;
      });
    }
    for (const [name, path] of [
      ['upload_size_limits', 'upload-size-limits'],
      ['upload_parallelism_limits', 'upload-parallelism-limits'],
    ] as const) {
      this.collections[name] = (await walkList(ctx, name.replace(/_/g, ' '), `/api/v2/${path}/`, path, 100)).map((x) =>
        this.clean(x),
      );
    }
    this.collections.users = [...this.users.values()];
    ctx.progress(
      `GeoNode: ${resources.length} resources, ${this.users.size} people, ${this.collections.groups?.length ?? 0} groups`,
    );
    return this.collections;
  }

  private async groups(): Promise<void> {
    const { ctx } = this;
    const groups = (await walkList(ctx, 'groups', '/api/v2/groups/', 'group_profiles', ctx.limit)).map((g) => {
      const r = this.clean(g);
      delete r.perms;
      if (typeof r.email === 'string' && r.email) r.email = `${String(r.slug ?? `group${String(r.pk)}`)}@example.org`;
      return r;
    });
    const memberships: Rec[] = [];
    for (const g of groups) {
      const role = new Map<number, string>();
      for (const [rel, as] of [
        ['members', 'member'],
        ['managers', 'manager'],
      ] as const) {
        const got = await ctx.http.get(`${rel} of group ${String(g.pk)}`, `/api/v2/groups/${String(g.pk)}/${rel}/`);
        const list = Array.isArray(got?.json)
          ? got!.json
          : isObj(got?.json)
            ? (Object.values(got!.json).find(Array.isArray) ?? [])
            : [];
        for (const u of (list as unknown[]).filter(isObj)) {
          if (typeof u.pk !== 'number') continue;
          this.person(u);
          role.set(u.pk, as === 'manager' ? 'manager' : (role.get(u.pk) ?? 'member'));
        }
      }
      for (const [user, r] of role) memberships.push({ id: memberships.length + 1, group: g.pk, user, role: r });
    }
    this.collections.groups = groups;
    this.collections.memberships = memberships;
  }
}
