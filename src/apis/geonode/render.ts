/**
 * Rendering GeoNode objects: the keys come from the contract's component schema; request-dependent fields
 * (`perms`, `favorite`) and absolute URLs are computed here; embedded owners and groups are refreshed from their
 * collections so a renamed user shows everywhere.
 */
import type { Contract } from '../../contracts/load.js';
import { fieldSet, fieldSetOf, type FieldSet } from '../../contracts/fields.js';
import type { StoredRecord } from '../../store/collection.js';
import { plainRecord } from '../../store/lazy.js';
import type { Store } from '../../store/store.js';
import { GEONODE_COLLECTIONS, type EndpointCollection } from './collections.js';
import { resourcePerms, userPerms } from './permissions.js';
import { linkedResourcesPayload } from './actions-metadata.js';
import { executionStatusBody, statusUrl } from './actions-common.js';
import { facetCount, type FacetOptions } from './facets.js';
import { featureInfoTemplate } from './feature-info.js';

const NO_FACET_OPTIONS: FacetOptions = { type: null, title: null };

export interface RenderContext {
  contract: Contract;
  store: Store;
  origin: string;
  user: StoredRecord | null;
  /** `type` / `title__icontains` of the request: which resources facet `count`s count */
  facet?: FacetOptions;
  /** the store's stamp, computed once per request (a context lives for one request) */
  stamp?: string;
}

export interface RenderOptions {
  /** render deferred fields too (write responses, `include[]=*`) */
  withDeferred?: boolean;
  /** deferred fields asked for by name */
  include?: ReadonlySet<string>;
  /** use the list item schema */
  listItem?: boolean;
}

const URL_KEY = /(^link$|^href$|_url$|^url$|^avatar$|^logo$|^self$|^harvestable_resources$)/;

/** Make host-relative URLs absolute, in the places GeoNode puts URLs (a copy: rendered values never share objects with the store). */
export function absolutize(value: unknown, origin: string, key = ''): unknown {
  if (typeof value === 'string') return value.charCodeAt(0) === 47 /* "/" */ && URL_KEY.test(key) ? origin + value : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const itemKey = key === 'links' || key === 'download_urls' ? '' : key;
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = absolutize(value[i], origin, itemKey);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) if (k !== '__proto__') out[k] = absolutize((value as Record<string, unknown>)[k], origin, k);
  return out;
}

function embedUser(ctx: RenderContext, ref: unknown, fields: FieldSet | undefined): unknown {
  if (!ref || typeof ref !== 'object') return ref;
  const pk = (ref as StoredRecord).pk;
  const fresh = ctx.store.collection('users').get(pk) ?? (ref as StoredRecord);
  if (!fields || fields.all.length === 0) return { ...(ref as StoredRecord) };
  const out: Record<string, unknown> = {};
  for (const f of fields.all) if (f in fresh) out[f] = f === 'perms' ? [] : fresh[f];
  return out;
}

function itemSchemaName(c: EndpointCollection, opts: RenderOptions): string {
  return opts.listItem && c.listItemSchema ? c.listItemSchema : c.itemSchema;
}

/** Fields whose value depends on who is asking (or, for facet `count`s, on `type`/`title__icontains`): never cached. */
const VIEWER_FIELDS = new Set(['perms', 'favorite', 'executions', 'linked_resources', 'count']);

/**
 * The viewer-independent part of a rendering, cached per record until any collection changes. Bounded: a sweep over
 * every record of a large store (a crawler, a benchmark) would otherwise keep a rendered copy of each, doubling
 * memory; the pages people repeat are cached whole anyway (`memoAnswer` in crud-read.ts).
 */
const baseCache = new Map<StoredRecord, { key: string; fs: FieldSet; value: Record<string, unknown> }>();
const BASE_CACHE_RECORDS = 512;

function selected(fs: FieldSet, f: string, opts: RenderOptions): boolean {
  if (fs.writeOnly.has(f)) return false;
  return !fs.deferred.has(f) || !!opts.withDeferred || !!opts.include?.has(f);
}

