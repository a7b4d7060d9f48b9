/**
 * Rendering GeoNode objects: the keys come from the contract's component schema; request-dependent fields
 * (`perms`, `favorite`) and absolute URLs are computed here; embedded owners and groups are refreshed from their
 * collections so a renamed user shows everywhere.
 */
import type { Contract } from '../../../contracts/load.js';
import { fieldSet, fieldSetOf, type FieldSet } from '../../../contracts/fields.js';
import { readRecord, type Store, type StoredRecord } from '../../../store/index.js';
import { GEONODE_COLLECTIONS, type EndpointCollection } from '../collections.js';
import { resourcePerms, userPerms } from '../permissions/levels.js';
import { linkedResourcesPayload } from '../metadata/extra-and-links.js';
import { executionStatusBody, statusUrl } from '../actions/common.js';
import { facetCount, type FacetOptions } from '../facets/counts.js';
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

export const URL_KEY = /(^link$|^href$|_url$|^url$|^avatar$|^logo$|^self$|^harvestable_resources$)/;

/**
 * Make host-relative URLs absolute, in the places GeoNode puts URLs (a copy: rendered values never share objects with
 * the store).
 */
export function absolutize(value: unknown, origin: string, key = ''): unknown {
  if (typeof value === 'string')
    return value.charCodeAt(0) === 47 /* "/" */ && URL_KEY.test(key) ? origin + value : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const itemKey = key === 'links' || key === 'download_urls' ? '' : key;
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = absolutize(value[i], origin, itemKey);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value))
    if (k !== '__proto__') out[k] = absolutize((value as Record<string, unknown>)[k], origin, k);
  return out;
}

export function embedUser(ctx: RenderContext, ref: unknown, fields: FieldSet | undefined): unknown {
  if (!ref || typeof ref !== 'object') return ref;
  const pk = (ref as StoredRecord).pk;
  const fresh = ctx.store.collection('users').get(pk) ?? (ref as StoredRecord);
  if (!fields || fields.all.length === 0) return { ...(ref as StoredRecord) };
  const out: Record<string, unknown> = {};
  for (const f of fields.all) if (f in fresh) out[f] = f === 'perms' ? [] : fresh[f];
  return out;
}

export function itemSchemaName(c: EndpointCollection, opts: RenderOptions): string {
  return opts.listItem && c.listItemSchema ? c.listItemSchema : c.itemSchema;
}

/** Fields whose value depends on who is asking (or, for facet `count`s, on `type`/`title__icontains`): never cached. */
export const VIEWER_FIELDS = new Set(['perms', 'favorite', 'executions', 'linked_resources', 'count']);

/**
 * The viewer-independent part of a rendering, cached per record until any collection changes. Bounded: a sweep over
 * every record of a large store (a crawler, a benchmark) would otherwise keep a rendered copy of each, doubling
 * memory; the pages people repeat are cached whole anyway (`memoAnswer` in reading/read.ts).
 */
const baseCache = new Map<StoredRecord, { key: string; fs: FieldSet; value: Record<string, unknown> }>();
const BASE_CACHE_RECORDS = 512;

export function selected(fs: FieldSet, f: string, opts: RenderOptions): boolean {
  if (fs.writeOnly.has(f)) return false;
  return !fs.deferred.has(f) || !!opts.withDeferred || !!opts.include?.has(f);
}

export function renderRecord(
  key: string,
  record: StoredRecord,
  ctx: RenderContext,
  opts: RenderOptions = {},
): Record<string, unknown> {
  const c = GEONODE_COLLECTIONS[key];
  const schemaName = itemSchemaName(c, opts);
  const fs = fieldSet(ctx.contract, schemaName);
  const cacheKey = `${(ctx.stamp ??= ctx.store.stamp())}|${ctx.origin}|${key}|${schemaName}|${opts.withDeferred ? '*' : [...(opts.include ?? [])].join(',')}`;
  let base = baseCache.get(record);
  if (!base || base.key !== cacheKey || base.fs !== fs) {
    // fs: a reloaded contract (watch mode) renders afresh
    const value: Record<string, unknown> = {};
    const data = readRecord(record); // a lazy record's own object: plain reads, not the proxy's traps
    for (const f of fs.all)
      if (!VIEWER_FIELDS.has(f) && selected(fs, f, opts)) value[f] = valueOf(key, f, data, ctx, fs);
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
  if (c.store === 'resources' && out.owner && typeof out.owner === 'object')
    out.owner = ownerForViewer(ctx, out.owner as StoredRecord);
  return out;
}

/** A field the serializer deletes for this viewer (the key is absent, not null). */
export const OMITTED = Symbol('omitted');

/**
 * UserSerializer keeps `perms` only for staff, superusers and the user themself (4.4.3
 * people/api/serializers.py:74-85).
 */
export function seesUserPerms(viewer: StoredRecord | null, userPk: unknown): boolean {
  return !!viewer && (viewer.is_staff === true || viewer.is_superuser === true || viewer.pk === userPk);
}

/**
 * The embedded owner is a nested UserSerializer that sees the request (4.4.3 base/api/serializers.py:576): staff
 * and the owner themself get its `perms`, placed after `avatar` as in UserSerializer.Meta.fields.
 */
export function ownerForViewer(ctx: RenderContext, owner: StoredRecord): StoredRecord {
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

export function valueOf(key: string, field: string, record: StoredRecord, ctx: RenderContext, fs: FieldSet): unknown {
  const c = GEONODE_COLLECTIONS[key];
  if (c.store === 'resources') {
    switch (field) {
      case 'perms':
        return resourcePerms(ctx.store, record, ctx.user);
      case 'favorite':
        // the favorites index by resource: a scan of every favorite per rendered resource grew with the store
        return ctx.user
          ? ctx.store
              .collection('favorites')
              .where('resource', record.pk)
              .some((f) => f.user === ctx.user!.pk)
          : false;
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

/**
 * The caller's unfinished execution requests touching a resource (`geonode/base/api/serializers.py:450-494` (4.4.3);
 * GeoNode#8700).
 */
function unfinishedExecutions(ctx: RenderContext, resource: StoredRecord): unknown[] {
  const me = ctx.user!;
  return ctx.store
    .collection('execution_requests')
    .list()
    .filter(
      (e) =>
        e.user === me.pk &&
        String(e.geonode_resource) === String(resource.pk) &&
        e.status !== 'finished' &&
        e.status !== 'failed',
    )
    .map((e) => ({
      exec_id: e.exec_id,
      ...executionStatusBody(e, me.username),
      status_url: statusUrl(ctx.origin, e.exec_id),
    }));
}

export function subFields(ctx: RenderContext, fs: FieldSet, field: string): FieldSet | undefined {
  const prop = fs.props[field];
  if (!prop) return undefined;
  const node = prop.type === 'array' && prop.items ? prop.items : prop;
  try {
    return fieldSetOf(ctx.contract, node);
  } catch {
    return undefined;
  }
}

/**
 * Map layers (`geonode/maps/api/serializers.py:109-157` (4.4.3)) with their embedded dataset summary: a map's layers
 * (`map`), or those using a dataset.
 */
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
