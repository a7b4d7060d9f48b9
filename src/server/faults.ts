/**
 * Planted faults (`geostub serve --fault NAME`, `GeostubOptions.faults`): each one a realistic deviation from the
 * contracts, so the conformance runner can be shown to catch it. One table of named transforms, applied at one
 * point of the request path (around `dispatch`, in app.ts): a fault may rewrite the request, answer in its place,
 * or rewrite the reply (errors included). Without faults the request path is untouched.
 */
import { ApiError } from '../core/errors.js';
import { matchRoute, type Method, type Route } from '../contracts/route-table.js';
import type { Env, Reply } from '../core/types.js';
import type { PlainRequest } from './dispatch.js';
import { QUERY_FAULTS } from './query-faults.js';

export type { At, Fault } from './fault-types.js';
import type { At, Fault } from './fault-types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const ENVELOPE_HEAD = ['links', 'total', 'page', 'page_size'];
/** A GeoNode page envelope `{links, total, page, page_size, <key>: [...]}` and its items key. */
function envelopeKey(body: unknown): string | undefined {
  if (!isObj(body) || !ENVELOPE_HEAD.every((k) => k in body)) return undefined;
  return Object.keys(body).find((k) => !ENVELOPE_HEAD.includes(k) && Array.isArray(body[k]));
}
const itemsOf = (body: unknown): unknown[] | undefined => {
  const key = envelopeKey(body);
  return key ? ((body as Obj)[key] as unknown[]) : Array.isArray(body) ? body : undefined;
};
const is = (at: At, api: string, ...behaviours: string[]) =>
  at.op?.api === api && (!behaviours.length || behaviours.includes(at.op.behaviour));
const isList = (at: At) =>
  at.method === 'GET' &&
  (at.op?.behaviour === 'list' || at.op?.behaviour === 'catalogList' || at.op?.behaviour === 'resourceSubset');

/** The request with some query parameters removed. */
function dropParams(req: PlainRequest, drop: (key: string) => boolean): PlainRequest {
  const q = req.url.indexOf('?');
  if (q < 0) return req;
  const kept = req.url
    .slice(q + 1)
    .split('&')
    .filter((pair) => !drop(decodeURIComponent(pair.split('=')[0].replace(/\+/g, ' '))));
  return { ...req, url: req.url.slice(0, q) + (kept.length ? `?${kept.join('&')}` : '') };
}

/** Apply `fn` to every object of a body, depth first. */
function visit(node: unknown, fn: (o: Obj) => void): void {
  if (Array.isArray(node)) node.forEach((n) => visit(n, fn));
  else if (isObj(node)) {
    fn(node);
    Object.values(node).forEach((n) => visit(n, fn));
  }
}

const withHeader = (reply: Reply, name: string, f: (v: string) => string | undefined): Reply => {
  const headers = { ...(reply.headers ?? {}) };
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  if (!key) return reply;
  const v = f(headers[key]);
  if (v === undefined) delete headers[key];
  else headers[key] = v;
  return { ...reply, headers };
};

/**
 * The reply with its last item left out and the page kept well formed: a GeoNode envelope's `total` (and
 * `links.next` when the page becomes the last one), a catalogue page's `X-Resource-Range`. A server that answers
 * part of a query this way passes every per-page check.
 */
function dropLastItem(r: Reply): Reply {
  const key = envelopeKey(r.body);
  if (key) {
    const b = r.body as Obj;
    const items = b[key] as unknown[];
    if (!items.length) return r;
    items.pop();
    b.total = Number(b.total) - 1;
    if (isObj(b.links) && Number(b.page) * Number(b.page_size) >= (b.total as number)) b.links.next = null;
    return r;
  }
  if (!Array.isArray(r.body) || !r.body.length) return r;
  r.body.pop();
  return withHeader(r, 'X-Resource-Range', (v) =>
    v.replace(
      /^(\d+)-(\d+)\/(\d+)$/,
      (_m, a: string, e: string, t: string) => `${a}-${Number(e) - 1}/${Number(t) - 1}`,
    ),
  );
}

const hasKey = (at: At, test: (key: string) => boolean) => [...at.query.keys()].some(test);
const repeatedName = (at: At, ...names: string[]) => names.some((n) => at.query.getAll(n).length > 1);

