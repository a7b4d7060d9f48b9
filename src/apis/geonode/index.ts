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

/** How the server speaks GeoNode: its behaviours, its identity rules and its error shapes. */
export const geonodeBinding: ApiBinding = {
  behaviours: GEONODE_BEHAVIOURS,
  identify(env, { headers, query, route }) {
    const id = identify(env.store, headers.authorization, query);
    if (id.failed === 'basic') {
      // a wrong password fails on the first (Session-first views: 403) or Basic-first views (401)
      const basicFirst = route.slash === 'required' || route.path.includes('execution-status');
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
};
