/** GeoNode's behaviour table: the names the contract's `x-geostub-behaviour` uses, bound to code. */
import type { Behaviour } from '../../core/types.js';
import { list, retrieve } from './reading/read.js';
import { bulkDelete, bulkUpdate } from './writing/bulk.js';
import { create, destroy, update } from './writing/write.js';
import { apiRoot, relatedField, relation, resourceSubset, resourceTypes, schema } from './reading/endpoints.js';
import { ACTION_BEHAVIOURS } from './actions/index.js';

export const GEONODE_BEHAVIOURS: Record<string, Behaviour> = {
  apiRoot,
  schema,
  list,
  retrieve,
  create,
  update,
  destroy,
  bulkUpdate,
  bulkDelete,
  relation,
  resourceSubset,
  resourceTypes,
  relatedField,
  ...ACTION_BEHAVIOURS,
};

export { GEONODE_COLLECTIONS } from './collections.js';
export { GEONODE_STORE } from './store-collections.js';
export { geonodeIdentity } from './people/identity.js';

import { apiError } from '../../core/errors.js';
import type { ApiBinding } from '../../core/binding.js';
import type { Route } from '../../contracts/route-table.js';
import { geonodeIdentity as identify } from './people/identity.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Views whose permission classes start with IsAuthenticated or IsAuthenticatedOrReadOnly (base/api/views.py:120,306, people/api/views.py, resource/api/views.py in 4.4.3). */
const AUTHENTICATED_WRITES = /^\/api\/v2\/(resources|datasets|documents|maps|geoapps|users|groups|executionrequest)\//;

/** Whether the route's own writes need a login (the contract's `security` on its unsafe operations). */
function writesNeedLogin(route: Route): boolean {
  const writes = [...route.operations.values()].filter((op) => !SAFE_METHODS.has(op.method.toUpperCase()));
  return (
    writes.length > 0 &&
    writes.every((op) => {
      const security = (op.node.security ?? op.contract.doc.security) as unknown;
      return (
        Array.isArray(security) &&
        security.length > 0 &&
        !security.some((s) => !!s && typeof s === 'object' && Object.keys(s).length === 0)
      );
    })
  );
}

/** `--auth off`: the first superuser of the fixtures acts for every request. */
function superuser(env: Parameters<ApiBinding['identify']>[0]) {
  return (
    env.store
      .collection('users')
      .list()
      .find((u) => u.is_superuser === true) ?? null
  );
}

/** How the server speaks GeoNode: its behaviours, its identity rules and its error shapes. */
export const geonodeBinding: ApiBinding = {
  behaviours: GEONODE_BEHAVIOURS,
  identify(env, { headers, query, route }) {
    if (env.settings.auth === 'off') return { user: superuser(env) };
    const id = identify(env.store, headers.authorization, query);
    if (id.failed === 'basic') {
      // a wrong password: 401 + WWW-Authenticate where Basic is the view's first authentication class, else 403
      const basicFirst = route.authFirst === 'basic';
      return {
        user: null,
        error: basicFirst ? apiError('notAuthenticatedBasic') : apiError('authenticationFailed'),
      };
    }
    return { user: id.user };
  },
  methodNotAllowed(method, route, user) {
    // DRF authenticates and checks permissions before it looks for the method's handler (APIView.dispatch →
    // initial): on views whose first permission class is IsAuthenticated(OrReadOnly), an anonymous write is refused
    // as unauthenticated before any 405 (4.4.3 layers/api/views.py:63-67: anonymous DELETE /datasets/{id} → 403)
    if (!user && !SAFE_METHODS.has(method) && (AUTHENTICATED_WRITES.test(route.path) || writesNeedLogin(route))) {
      return apiError(route.authFirst === 'basic' ? 'notAuthenticatedBasic' : 'notAuthenticated');
    }
    return apiError('methodNotAllowed', method);
  },
  invalidBody: (message) => apiError('invalid', message),
  injectedError: (status) => apiError('injectedGeonode', status),
};
