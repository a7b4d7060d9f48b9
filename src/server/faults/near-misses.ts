/**
 * Planted faults read from GeoNode's source (4.4.3, and 5.0 where marked [5.x]): shapes, statuses and results a
 * server can get almost right — rights checked after the lookup, perms rendered without a request, a query answered
 * one record short with the page kept consistent, a 5.x permissions PUT that replaces instead of merging.
 */
import {
  isObj,
  itemsOf,
  is,
  isList,
  visit,
  withHeader,
  dropLastItem,
  hasKey,
  repeatedName,
  basicUser,
  withUnnamedUsersRemoved,
} from './kit.js';
import type { Fault } from './types.js';

export const NEAR_MISS_FAULTS: Fault[] = [
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
];