export const FAULTS: Fault[] = [
  {
    name: 'envelope-key-renamed',
    area: 'envelopes',
    description: 'GeoNode lists carry their items under "results" instead of the plural key',
    reply: (r) => {
      const k = envelopeKey(r.body);
      if (k) {
        const b = r.body as Obj;
        b.results = b[k];
        delete b[k];
      }
      return r;
    },
  },
  {
    name: 'detail-unwrapped',
    area: 'envelopes',
    description: 'GeoNode details answer the bare object, not {"<singular>": {…}}',
    reply: (r, at) =>
      is(at, 'geonode', 'retrieve') && r.status === 200 && isObj(r.body) ? { ...r, body: Object.values(r.body)[0] } : r,
  },
  {
    name: 'field-dropped',
    area: 'fields',
    description: 'GeoNode list items lack "title"',
    reply: (r, at) => {
      if (at.op?.api === 'geonode') for (const i of itemsOf(r.body) ?? []) if (isObj(i)) delete i.title;
      return r;
    },
  },
  {
    name: 'pk-as-number',
    area: 'types',
    description: 'string pks ("12") are sent as numbers (12)',
    reply: (r) => {
      visit(r.body, (o) => {
        if (typeof o.pk === 'string' && /^\d+$/.test(o.pk)) o.pk = Number(o.pk);
      });
      return r;
    },
  },
  {
    name: 'create-answers-200',
    area: 'status codes',
    description: 'a create answers 200 instead of 201',
    reply: (r, at) => (at.op?.behaviour === 'create' && r.status === 201 ? { ...r, status: 200 } : r),
  },
  {
    name: 'not-found-as-400',
    area: 'status codes',
    description: 'a missing id answers 400 instead of 404',
    reply: (r) => (r.status === 404 ? { ...r, status: 400 } : r),
  },
  {
    name: 'method-not-allowed-as-404',
    area: 'status codes',
    description: 'a method the contract does not allow answers 404 instead of 405',
    reply: (r) => (r.status === 405 ? { status: 404, body: { detail: 'Not found.' } } : r),
  },
  {
    name: 'not-found-body-wrong',
    area: 'error bodies',
    description: 'a 404 body in the wrong shape ({"error": …} on GeoNode, {"detail": …} on the catalogue)',
    reply: (r) =>
      r.status === 404 && isObj(r.body)
        ? {
            ...r,
            body: 'detail' in r.body ? { error: r.body.detail, status: 404 } : { detail: r.body.error ?? 'Not found' },
          }
        : r,
  },
  {
    name: 'error-body-text',
    area: 'error bodies',
    description: '400 answers a plain-text "Bad Request" instead of the JSON error body',
    reply: (r) =>
      r.status === 400 ? { status: 400, text: 'Bad Request', contentType: 'text/plain; charset=utf-8' } : r,
  },
  {
    name: 'x-paginate-by-missing',
    area: 'headers',
    description: 'catalogue lists lack the X-Paginate-By header',
    reply: (r) => withHeader(r, 'X-Paginate-By', () => undefined),
  },
  {
    name: 'link-relative',
    area: 'headers',
    description: 'the Link header holds relative URLs',
    reply: (r) => withHeader(r, 'Link', (v) => v.replace(/<https?:\/\/[^/>]+/g, '<')),
  },
  {
    name: 'resource-range-off-by-one',
    area: 'pagination',
    description: 'X-Resource-Range ends one past the last item',
    reply: (r) =>
      withHeader(r, 'X-Resource-Range', (v) =>
        v.replace(/^(\d+)-(\d+)\//, (_m, s: string, e: string) => `${s}-${Number(e) + 1}/`),
      ),
  },
  {
    name: 'next-link-missing',
    area: 'pagination',
    description: 'links.next is null on a full page',
    reply: (r) => {
      const k = envelopeKey(r.body);
      const b = r.body as Obj;
      if (k && (b[k] as unknown[]).length === b.page_size) (b.links as Obj).next = null;
      return r;
    },
  },
  {
    name: 'total-off-by-one',
    area: 'pagination',
    description: 'the envelope total counts one record too many',
    reply: (r) => {
      if (envelopeKey(r.body)) (r.body as Obj).total = Number((r.body as Obj).total) + 1;
      return r;
    },
  },
  {
    name: 'filter-ignored',
    area: 'filters',
    description: 'GeoNode lists ignore filter{…}',
    request: (req, at) =>
      at.op?.api === 'geonode' && at.method === 'GET' ? dropParams(req, (k) => k.startsWith('filter{')) : req,
  },
  {
    name: 'catalog-filter-ignored',
    area: 'filters',
    description: 'catalogue lists ignore kind= and group=',
    request: (req, at) =>
      is(at, 'koordinates', 'catalogList') ? dropParams(req, (k) => k === 'kind' || k === 'group') : req,
  },
  {
    name: 'sort-reversed',
    area: 'sorts',
    description: 'GeoNode lists return sort[] in reverse order',
    reply: (r, at) => {
      if (at.query.has('sort[]')) itemsOf(r.body)?.reverse();
      return r;
    },
  },
  {
    name: 'catalog-sort-reversed',
    area: 'sorts',
    description: 'catalogue lists return sort= in reverse order',
    reply: (r, at) => {
      if (is(at, 'koordinates', 'catalogList') && at.query.has('sort') && Array.isArray(r.body)) r.body.reverse();
      return r;
    },
  },
  {
    name: 'include-ignored',
    area: 'include/exclude',
    description: 'include[] is ignored: deferred fields never appear',
    request: (req, at) => (isList(at) ? dropParams(req, (k) => k === 'include[]') : req),
  },
  {
    name: 'api-preset-ignored',
    area: 'include/exclude',
    description: 'api_preset is ignored: every field is sent',
    request: (req, at) => (isList(at) ? dropParams(req, (k) => k === 'api_preset') : req),
  },
  {
    name: 'sideload-missing',
    area: 'include/exclude',
    description: 'sideloading=true drops the sideloaded lists',
    reply: (r, at) => {
      const k = envelopeKey(r.body);
      if (k && at.query.get('sideloading') === 'true')
        for (const key of Object.keys(r.body as Obj))
          if (!ENVELOPE_HEAD.includes(key) && key !== k) delete (r.body as Obj)[key];
      return r;
    },
  },
  {
    name: 'bulk-create-partial',
    area: 'bulk',
    description: 'a bulk create saves (and answers) only the first item',
    request: (req, at) =>
      at.op?.behaviour === 'create' && Array.isArray(req.body.value) && req.body.value.length > 1
        ? { ...req, body: { present: true, value: req.body.value.slice(0, 1) } }
        : req,
  },
  {
    name: 'bulk-delete-noop',
    area: 'bulk',
    description: 'a bulk delete answers 204 and deletes nothing',
    answer: (_req, at) => (at.op?.behaviour === 'bulkDelete' ? { status: 204 } : undefined),
  },
  {
    name: 'patch-all-count-wrong',
    area: 'patch-all',
    description: 'patch-all reports one more record in meta.updated than it changed',
    reply: (r) => {
      const meta = isObj(r.body) ? r.body.meta : undefined;
      if (isObj(meta) && typeof meta.updated === 'number') meta.updated += 1;
      return r;
    },
  },
  {
    name: 'execution-stuck-running',
    area: 'async lifecycles',
    description: 'execution-status says "running" forever',
    reply: (r, at) => {
      if (
        at.op?.behaviour === 'executionStatus' &&
        isObj(r.body) &&
        (r.body.status === 'finished' || r.body.status === 'failed')
      )
        Object.assign(r.body, { status: 'running', finished: null });
      return r;
    },
  },
  {
    name: 'job-stuck-started',
    area: 'async lifecycles',
    description: 'management job status stays STARTED',
    reply: (r, at) => {
      if (at.op?.behaviour === 'managementJobStatus' && isObj(r.body) && r.body.status === 'FINISHED')
        Object.assign(r.body, { status: 'STARTED', end_time: null });
      return r;
    },
  },
  {
    name: 'anonymous-patch-accepted',
    area: 'auth',
    description: 'an anonymous PATCH is served as if a superuser sent it',
    request: (req, at) =>
      at.method === 'PATCH' && at.op?.api === 'geonode' && !req.headers.authorization
        ? { ...req, headers: { ...req.headers, authorization: `Bearer ${superuserToken(at.env)}` } }
        : req,
  },
  {
    name: 'favorite-not-recorded',
    area: 'favorites',
    description: 'adding a favorite answers 201 but records nothing',
    answer: (req, at) =>
      at.op?.behaviour === 'favorite' && req.method === 'POST'
        ? { status: 201, body: { message: 'Successfuly added resource to favorites' } }
        : undefined,
  },
  {
    name: 'users-open-to-anonymous',
    area: 'auth',
    description: 'GET on /users is served to anonymous callers as if a superuser asked',
    request: (req, at) =>
      at.method === 'GET' && at.op?.api === 'geonode' && at.op.ext.collection === 'users' && !req.headers.authorization
        ? { ...req, headers: { ...req.headers, authorization: `Bearer ${superuserToken(at.env)}` } }
        : req,
  },
  {
    name: 'invalid-page-served',
    area: 'validation',
    description: 'a page that is not a positive number is ignored (page 1 is served) instead of 404 Invalid page.',
    request: (req, at) =>
      at.method === 'GET' && at.op?.api === 'geonode'
        ? dropParams(req, (k) => k === 'page' && !/^[1-9]\d*$/.test(at.query.get('page') ?? ''))
        : req,
  },
  {
    name: 'detail-answers-202',
    area: 'status codes',
    description: 'a GeoNode detail GET answers 202 instead of 200',
    reply: (r, at) =>
      is(at, 'geonode', 'retrieve') && at.method === 'GET' && r.status === 200 ? { ...r, status: 202 } : r,
  },
  {
    name: 'update-not-saved',
    area: 'fields',
    description: 'PUT/PATCH of one record answers 200 but stores nothing',
    request: (req, at) =>
      at.op?.behaviour === 'update' && isObj(req.body.value) ? { ...req, body: { present: true, value: {} } } : req,
  },
  {
    name: 'bulk-update-ignored',
    area: 'bulk',
    description: 'a bulk update answers 200 with the records but changes none of them',
    request: (req, at) =>
      at.op?.behaviour === 'bulkUpdate' && Array.isArray(req.body.value)
        ? {
            ...req,
            body: {
              present: true,
              value: req.body.value.map((i) =>
                isObj(i)
                  ? { ...(i.pk !== undefined ? { pk: i.pk } : {}), ...(i.id !== undefined ? { id: i.id } : {}) }
                  : i,
              ),
            },
          }
        : req,
  },
  {
    name: 'catalog-page-ignored',
    area: 'pagination',
    description: 'catalogue lists ignore page= (every page is the first)',
    request: (req, at) => (is(at, 'koordinates', 'catalogList') ? dropParams(req, (k) => k === 'page') : req),
  },
  {
    name: 'permissions-not-applied',
    area: 'permissions',
    description: 'PUT/PATCH of permissions ignores the users it names',
    request: (req, at) =>
      at.op?.behaviour === 'permissions' && isObj(req.body.value) && Array.isArray(req.body.value.users)
        ? { ...req, body: { present: true, value: { ...req.body.value, users: [] } } }
        : req,
  },
  // shapes and statuses read from GeoNode's source (4.4.3): each is a way a server can look almost right
  {
    name: 'rights-after-lookup',
    area: 'status codes',
    description:
      'a resource the caller may not view answers 404 (rights checked after the queryset filter) instead of 401/403',
    reply: (r, at) =>
      at.method === 'GET' &&
      at.op?.api === 'geonode' &&
      (r.status === 401 || r.status === 403) &&
      ['retrieve', 'relation', 'relatedField'].includes(at.op.behaviour)
        ? { status: 404, body: { detail: 'Not found.' } }
        : r,
  },
  {
    name: 'anonymous-method-405',
    area: 'auth',
    description: 'an anonymous call with a method the path does not serve answers 405 before authentication',
    reply: (r, at) =>
      !at.op && !['GET', 'HEAD', 'OPTIONS'].includes(at.method) && (r.status === 401 || r.status === 403)
        ? {
            status: 405,
            body: { success: false, errors: [`Method "${at.method}" not allowed.`], code: 'method_not_allowed' },
          }
        : r,
  },
  {
    name: 'new-resource-unadvertised',
    area: 'fields',
    description: 'a created resource answers advertised false and an empty polymorphic_ctype_id',
    reply: (r, at) => {
      if (at.op?.api === 'geonode' && at.op.behaviour === 'create' && r.status === 201)
        visit(r.body, (o) => {
          if ('polymorphic_ctype_id' in o) Object.assign(o, { advertised: false, polymorphic_ctype_id: '' });
        });
      return r;
    },
  },
  {
    name: 'permissions-spec-compact',
    area: 'permissions',
    description: 'set_permissions executions show the compact spec (users as a list) instead of the extended one',
    reply: (r) => {
      visit(r.body, (o) => {
        if (o.func_name === 'set_permissions' && isObj(o.input_params) && isObj(o.input_params.permissions))
          o.input_params.permissions = { users: [], groups: [] };
      });
      return r;
    },
  },
  {
    name: 'members-with-perms',
    area: 'fields',
    description: 'group members and managers carry perms, which GeoNode deletes without a request',
    reply: (r, at) => {
      if (at.op?.ext.relation === 'members' || at.op?.ext.relation === 'managers')
        for (const u of itemsOf(r.body) ?? []) if (isObj(u)) u.perms = [];
      return r;
    },
  },
  {
    name: 'map-datasets-with-perms',
    area: 'fields',
    description: "a map's datasets carry the caller's perms instead of the []  GeoNode renders without a request",
    reply: (r, at) => {
      if (at.op?.operationId === 'listMapDatasets')
        for (const d of itemsOf(r.body) ?? []) if (isObj(d)) d.perms = ['view_resourcebase'];
      return r;
    },
  },
  {
    name: 'dataset-maps-string-pk',
    area: 'types',
    description:
      "a dataset's maps answer string pks (full resources' typing) instead of SimpleMapSerializer's integers",
    reply: (r, at) => {
      if (at.op?.operationId === 'listDatasetMaps')
        for (const m of itemsOf(r.body) ?? []) if (isObj(m)) m.pk = String(m.pk);
      return r;
    },
  },
  {
    name: 'maplayer-dataset-pk-string',
    area: 'types',
    description: "map layers' embedded datasets answer string pks instead of integers",
    reply: (r) => {
      visit(r.body, (o) => {
        if (isObj(o.dataset) && typeof o.dataset.pk === 'number') o.dataset.pk = String(o.dataset.pk);
      });
      return r;
    },
  },
  {
    name: 'featureinfo-empty-string',
    area: 'fields',
    description: 'datasets answer featureinfo_custom_template "" where GeoNode computes a template or null',
    reply: (r) => {
      visit(r.body, (o) => {
        if ('featureinfo_custom_template' in o) o.featureinfo_custom_template = '';
      });
      return r;
    },
  },
  {
    name: 'document-multipart-refused',
    area: 'request bodies',
    description:
      'a document create sent as multipart (the form GeoNode\'s front end sends) is refused: 400 "title: This field is required."',
    answer: (req, at) =>
      at.op?.operationId === 'createDocument' && isObj(req.body.value) && req.body.value.__multipart === true
        ? { status: 400, body: { success: false, errors: ['title: This field is required.'], code: 'invalid' } }
        : undefined,
  },
  {
    name: 'filter-in-drops-one',
    area: 'completeness',
    description:
      'GeoNode lists with filter{….in} leave out one matching record (the page, total and links stay consistent)',
    reply: (r, at) =>
      at.op?.api === 'geonode' && isList(at) && hasKey(at, (k) => /^filter\{[^}]*\.in\}$/.test(k))
        ? dropLastItem(r)
        : r,
  },
  {
    name: 'filter-negation-drops-one',
    area: 'completeness',
    description: 'GeoNode lists with a negated filter{-…} also leave out one record that matches',
    reply: (r, at) =>
      at.op?.api === 'geonode' && isList(at) && hasKey(at, (k) => k.startsWith('filter{-')) ? dropLastItem(r) : r,
  },
  {
    name: 'catalog-filter-or-drops-one',
    area: 'completeness',
    description:
      'catalogue lists with a filter name repeated (kind=a&kind=b) leave out one matching item (X-Resource-Range adjusted)',
    reply: (r, at) => (is(at, 'koordinates', 'catalogList') && repeatedName(at, 'kind', 'group') ? dropLastItem(r) : r),
  },
  {
    name: 'page-item-repeated',
    area: 'completeness',
    description:
      "on list pages after the first, the last item is a second copy of the page's first (one record repeated, another never shown; counts unchanged)",
    reply: (r, at) => {
      const items = isList(at) && Number(at.query.get('page') ?? '1') > 1 ? itemsOf(r.body) : undefined;
      if (items && items.length >= 2) items[items.length - 1] = structuredClone(items[0]);
      return r;
    },
  },
  {
    name: 'sort-drops-one',
    area: 'completeness',
    description:
      'lists asked for a sort (sort[]= on GeoNode, sort= on the catalogue) leave out one record (total adjusted)',
    reply: (r, at) =>
      isList(at) && (at.query.has('sort[]') || (is(at, 'koordinates', 'catalogList') && at.query.has('sort')))
        ? dropLastItem(r)
        : r,
  },
  {
    name: 'projection-drops-one',
    area: 'completeness',
    description: 'GeoNode lists with include[], exclude[] or api_preset leave out one record (total adjusted)',
    reply: (r, at) =>
      at.op?.api === 'geonode' &&
      isList(at) &&
      hasKey(at, (k) => k === 'include[]' || k === 'exclude[]' || k === 'api_preset')
        ? dropLastItem(r)
        : r,
  },
  {
    name: 'facet-count-off',
    area: 'facets',
    description: 'facet topics count one resource more than the resource list finds with their filter',
    reply: (r, at) => {
      if (is(at, 'geonode', 'facetDetail', 'facetList'))
        visit(r.body, (o) => {
          if (typeof o.count === 'number' && 'key' in o) o.count += 1;
        });
      return r;
    },
  },
  {
    name: 'asset-not-stored',
    area: 'assets',
    description: 'creating an asset answers 201 with the asset but stores nothing',
    answer: (req, at) =>
      at.op?.behaviour === 'create' && at.op.ext.collection === 'assets' && isObj(req.body.value)
        ? {
            status: 201,
            body: {
              asset: {
                pk: 999999,
                title: req.body.value.title,
                description: null,
                type: req.body.value.type,
                owner: { pk: 0, username: basicUser(req.headers.authorization) },
                created: at.env.now(),
                asset_type: 'LocalAsset',
                subinfo: { locations: [] },
              },
            },
          }
        : undefined,
  },
  {
    name: 'self-transfer-accepted',
    area: 'users',
    description: 'transfer_resources to the user themself answers 200 instead of 400 "Cannot reassign to self"',
    reply: (r, at) =>
      at.op?.behaviour === 'transferResources' && r.status === 400
        ? { ...r, status: 200, body: 'Resources transfered successfully' }
        : r,
  },
  {
    name: 'metadata-errors-as-400',
    area: 'metadata upload',
    description: "the ISO metadata upload answers its refusals 400 instead of GeoNode's 500 dataset exceptions",
    reply: (r, at) => (at.op?.behaviour === 'datasetMetadataUpload' && r.status === 500 ? { ...r, status: 400 } : r),
  },
  {
    name: 'metadata-patch-ignored',
    area: 'fields',
    description: 'a PATCH of a metadata instance [5.x] answers success but stores nothing',
    answer: (req, at) =>
      at.op?.behaviour === 'metadataInstance' && req.method === 'PATCH'
        ? { status: 200, body: { message: 'The resource was updated successfully', extraErrors: {} } }
        : undefined,
  },
  {
    name: 'thumbnail-not-deleted',
    area: 'fields',
    description: 'delete_thumbnail [5.x] answers success but keeps the thumbnail',
    answer: (req, at) =>
      at.op?.behaviour === 'deleteThumbnail' && req.headers.authorization
        ? { status: 200, body: { message: 'Thumbnail deleted successfully.', success: true } }
        : undefined,
  },
  {
    name: 'challenge-header-missing',
    area: 'auth',
    description: 'GeoNode 401 answers lack WWW-Authenticate (a 5.x front end cannot tell a login is wanted)',
    reply: (r, at) =>
      at.op?.api === 'geonode' && r.status === 401 ? withHeader(r, 'WWW-Authenticate', () => undefined) : r,
  },
  {
    name: 'resource-asset-not-linked',
    area: 'assets',
    description: "[5.x] uploading files as a resource's asset answers 201 but stores nothing",
    answer: (_req, at) =>
      at.op?.behaviour === 'resourceAssetAdd'
        ? {
            status: 201,
            body: { message: 'Asset created and linked successfully.', asset_id: 987654, link_id: 987654 },
          }
        : undefined,
  },
  {
    name: 'permissions-put-replaces',
    area: 'permissions',
    description: '[5.x] a permissions PUT replaces the spec (the 4.4 behaviour) instead of merging into it',
    request: (req, at) =>
      at.op?.behaviour === 'permissions' && at.method === 'PUT' && at.op.contract.release === 5
        ? withUnnamedUsersRemoved(req, at)
        : req,
  },
  ...QUERY_FAULTS,
];

