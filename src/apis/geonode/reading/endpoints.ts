/** GeoNode's API root, schema, relation lists, resource subsets, resource types and related-field endpoints. */
import { apiError } from '../../../core/errors.js';
import { json, type Behaviour, type BehaviourRequest, type Env } from '../../../core/types.js';
import type { StoredRecord } from '../../../store/index.js';
import { GEONODE_COLLECTIONS } from '../collections.js';
import { canSee, endpointOf, findRecord, renderContext, requireUser } from '../context.js';
import { pageEnvelope } from './read.js';
import { expandLevel } from '../permissions/levels.js';
import { renderMapLayers, renderRecord } from '../rendering/render.js';
import { queryFieldSchema } from '../../../contracts/query-schema.js';
import {
  buildRequestFields,
  projectFields,
  QueryError,
  validateRequestFields,
  type FieldSchema,
} from '../../../query/dynamic-rest/index.js';
import { notAuthenticated } from '../people/identity.js';

/**
 * `GET /api/v2/`: every DynamicRouter prefix → absolute list URL without trailing slash
 * (`dynamic_rest/routers.py:107-125`).
 */
export const apiRoot: Behaviour = (req) => {
  const prefixes = new Set<string>();
  for (const path of Object.keys((req.op.contract.doc.paths ?? {}) as object)) {
    const m = /^\/api\/v2\/([^/{]+)\/$/.exec(path);
    if (m && !/^(harvest|management|schema|resource-service)/.test(m[1])) prefixes.add(m[1]);
  }
  const out: Record<string, string> = {};
  for (const p of [...prefixes].sort()) out[p] = `${req.origin}/api/v2/${p}`;
  return json(200, out);
};

/** `GET /api/v2/schema/`: YAML by default, JSON with `?format=json` or the OpenAPI JSON media type. */
export const schema: Behaviour = (req) => {
  const accept = req.headers.accept ?? '';
  const wantsJson = req.query.get('format') === 'json' || accept.includes('application/vnd.oai.openapi+json');
  if (wantsJson)
    return { status: 200, body: req.op.contract.doc, contentType: 'application/vnd.oai.openapi+json; charset=utf-8' };
  return { status: 200, text: req.op.contract.text, contentType: 'application/vnd.oai.openapi; charset=utf-8' };
};

function absoluteUrl(origin: string, url: unknown): unknown {
  return typeof url === 'string' && url.startsWith('/') ? origin + url : url;
}

/** A dataset's map layers as SimpleMapLayerSerializer renders them, in the layers' order. */
function simpleMapLayers(env: Env, datasetPk: unknown): unknown[] {
  return env.store
    .collection('maplayers')
    .where('dataset', datasetPk)
    .sort((a, b) => Number(a.order) - Number(b.order) || Number(a.pk) - Number(b.pk))
    .map((l) => ({
      pk: l.pk,
      name: l.name,
      extra_params: l.extra_params ?? null,
      current_style: l.current_style ?? null,
      order: l.order,
      visibility: l.visibility,
      opacity: l.opacity,
    }));
}

const isOwnedBy = (pk: unknown) => (r: StoredRecord) => (r.owner as StoredRecord | null)?.pk === pk;

/**
 * Relation lists: bare arrays, except `resources` which uses the page envelope (`geonode/base/api/views.py:143-174`,
 * `geonode/people/api/views.py:85-116`, `geonode/maps/api/views.py:100-115`, `geonode/layers/api/views.py:174-189`
 * (4.4.3)).
 */
export const relation: Behaviour = (req, env) => {
  const { key, c } = endpointOf(req);
  if (c.readers === 'authenticated') requireUser(req); // /users/{id}/… needs a login, as /users/ does
  const parent = findRecord(req, env, c, undefined, { permsFirst: true });
  const ctx = renderContext(req, env);
  const name = String(req.op.ext.relation);
  const resources = env.store.collection('resources');
  const visible = (r: StoredRecord) => canSee(env, GEONODE_COLLECTIONS.resources, r, req.user);
  const layers = env.store.collection('maplayers').list();
  const users = env.store.collection('users');
  const memberships = env.store.collection('memberships').list();
  switch (name) {
    case 'maplayers': {
      if (key === 'maps') return json(200, renderMapLayers(ctx, 'map', parent.pk));
      // SimpleMapLayerSerializer: the layer's own fields, no embedded dataset (4.4.3 layers/api/views.py:181-190)
      return json(200, simpleMapLayers(env, parent.pk));
    }
    case 'maps': {
      // SimpleMapSerializer: {pk (int), title, detail_url, link}, every map using the dataset, unfiltered
      // (4.4.3 layers/api/views.py:192-196: `dataset.maps`, no visibility filter)
      const pks = new Set(layers.filter((l) => String(l.dataset) === String(parent.pk)).map((l) => String(l.map)));
      const maps = [...pks].map((pk) => resources.get(pk)).filter((r): r is StoredRecord => !!r);
      return json(
        200,
        maps.map((m) => ({
          pk: Number(m.pk),
          title: m.title,
          detail_url: absoluteUrl(req.origin, m.detail_url),
          link: `${req.origin}/api/v2/maps/${String(m.pk)}`,
        })),
      );
    }
    case 'datasets': {
      // DatasetSerializer(...).to_representation without a request: perms [] and favorite false (4.4.3
      // maps/api/views.py:108-112)
      const pks = new Set(
        layers.filter((l) => String(l.map) === String(parent.pk) && l.dataset !== null).map((l) => String(l.dataset)),
      );
      const noViewer = { ...ctx, user: null };
      return json(
        200,
        [...pks]
          .map((pk) => resources.get(pk))
          .filter((r): r is StoredRecord => !!r && visible(r))
          .map((r) => ({ ...renderRecord('datasets', r, noViewer), perms: [], favorite: false })),
      );
    }
    case 'members':
    case 'managers': {
      // UserSerializer(embed=True) without a request context deletes `perms` (4.4.3 base/api/views.py:144-158,
      // people/api/serializers.py:74-85)
      const role = name === 'managers' ? 'manager' : undefined;
      const pks = memberships.filter((m) => m.group === parent.pk && (!role || m.role === role)).map((m) => m.user);
      const noViewer = { ...ctx, user: null };
      return json(
        200,
        [...new Set(pks)]
          .map((pk) => users.get(pk))
          .filter((u): u is StoredRecord => !!u)
          .map((u) => renderRecord('users', u, noViewer)),
      );
    }
    case 'groups': {
      const groups = env.store.collection('groups');
      const pks = new Set(memberships.filter((m) => m.user === parent.pk).map((m) => m.group));
      return json(
        200,
        [...pks]
          .map((pk) => groups.get(pk))
          .filter((g): g is StoredRecord => !!g)
          .map((g) => renderRecord('groups', g, ctx)),
      );
    }
    case 'resources': {
      const match =
        key === 'groups'
          ? (r: StoredRecord) => (r.group as StoredRecord | null)?.pk === parent.pk
          : isOwnedBy(parent.pk);
      const records = resources.list().filter((r) => match(r) && visible(r));
      return json(
        200,
        pageEnvelope(req, records, 'resources', (r) => renderRecord('resources', r, ctx, { listItem: true })),
      );
    }
  }
  throw new Error(`unknown relation ${name}`);
};

/**
 * approved / published / featured / favorites (`geonode/base/api/views.py:320-373` (4.4.3)): perms [] and favorite
 * false without context.
 */
export const resourceSubset: Behaviour = (req, env) => {
  const subset = String(req.op.ext.subset);
  const resources = env.store.collection('resources').list();
  const visible = (r: StoredRecord) => canSee(env, GEONODE_COLLECTIONS.resources, r, req.user);
  let records: StoredRecord[];
  if (subset === 'favorites') {
    if (!req.user) throw notAuthenticated(req);
    const mine = new Set(
      env.store
        .collection('favorites')
        .list()
        .filter((f) => f.user === req.user!.pk)
        .map((f) => String(f.resource)),
    );
    records = resources.filter((r) => mine.has(String(r.pk)));
  } else {
    const field = subset === 'approved' ? 'is_approved' : subset === 'published' ? 'is_published' : 'featured';
    records = resources.filter((r) => r[field] === true && visible(r));
  }
  const ctx = { ...renderContext(req, env), user: null };
  const plural = subset === 'favorites' ? 'favorites' : 'resources';
  // serialized without request context (`geonode/base/api/views.py:325,372` (4.4.3)): `perms` is [] and `favorite`
  // false, favourites list included
  return json(
    200,
    pageEnvelope(req, records, plural, (r) => ({
      ...renderRecord('resources', r, ctx, { listItem: true }),
      perms: [],
      favorite: false,
    })),
  );
};

const LABELS: Record<string, string> = {
  none: 'None',
  view: 'View',
  download: 'Download',
  edit: 'Edit',
  manage: 'Manage',
  owner: 'Owner',
};

/** `GET /resources/resource_types` (`geonode/base/api/views.py:431-505` (4.4.3)). */
export const resourceTypes: Behaviour = (req, env) => {
  const counts = new Map<string, number>([
    ['dataset', 0],
    ['map', 0],
    ['document', 0],
  ]);
  for (const r of env.store.collection('resources').list()) {
    if (!canSee(env, GEONODE_COLLECTIONS.resources, r, req.user)) continue;
    const t = String(r.resource_type);
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const levels = (t: string, who: 'anonymous' | 'default' | 'registered-members') => {
    const names = who === 'anonymous' ? ['none', 'view', 'download'] : ['none', 'view', 'download', 'edit', 'manage'];
    return names.filter((n) => n !== 'download' || t === 'dataset' || t === 'document');
  };
  const label = (t: string, n: string) =>
    t === 'document' && n === 'view'
      ? 'View Metadata'
      : t === 'document' && n === 'download'
        ? 'View and Download'
        : LABELS[n];
  const resource_types = [...counts.entries()].map(([name, count]) => {
    const who = ['anonymous', 'default', 'registered-members'] as const;
    const perms: Record<string, string[]> = {};
    const compact: Record<string, { name: string; label: string }[]> = {};
    for (const w of who) {
      const names = levels(name, w);
      perms[w] = expandLevel(names[names.length - 1] as 'download', name);
      compact[w] = names.map((n) => ({ name: n, label: label(name, n) }));
    }
    return { name, count, allowed_perms: { perms, compact } };
  });
  return json(200, { resource_types });
};

/**
 * Envelope keys of the related-object endpoint: the related serializer's plural name
 * (`dynamic_rest/viewsets.py:358-419`; names from `geonode/base/api/serializers.py:146-252`,
 * `geonode/layers/api/serializers.py:36-57` (4.4.3)): SimpleHierarchicalKeywordSerializer "HierarchicalKeyword",
 * SimpleThesaurusKeywordSerializer "ThesaurusKeyword", SimpleRegionSerializer "Region", ExtraMetadataSerializer
 * "ExtraMetadata" (inflection keeps "-data"), StyleSerializer "style", AttributeSerializer "attribute". Other fields
 * keep their own name.
 */
const RELATED_KEYS: Record<string, string> = {
  keywords: 'HierarchicalKeywords',
  tkeywords: 'ThesaurusKeywords',
  regions: 'Regions',
  metadata: 'ExtraMetadata',
  styles: 'styles',
  attribute_set: 'attributes',
  maplayers: 'maplayers',
};

/** include[]/exclude[] of a related-object request, re-scoped under the field (`include[]=name` → `keywords.name`). */
function rescoped(req: BehaviourRequest, field: string, schema: FieldSchema) {
  const include = req.query.getAll('include[]').map((v) => `${field}.${v}`);
  const exclude = req.query.getAll('exclude[]').map((v) => `${field}.${v}`);
  try {
    const tree = buildRequestFields(include, exclude);
    if (tree) validateRequestFields(tree, schema);
    return tree;
  } catch (error) {
    if (error instanceof QueryError)
      throw apiError(error.code === 'parse_error' ? 'parseError' : 'invalid', error.message);
    throw error;
  }
}

/**
 * `GET /{prefix}/{pk}/{field_name}/` (`dynamic_rest/routers.py:330-355`, `dynamic_rest/viewsets.py:358-419`): not
 * paginated, enveloped by the related serializer's name.
 */
export const relatedField: Behaviour = (req: BehaviourRequest, env: Env) => {
  const { key, c } = endpointOf(req);
  for (const k of req.query.keys())
    if (k.startsWith('filter{')) throw apiError('invalid', 'Filtering is not enabled on relation endpoints.');
  const rec = findRecord(req, env, c, undefined, { permsFirst: true });
  const field = req.params.field_name;
  const schema = queryFieldSchema(req.op.contract, c.itemSchema, c.singular);
  const tree = rescoped(req, field, schema);
  const rendered = renderRecord(key, rec, renderContext(req, env), { withDeferred: true });
  if (!(field in rendered)) throw apiError('notFound');
  const value = tree ? projectFields({ [field]: rendered[field] }, tree, schema)[field] : rendered[field];
  if (Array.isArray(value)) return json(200, { [RELATED_KEYS[field] ?? field]: value });
  if (value === null || value === undefined) return json(200, {});
  return json(200, { [field]: value });
};