export function renderRecord(key: string, record: StoredRecord, ctx: RenderContext, opts: RenderOptions = {}): Record<string, unknown> {
  const c = GEONODE_COLLECTIONS[key];
  const schemaName = itemSchemaName(c, opts);
  const fs = fieldSet(ctx.contract, schemaName);
  const cacheKey = `${(ctx.stamp ??= ctx.store.stamp())}|${ctx.origin}|${key}|${schemaName}|${opts.withDeferred ? '*' : [...(opts.include ?? [])].join(',')}`;
  let base = baseCache.get(record);
  if (!base || base.key !== cacheKey || base.fs !== fs) { // fs: a reloaded contract (watch mode) renders afresh
    const value: Record<string, unknown> = {};
    const data = plainRecord(record); // a lazy record's own object: plain reads, not the proxy's traps
    for (const f of fs.all) if (!VIEWER_FIELDS.has(f) && selected(fs, f, opts)) value[f] = valueOf(key, f, data, ctx, fs);
    base = { key: cacheKey, fs, value: absolutize(value, ctx.origin) as Record<string, unknown> };
    baseCache.delete(record);
    baseCache.set(record, base);
    if (baseCache.size > BASE_CACHE_RECORDS) baseCache.delete(baseCache.keys().next().value as StoredRecord);
  }
  const out: Record<string, unknown> = {};
  for (const f of fs.all) {
    if (!selected(fs, f, opts)) continue;
    const v = VIEWER_FIELDS.has(f) ? valueOf(key, f, record, ctx, fs) : base.value[f];
    if (v !== OMITTED) out[f] = v;
  }
  if (c.store === 'resources' && out.owner && typeof out.owner === 'object') out.owner = ownerForViewer(ctx, out.owner as StoredRecord);
  return out;
}

/**
 * The same rendering as `renderRecord`, as JSON text, for the read paths that answer text (list pages and details
 * without include[]/exclude[], sideloading or planted faults). Each record's viewer-independent fields are kept as
 * text with their links relative (`LINK` in front of the host-relative URL, made absolute once per reply by
 * `withOrigin`), so one cached rendering serves every origin and every caller; only the fields that depend on the
 * caller (`perms`, `favorite`, …, and the embedded owner for staff and the owner themself) are serialised per
 * request. The result still carries the marks: the caller passes the whole reply through `withOrigin`.
 */
export function renderRecordText(key: string, record: StoredRecord, ctx: RenderContext, opts: RenderOptions = {}): string {
  const c = GEONODE_COLLECTIONS[key];
  const schemaName = itemSchemaName(c, opts);
  const fs = fieldSet(ctx.contract, schemaName);
  const stamp = (ctx.stamp ??= ctx.store.stamp());
  if (stamp !== textCacheStamp) {
    // any change may show in any rendering (an embedded owner, a map's layers): the cache starts again
    textCache.clear();
    textCacheBytes = 0;
    textCacheStamp = stamp;
  }
  // by collection and id, not by the record object: a record kept on disk is read into a new object each time, and
  // holding those objects would keep what the on-disk mode frees
  const id = `${key}|${schemaName}|${opts.withDeferred ? '*' : [...(opts.include ?? [])].join(',')}|${String(record[c.idField] ?? record.pk)}`;
  let base = textCache.get(id);
  if (!base || base.fs !== fs) {
    const made = baseText(key, record, ctx, opts, c, fs);
    if (!made) throw new TextUnsafe(); // a stored string that begins with the mark: the caller renders objects
    base = made;
    // scan-resistant: when full, newer renderings are not kept (a walk over more records than fit keeps hitting
    // the ones kept, where evicting the oldest would miss every time)
    if (textCacheBytes + base.bytes <= (ctx.store.lazyRecords.records > 0 ? TEXT_CACHE_BYTES_ON_DISK : TEXT_CACHE_BYTES)) {
      textCache.set(id, base);
      textCacheBytes += base.bytes;
    }
  }
  const parts: string[] = [];
  const { runs, gaps } = base;
  for (let g = 0; g < gaps.length; g++) {
    if (runs[g]) parts.push(runs[g]);
    const i = gaps[g];
    const f = fs.all[i];
    if (f === 'owner') {
      // staff and the owner see the owner's perms; everyone else gets the kept text
      if (ctx.user && record.owner && typeof record.owner === 'object' && seesUserPerms(ctx.user, (record.owner as StoredRecord).pk)) {
        const owner = absolutize(embedUser(ctx, record.owner, subFields(ctx, fs, 'owner')), ctx.origin, 'owner');
        const t = JSON.stringify(owner && typeof owner === 'object' ? ownerForViewer(ctx, owner as StoredRecord) : owner);
        if (t?.includes('"\\u0001')) throw new TextUnsafe();
        if (t !== undefined) parts.push(`"owner":${t}`);
      } else if (base.owner) parts.push(base.owner);
      continue;
    }
    const v = valueOf(key, f, record, ctx, fs);
    if (v === OMITTED) continue;
    const t = JSON.stringify(v);
    if (t === undefined) continue;
    if (t.includes('"\\u0001')) throw new TextUnsafe(); // a string that begins with the mark: the caller renders objects
    parts.push(`${JSON.stringify(f)}:${t}`);
  }
  if (runs[gaps.length]) parts.push(runs[gaps.length]);
  return `{${parts.join(',')}}`;
}

