/**
 * Who may open geostub's inspector (`/__geostub/`): a GeoNode superuser, by Basic credentials, a Bearer token or
 * `?token=` (the same token GeoNode takes as `?access_token=`). The answer carries the superuser's token, which the
 * inspector page uses for its own calls (the record browser reads the API as that superuser; the live log's
 * EventSource cannot set headers and passes it as `?token=`).
 */
import type { Store } from '../../store/index.js';
import { geonodeIdentity } from './people/identity.js';

export interface InspectorUser {
  username: string;
  /** a GeoNode token of that user, when they have one */
  token: string | null;
}

export type InspectorLoginCheck = (authorization: string | undefined, query: URLSearchParams) => InspectorUser | null;

export function geonodeInspectorAccess(store: Store): InspectorLoginCheck {
  return (authorization, query) => {
    const token = query.get('token');
    const q = new URLSearchParams(token ? { access_token: token } : {});
    const { user } = geonodeIdentity(store, token ? undefined : authorization, q);
    if (!user || user.is_superuser !== true) return null;
    const own = store
      .collection('tokens')
      .list()
      .find((t) => t.user === user.pk);
    return { username: String(user.username), token: own ? String(own.token) : null };
  };
}
