/**
 * Planted faults in what a request does: filters, sorts and projections ignored, bulk writes half done, lifecycles
 * that never end, writes let through without rights, records not stored — each answer well formed, so only a check
 * that reads the data back (or asks twice) catches it.
 */
import { isObj, ENVELOPE_HEAD, envelopeKey, itemsOf, is, isList, dropParams, superuserToken, type Obj } from './kit.js';
import type { Fault } from './types.js';

export const SEMANTICS_FAULTS: Fault[] = [
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
];