/** The viewer-independent text of a record: runs of fields between the per-caller ones; undefined when unsafe. */
function baseText(key: string, record: StoredRecord, ctx: RenderContext, opts: RenderOptions, c: EndpointCollection, fs: FieldSet): BaseText | undefined {
  const data = plainRecord(record);
  const runs: string[] = [];
  const gaps: number[] = [];
  // each run is one object serialised once (fewer strings than a JSON.stringify per field)
  let run: Record<string, unknown> = {};
  let owner = '';
  const close = () => {
    const t = JSON.stringify(run);
    runs.push(t.length > 2 ? t.slice(1, -1) : '');
    run = {};
  };
  for (let i = 0; i < fs.all.length; i++) {
    const f = fs.all[i];
    if (!selected(fs, f, opts)) continue;
    const perCaller = VIEWER_FIELDS.has(f);
    const isOwner = f === 'owner' && c.store === 'resources';
    if (perCaller || isOwner) {
      close();
      gaps.push(i);
      if (perCaller) continue;
    }
    const marked = markLinks(valueOf(key, f, data, ctx, fs), f);
    // a stored string that itself begins with the mark could not be told from a link: such a record is rendered whole
    if (marked === UNSAFE) return undefined;
    if (isOwner) {
      const t = JSON.stringify(marked);
      if (t !== undefined) owner = `"owner":${t}`; // an undefined value: the key is left out, as in the object
    } else if (f !== '__proto__') run[f] = marked;
  }
  close();
  let bytes = 96 + owner.length + gaps.length * 8;
  for (const r of runs) bytes += r.length + 24;
  return { fs, runs, gaps, owner, bytes };
}

/** Thrown by the text path when a per-caller value holds a string that begins with the link mark. */
export class TextUnsafe extends Error {}

interface BaseText {
  fs: FieldSet;
  /** the fields between the per-caller ones, as `"name":value,…` with links marked (gaps.length + 1 runs) */
  runs: string[];
  /** indexes in `fs.all` of the per-caller fields (and of the embedded owner of a resource) */
  gaps: number[];
  /** the embedded owner's text for callers who do not see its perms ('' when absent) */
  owner: string;
  bytes: number;
}

/**
 * Records' viewer-independent JSON, bounded by size (the durability goal keeps RSS under 3× the JSON at 10,000
 * resources, ~20 MB above what the store takes): about 3,000 list renderings fit in memory, 1,200 when the store
 * keeps its records on disk. Cleared when the data changes.
 */