const BY_NAME = new Map(FAULTS.map((f) => [f.name, f]));

/** A permissions PUT that also sets every user granted before, but not named now, to `none`: a replace, not a merge. */
function withUnnamedUsersRemoved(req: PlainRequest, at: At): PlainRequest {
  const pk = /\/(\d+)\/permissions\/?(?:\?|$)/.exec(req.url)?.[1];
  const body = req.body.value;
  if (!pk || !isObj(body) || !Array.isArray(body.users)) return req;
  const named = new Set(body.users.map((u) => (isObj(u) ? u.id : undefined)));
  const granted = ((at.env.store.collection('grants').get(pk)?.users as Obj[] | undefined) ?? []).filter(
    (u) => u.permissions !== 'owner' && !named.has(u.id),
  );
  return {
    ...req,
    body: {
      present: true,
      value: { ...body, users: [...body.users, ...granted.map((u) => ({ id: u.id, permissions: 'none' }))] },
    },
  };
}

/** The user name of a Basic authorization header ('' otherwise). */
function basicUser(header: string | undefined): string {
  const m = /^Basic\s+(\S+)/i.exec(header ?? '');
  return m ? Buffer.from(m[1], 'base64').toString('utf8').split(':')[0] : '';
}

/** A bearer token of a superuser, for the fault that lets anonymous writes through. */
function superuserToken(env: Env): string {
  const users = env.store.collection('users');
  const t = env.store
    .collection('tokens')
    .all()
    .find((x) => users.get(x.user as number)?.is_superuser === true);
  return String(t?.token ?? '');
}

