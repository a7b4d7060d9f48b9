/**
 * The routes GeoNode 5.0.2 registers under /api/v2/ (upstream commit 93492398a27f6c68dc012e7a560a288a5dda9656), as
 * the 4.4.3 inventory (geonode-4.4.3-routes.ts) changed by 5.0: what it dropped and what it added, each citing
 * 5.0.2's source. Placeholders are filled by the test as for 4.4.3.
 */
import { GEONODE_443_ROUTES, type RouteEntry } from './geonode-4.4.3-routes.js';

/** 5.0.2 upload/api/urls.py registers no UploadViewSet (`urlpatterns = []`); upload/urls.py:24-25 keeps the limits. */
export const DROPPED_IN_5: readonly RouteEntry[] = [
  ['GET', '/api/v2/uploads/', 'upload/api/urls.py (5.0.2: urlpatterns = [])'],
  ['POST', '/api/v2/uploads/', 'upload/api/urls.py (5.0.2: urlpatterns = [])'],
  ['GET', '/api/v2/uploads/{upload}/', 'upload/api/urls.py (5.0.2: urlpatterns = [])'],
];

export const ADDED_IN_5: readonly RouteEntry[] = [
  ['POST', '/api/v2/resources/{resource}/delete_thumbnail/', 'base/api/views.py:744-750'],
  ['GET', '/api/v2/resources/{resource}/iso_metadata_xml/', 'base/api/views.py:1351-1357'],
  ['POST', '/api/v2/resources/{resource}/assets/', 'base/api/views.py:1442-1449'],
  ['DELETE', '/api/v2/resources/{resource}/assets/1/', 'base/api/views.py:1506'],
  ['GET', '/api/v2/datasets/{dataset}/timeseries/', 'layers/api/views.py:198-205'],
  ['PUT', '/api/v2/datasets/{dataset}/timeseries/', 'layers/api/views.py:198-205'],
  ['GET', '/api/v2/metadata/', 'metadata/api/urls.py:32 (the router root)'],
  ['GET', '/api/v2/metadata/schema/', 'metadata/api/views.py:67'],
  ['GET', '/api/v2/metadata/schema/1/', 'metadata/api/views.py:67'],
  ['GET', '/api/v2/metadata/instance/{resource}/', 'metadata/api/views.py:85-88'],
  ['PUT', '/api/v2/metadata/instance/{resource}/', 'metadata/api/views.py:85-88'],
  ['PATCH', '/api/v2/metadata/instance/{resource}/', 'metadata/api/views.py:85-88'],
  ['GET', '/api/v2/metadata/autocomplete/thesaurus/1/keywords', 'metadata/api/urls.py:35-39'],
  ['GET', '/api/v2/metadata/autocomplete/users', 'metadata/api/urls.py:40-44'],
  ['GET', '/api/v2/metadata/autocomplete/resources', 'metadata/api/urls.py:45-49'],
  ['GET', '/api/v2/metadata/autocomplete/regions', 'metadata/api/urls.py:50-54'],
  ['GET', '/api/v2/metadata/autocomplete/hkeywords', 'metadata/api/urls.py:55-59'],
  ['GET', '/api/v2/metadata/autocomplete/groups', 'metadata/api/urls.py:60-64'],
  ['GET', '/api/v2/metadata/autocomplete/categories', 'metadata/api/urls.py:65-67'],
  ['GET', '/api/v2/metadata/autocomplete/licenses', 'metadata/api/urls.py:68-70'],
];

const dropped = new Set(DROPPED_IN_5.map(([m, p]) => `${m} ${p}`));
export const GEONODE_502_ROUTES: readonly RouteEntry[] = [
  ...GEONODE_443_ROUTES.filter(([m, p]) => !dropped.has(`${m} ${p}`)),
  ...ADDED_IN_5,
];