const textCache = new Map<string, BaseText>();
let textCacheBytes = 0;
let textCacheStamp = '';
const TEXT_CACHE_BYTES = 10 * 1024 * 1024;
/** When the store keeps records on disk (`--db` with a large store) memory is what that mode saves: less is kept. */
const TEXT_CACHE_BYTES_ON_DISK = 4 * 1024 * 1024;

const UNSAFE = Symbol('unsafe');

/** What stands before a host-relative link in cached text: a control character JSON writes as `\u0001`. */
const LINK = '\u0001';
/**
 * `absolutize` with the mark for an origin, copying only what changes (most values hold no host-relative link: no
 * copy of them is made); UNSAFE when a stored string already begins with the mark.
 */
function markLinks(value: unknown, key: string): unknown {
  if (typeof value === 'string') {
    const c0 = value.charCodeAt(0);
    if (c0 === 1) return UNSAFE;
    return c0 === 47 && URL_KEY.test(key) ? LINK + value : value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const itemKey = key === 'links' || key === 'download_urls' ? '' : key;
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const m = markLinks(value[i], itemKey);
      if (m === UNSAFE) return UNSAFE;
      if (m !== value[i]) (out ??= value.slice())[i] = m;
    }
    return out ?? value;
  }
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(value)) {
    if (k === '__proto__') continue;
    const v = (value as Record<string, unknown>)[k];
    const m = markLinks(v, k);
    if (m === UNSAFE) return UNSAFE;
    if (m !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = m;
  }
  return out ?? value;
}

/**
 * Make the marked links of a reply's JSON text absolute. A mark only ever opens a string (a string begins after
 * `:`, `[` or `,`; a quote inside a string is escaped), and `markLinks` refuses stored strings that begin with it.
 */
export function withOrigin(text: string, origin: string): string {
  const pieces = text.split('"\\u0001');
  if (pieces.length === 1) return text;
  const link = `"${JSON.stringify(origin).slice(1, -1)}`;
  let out = pieces[0];
  for (let i = 1; i < pieces.length; i++) {
    const prev = pieces[i - 1];
    const c = prev.charCodeAt(prev.length - 1);
    out += (c === 58 || c === 91 || c === 44 ? link : '"\\u0001') + pieces[i]; // after `:`, `[` or `,` only
  }
  return out;
}

/** A field the serializer deletes for this viewer (the key is absent, not null). */
const OMITTED = Symbol('omitted');

/** UserSerializer keeps `perms` only for staff, superusers and the user themself (4.4.3 people/api/serializers.py:74-85). */
function seesUserPerms(viewer: StoredRecord | null, userPk: unknown): boolean {
  return !!viewer && (viewer.is_staff === true || viewer.is_superuser === true || viewer.pk === userPk);
}

/**
 * The embedded owner is a nested UserSerializer that sees the request (4.4.3 base/api/serializers.py:576): staff
 * and the owner themself get its `perms`, placed after `avatar` as in UserSerializer.Meta.fields.
 */
function ownerForViewer(ctx: RenderContext, owner: StoredRecord): StoredRecord {
  if (!seesUserPerms(ctx.user, owner.pk)) return owner;
  const user = ctx.store.collection('users').get(owner.pk);
  if (!user) return owner;
  const out: StoredRecord = {};
  for (const [k, v] of Object.entries(owner)) {
    if (k === 'perms') continue;
    out[k] = v;
    if (k === 'avatar') out.perms = userPerms(user);
  }
  if (!('perms' in out)) out.perms = userPerms(user);
  return out;
}

