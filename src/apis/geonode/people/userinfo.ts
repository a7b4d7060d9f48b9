/**
 * `GET /api/o/v4/userinfo` (4.4.3 and 5.0.2 `geonode/api/views.py:56-87`, `urls.py:120`): the OAuth2 user-info
 * answer the GeoNode front end asks for at start. A plain Django view: the caller comes from the middlewares
 * (session, OAuth2 Bearer token, Basic or API key); an anonymous caller gets 401 with GeoNode's own body and no
 * `WWW-Authenticate` challenge. `groups` are the Django group names of the caller's group profiles, plus `admin`
 * for a superuser; `access_token` is the caller's token (GeoNode's `get_auth_token`).
 */
import { json, type Behaviour } from '../../../core/types.js';

export const userInfo: Behaviour = (req, env) => {
  const user = req.user;
  if (!user) return json(401, { success: false, status: 'error', errors: { user: ['User is not authenticated'] } });
  const groupPks = new Set(
    env.store
      .collection('memberships')
      .list()
      .filter((m) => m.user === user.pk)
      .map((m) => m.group),
  );
  const groups = env.store
    .collection('groups')
    .list()
    .filter((g) => groupPks.has(g.pk))
    .map((g) => String((g.group as { name?: unknown } | undefined)?.name ?? g.slug));
  if (user.is_superuser === true) groups.push('admin');
  const token =
    env.store
      .collection('tokens')
      .list()
      .find((t) => t.user === user.pk)?.token ?? null;
  const first = String(user.first_name ?? '');
  const last = String(user.last_name ?? '');
  return json(
    200,
    {
      sub: String(user.pk),
      name: `${first} ${last}`,
      given_name: first,
      family_name: last,
      email: String(user.email ?? ''),
      preferred_username: String(user.username),
      groups,
      access_token: String(token),
    },
    { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
  );
};