/** Names that are not faults (empty when every name is known). */
export function unknownFaults(names: readonly string[]): string[] {
  return names.filter((n) => !BY_NAME.has(n));
}

export function faultUsage(names: readonly string[]): string {
  return `unknown fault ${unknownFaults(names)
    .map((n) => `"${n}"`)
    .join(', ')}; the faults are: ${FAULTS.map((f) => f.name).join(', ')}`;
}

/** `run` (dispatch) with the named faults around it. */
export function withFaults(
  names: readonly string[],
  routes: Route[],
  env: Env,
  run: (req: PlainRequest) => Reply | Promise<Reply>,
): (req: PlainRequest) => Promise<Reply> {
  const active = names.map((n) => BY_NAME.get(n)).filter((f): f is Fault => !!f);
  return async (original) => {
    const q = original.url.indexOf('?');
    const pathname = q >= 0 ? original.url.slice(0, q) : original.url;
    const method = original.method.toUpperCase();
    const route = matchRoute(routes, pathname)?.route;
    const at: At = {
      op: route?.operations.get((method === 'HEAD' ? 'get' : method.toLowerCase()) as Method),
      method,
      query: new URLSearchParams(q >= 0 ? original.url.slice(q + 1) : ''),
      env,
    };
    let req = original;
    for (const f of active) if (f.request) req = f.request(req, at);
    let reply: Reply | undefined;
    for (const f of active) reply ??= f.answer?.(req, at);
    if (!reply) {
      try {
        for (const f of active) reply ??= await f.around?.(req, at, run);
        reply ??= await run(req);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        reply = { status: err.status, body: err.body, headers: { ...err.headers, 'X-Geostub-Error': err.errorName } };
      }
    }
    // replies may share objects with the store's caches: transforms work on a copy
    reply = { ...reply, body: structuredClone(reply.body), headers: { ...(reply.headers ?? {}) } };
    for (const f of active) if (f.reply) reply = f.reply(reply, at);
    return reply;
  };
}
