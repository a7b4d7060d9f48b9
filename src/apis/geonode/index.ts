/** GeoNode's behaviour table: the names the contract's `x-geostub-behaviour` uses, bound to code. */
import type { Behaviour } from '../../behaviours/types.js';
import { list, retrieve } from './crud-read.js';
import { bulkDelete, bulkUpdate } from './crud-bulk.js';
import { create, destroy, update } from './crud-write.js';
import { apiRoot, relatedField, relation, resourceSubset, resourceTypes, schema } from './misc.js';
import { ACTION_BEHAVIOURS } from './actions.js';

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

export { GEONODE_STORE, GEONODE_COLLECTIONS } from './collections.js';
export { geonodeIdentity } from './identity.js';

import { apiError } from '../../errors/catalogue.js';
import type { ApiBinding } from '../../server/dispatch.js';
import { geonodeIdentity as identify } from './identity.js';

/** `--auth off`: the first superuser of the fixtures acts for every request. */
function superuser(env: Parameters<ApiBinding['identify']>[0]) {
  return env.store.collection('users').all().find((u) => u.is_superuser === true) ?? null;
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
        error: basicFirst
          ? apiError('notAuthenticatedBasic')
          : apiError('authenticationFailed'),
      };
    }
    return { user: id.user };
  },
  methodNotAllowed: (method) => apiError('methodNotAllowed', method),
  invalidBody: (message) => apiError('invalid', message),
  injectedError: (status) => apiError('injectedGeonode', status),
};