function valueOf(key: string, field: string, record: StoredRecord, ctx: RenderContext, fs: FieldSet): unknown {
  const c = GEONODE_COLLECTIONS[key];
  if (c.store === 'resources') {
    switch (field) {
      case 'perms':
        return resourcePerms(ctx.store, record, ctx.user);
      case 'favorite':
        // the favorites index by resource: a scan of every favorite per rendered resource grew with the store
        return ctx.user ? ctx.store.collection('favorites').where('resource', record.pk).some((f) => f.user === ctx.user!.pk) : false;
      case 'owner':
        return embedUser(ctx, record.owner, subFields(ctx, fs, 'owner'));
      case 'maplayers':
        return renderMapLayers(ctx, 'map', record.pk);
      case 'link':
        return `/api/v2/${c.path}/${record.pk}`;
      case 'featureinfo_custom_template':
        return featureInfoTemplate(record);
      case 'executions':
        return ctx.user ? unfinishedExecutions(ctx, record) : [];
      case 'metadata':
        return ctx.store
          .collection('extra_metadata')
          .where('resource', record.pk) // indexed, then back in stored (id) order
          .sort((a, b) => Number(a.id) - Number(b.id))
          .map(({ resource: _r, ...rest }) => rest);
      case 'linked_resources':
        return linkedResourcesPayload(ctx.store, record, ctx.user, ctx.origin);
    }
  }
  if (key === 'users' && field === 'perms') return seesUserPerms(ctx.user, record.pk) ? userPerms(record) : OMITTED;
  if (key === 'owners' && field === 'perms') return seesUserPerms(ctx.user, record.pk) ? userPerms(record) : [];
  if (field === 'count' && (key === 'owners' || key === 'categories' || key === 'keywords' || key === 'regions')) {
    return facetCount(ctx.store, key, record, ctx.user, ctx.facet ?? NO_FACET_OPTIONS);
  }
  if (field === 'link' && record.link === undefined) return `/api/v2/${c.path}/${record[c.idField]}`;
  if (field === 'tasks' && key === 'execution_requests') return record.tasks ?? {}; // 5.0: JSONField(default=dict)
  const v = record[field];
  return v === undefined ? null : v;
}

/** The caller's unfinished execution requests touching a resource (facts §2.1, §6.1; GeoNode#8700). */
function unfinishedExecutions(ctx: RenderContext, resource: StoredRecord): unknown[] {
  const me = ctx.user!;
  return ctx.store
    .collection('execution_requests')
    .all()
    .filter((e) => e.user === me.pk && String(e.geonode_resource) === String(resource.pk) && e.status !== 'finished' && e.status !== 'failed')
    .map((e) => ({ exec_id: e.exec_id, ...executionStatusBody(e, me.username), status_url: statusUrl(ctx.origin, e.exec_id) }));
}

function subFields(ctx: RenderContext, fs: FieldSet, field: string): FieldSet | undefined {
  const prop = fs.props[field];
  if (!prop) return undefined;
  const node = prop.type === 'array' && prop.items ? prop.items : prop;
  try {
    return fieldSetOf(ctx.contract, node);
  } catch {
    return undefined;
  }
}

/** Map layers (facts §2.4) with their embedded dataset summary: a map's layers (`map`), or those using a dataset. */
export function renderMapLayers(ctx: RenderContext, field: 'map' | 'dataset', pk: unknown): unknown[] {
  const resources = ctx.store.collection('resources');
  return ctx.store
    .collection('maplayers')
    .where(field, pk) // the collection's index: a scan of every layer per map made renders O(n) at 100,000 resources
    .sort((a, b) => Number(a.order) - Number(b.order) || Number(a.pk) - Number(b.pk))
    .map(({ map: _m, dataset, ...layer }) => {
      const ds = dataset === null || dataset === undefined ? undefined : resources.get(dataset);
      return {
        ...layer,
        dataset: ds
          ? {
              pk: Number(ds.pk), // an integer here: MapLayerDatasetSerializer declares no pk (4.4.3 maps/api/serializers.py:100-117)
              alternate: ds.alternate,
              title: ds.title,
              featureinfo_custom_template: featureInfoTemplate(ds),
              perms: resourcePerms(ctx.store, ds, ctx.user),
              links: ds.links ?? [],
              has_time: ds.has_time ?? false,
              default_style: ds.default_style ?? null,
              styles: ds.styles ?? [],
              ptype: ds.ptype ?? 'gxp_wmscsource',
            }
          : null,
      };
    });
}
