/**
 * `GET/PUT/PATCH/DELETE /api/v2/resources/{pk}/permissions` (facts §5.5). GET answers the compact spec; the writes
 * start a `permissions` execution request (`set_permissions` / `remove_permissions`) and answer like the resource
 * service. Anonymous → 403 not_authenticated; unknown pk → 404; no `change_resourcebase_permissions` (manage) or an
 * invalid spec → 403 / 400 with an empty body.
 */
import { apiError } from '../../errors/catalogue.js';
import { json, type Behaviour } from '../../behaviours/types.js';
import { launchJob } from '../../behaviours/jobs.js';
import { executionAccepted, failureRequested, hasLevel, isObject, newExecution, param, resourceById } from './actions-common.js';
import { currentSpec, extendedSpec, mergeSpec, parseSpec, renderSpec } from './actions-grants.js';
import { EXECUTION_JOB } from './actions-lifecycle.js';

export const permissions: Behaviour = async (req, env) => {
  if (!req.user) throw apiError('notAuthenticated');
  const user = req.user;
  const res = resourceById(env, param(req, 'id', 'pk', 'resource_id'));
  if (!hasLevel(env, res, user, 'manage')) throw apiError('emptyResponse', 403);
  if (req.method === 'GET') return json(200, renderSpec(env.store, res, req.origin));
  const pk = Number(res.pk);
  const body = isObject(req.body) ? req.body : {};
  const ownerName = String((res.owner as { username?: unknown } | null)?.username ?? '');
  let exec;
  if (req.method === 'DELETE') {
    exec = newExecution(env, user, { func_name: 'remove_permissions', action: 'permissions', input_params: { uuid: res.uuid }, geonode_resource: pk });
  } else {
    const given = parseSpec(env.store, req.body);
    if (!given) throw apiError('emptyResponse', 400);
    const spec = req.method === 'PATCH' ? mergeSpec(currentSpec(env.store, res), given) : given;
    // GeoNode stores the spec in its extended form (codenames per username / group name, 4.4.3
    // base/api/views.py:614-645); the compact spec the effect applies is kept beside it, out of the rendered fields
    const input_params = {
      uuid: res.uuid,
      owner: typeof body.owner === 'string' && body.owner ? body.owner : ownerName,
      permissions: extendedSpec(env.store, res, spec),
      created: body.created === true,
    };
    exec = newExecution(env, user, { func_name: 'set_permissions', action: 'permissions', input_params, geonode_resource: pk, internal: { compact_spec: spec } });
  }
  launchJob(env, EXECUTION_JOB, exec, { since: String(exec.created), fail: failureRequested(req, body) });
  await env.persist();
  return executionAccepted(req, exec);
};
