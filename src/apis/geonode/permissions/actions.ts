/**
 * `GET/PUT/PATCH/DELETE /api/v2/resources/{pk}/permissions` (`geonode/base/api/views.py:532-662` (4.4.3)). GET answers
 * the compact spec; the writes start a `permissions` execution request (`set_permissions` / `remove_permissions`) and
 * answer like the resource service. Anonymous → 403 not_authenticated; unknown pk → 404; no
 * `change_resourcebase_permissions` (manage) or an invalid spec → 403 / 400 with an empty body.
 */
import { apiError } from '../../../core/errors.js';
import { json, type Behaviour, type Env } from '../../../core/types.js';
import type { StoredRecord } from '../../../store/index.js';
import { isAdmin } from '../context.js';
import { launchJob } from '../../../core/jobs.js';
import {
  executionAccepted,
  failureRequested,
  hasLevel,
  isObject,
  newExecution,
  param,
  resourceById,
} from '../actions/common.js';
import {
  ANONYMOUS_GROUP,
  currentSpec,
  extendedSpec,
  mergeSpec,
  parseSpec,
  REGISTERED_GROUP,
  renderSpec,
} from './grants.js';
import { EXECUTION_JOB } from '../lifecycles/executions.js';
import { notAuthenticated } from '../people/identity.js';

export const permissions: Behaviour = async (req, env) => {
  if (!req.user) throw notAuthenticated(req);
  const user = req.user;
  const res = resourceById(env, param(req, 'id', 'pk', 'resource_id'));
  if (!hasLevel(env, res, user, 'manage')) throw apiError('emptyResponse', 403);
  if (req.method === 'GET') return json(200, renderSpec(env.store, res, req.origin));
  const pk = Number(res.pk);
  const body = isObject(req.body) ? req.body : {};
  const ownerName = String((res.owner as { username?: unknown } | null)?.username ?? '');
  let exec;
  if (req.method === 'DELETE') {
    exec = newExecution(env, user, {
      func_name: 'remove_permissions',
      action: 'permissions',
      input_params: { uuid: res.uuid },
      geonode_resource: pk,
    });
  } else if (req.op.contract.release === 5) {
    exec = setPermissions5(env, user, res, body);
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
    exec = newExecution(env, user, {
      func_name: 'set_permissions',
      action: 'permissions',
      input_params,
      geonode_resource: pk,
      internal: { compact_spec: spec },
    });
  }
  launchJob(env, EXECUTION_JOB, exec, { since: String(exec.created), fail: failureRequested(req, body) });
  await env.persist();
  return executionAccepted(req, exec);
};

/**
 * GeoNode 5.0's PUT and PATCH (5.0.2 base/api/views.py:617-657): both merge into the current spec; group entries for
 * anonymous / registered members are dropped when the caller lacks the virtual `can_manage_anonymous_permissions` /
 * `can_manage_registered_member_permissions` (security/handlers.py:57-92: staff, and editors while
 * EDITORS_CAN_MANAGE_* keep their default True — so everyone who may call this); a resource still being updated
 * (dirty) answers 400 with an empty body; `input_params` loses `owner`.
 */
function setPermissions5(env: Env, user: StoredRecord, res: StoredRecord, body: Record<string, unknown>): StoredRecord {
  const managesSpecial = isAdmin(user) || hasLevel(env, res, user, 'edit');
  const filtered =
    managesSpecial || !Array.isArray(body.groups)
      ? body
      : {
          ...body,
          groups: body.groups.filter(
            (g) => !(isObject(g) && (g.id === ANONYMOUS_GROUP.id || g.id === REGISTERED_GROUP.id)),
          ),
        };
  const given = parseSpec(env.store, filtered);
  if (!given) throw apiError('emptyResponse', 400);
  if (isDirty(env, res)) throw apiError('emptyResponse', 400); // "Cannot update if the resource is in dirty state"
  const spec = mergeSpec(currentSpec(env.store, res), given);
  const input_params = {
    uuid: res.uuid,
    permissions: extendedSpec(env.store, res, spec),
    created: body.created === true,
  };
  return newExecution(env, user, {
    func_name: 'set_permissions',
    action: 'permissions',
    input_params,
    geonode_resource: Number(res.pk),
    internal: { compact_spec: spec },
  });
}

/** A resource is dirty while a permission change on it has not finished (set_dirty_state … clear_dirty_state). */
function isDirty(env: Env, res: StoredRecord): boolean {
  return env.store
    .collection('execution_requests')
    .list()
    .some(
      (e) =>
        e.func_name === 'set_permissions' &&
        String(e.geonode_resource) === String(res.pk) &&
        (e.status === 'ready' || e.status === 'running'),
    );
}
