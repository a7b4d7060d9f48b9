/**
 * Who is calling GeoNode: Basic, Bearer or `?access_token=` (the authentication classes of
 * `geonode/settings.py:537-541` (4.4.3); OAuth2 takes the header or the parameter). Tokens compared in constant time.
 */
import { apiError, type ApiError } from '../../../core/errors.js';
import { sameSecret } from '../../../core/secret.js';
import type { Store, StoredRecord } from '../../../store/index.js';

export type Identity = { user: StoredRecord | null; failed?: 'basic' };

function userByToken(store: Store, token: string): StoredRecord | null {
  let found: StoredRecord | null = null;
  for (const t of store.collection('tokens').list()) if (sameSecret(String(t.token), token)) found = t as StoredRecord;
  return found ? (store.collection('users').get(found.user) ?? null) : null;
}

export function geonodeIdentity(store: Store, authorization: string | undefined, query: URLSearchParams): Identity {
  const auth = authorization?.trim() ?? '';
  const [scheme, ...rest] = auth.split(/\s+/);
  const credential = rest.join(' ');
  if (scheme?.toLowerCase() === 'basic' && credential) {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const at = decoded.indexOf(':');
    const username = at >= 0 ? decoded.slice(0, at) : decoded;
    const password = at >= 0 ? decoded.slice(at + 1) : '';
    const user = store
      .collection('users')
      .list()
      .find((u) => u.username === username);
    if (user && typeof user.password === 'string' && sameSecret(user.password, password)) return { user };
    return { user: null, failed: 'basic' };
  }
  if (scheme?.toLowerCase() === 'bearer' && credential) return { user: userByToken(store, credential) };
  const token = query.get('access_token');
  if (token) return { user: userByToken(store, token) };
  return { user: null };
}

/**
 * GeoNode's answer to an anonymous caller where a login is needed: 401 + `WWW-Authenticate: Basic realm="api"` when
 * the view's first authentication class is Basic (every view in 5.0; harvesting and management in 4.4), else 403.
 */
export function notAuthenticated(req: { op: { ext: Record<string, unknown> } }): ApiError {
  return apiError(req.op.ext['auth-first'] === 'basic' ? 'notAuthenticatedBasic' : 'notAuthenticated');
}
