/**
 * The resource service (`geonode/base/api/views.py:736-1147`, `geonode/resource/api/views.py:95-126` (4.4.3)): `POST
 * /resources/create|ingest/{type}`, `PUT /resources/{pk}/update|copy`, `DELETE /resources/{pk}/delete` and the
 * execution status. Each action stores a `ready` execution request and starts it on the server's clock
 * (`EXECUTION_JOB`); the effect happens when it finishes. The importer's `POST /uploads/upload` is in
 * upload.ts.
 *
 * Permission order follows GeoNode's views: `IsAuthenticated` (anonymous → 403 not_authenticated), then
 * `UserHasPerms` (unknown pk → 404 `{"detail": "Not found."}`, missing right → 403 permission_denied), then the
 * view's own check (→ 403 with an empty body).
 */
import { randomUUID } from 'node:crypto';
import { apiError } from '../../../core/errors.js';
import { json, type Behaviour } from '../../../core/types.js';
import type { StoredRecord } from '../../../store/index.js';
import { launchJob } from '../../../core/jobs.js';
import {
  bodyParams,
  drfBool,
  executionAccepted,
  failureRequested,
  hasLevel,
  newExecution,
  param,
  paramText,
  requireResourceLevel,
  resourceById,
  usernameOf,
  executionStatusBody,
} from './common.js';
import { EXECUTION_JOB } from '../lifecycles/executions.js';
import { isSuperuser } from '../context.js';
import { notAuthenticated } from '../people/identity.js';

/** `x-geostub-action`: create | ingest | update | copy | delete. */
export const executionStart: Behaviour = async (req, env) => {
  const action = String(req.op.ext.action ?? '');
  if (!req.user) throw notAuthenticated(req);
  const user = req.user;
  const params = bodyParams(req.body);
  let exec: StoredRecord;
  if (action === 'create' || action === 'ingest') {
    const uuid = typeof params.uuid === 'string' && params.uuid ? params.uuid : randomUUID();
    const existing = env.store
      .collection('resources')
      .list()
      .find((r) => r.uuid === uuid);
    const resource_type = param(req, 'resource_type', 'type');
    const defaults = paramText(params.defaults, JSON.stringify({ owner: user.username }));
    const input_params =
      action === 'ingest'
        ? { uuid, files: paramText(params.files, '[]'), resource_type, defaults }
        : { uuid, resource_type, defaults };
    exec = newExecution(env, user, {
      func_name: action,
      action,
      input_params,
      geonode_resource: existing ? Number(existing.pk) : null,
    });
  } else if (action === 'update' || action === 'copy' || action === 'delete') {
    const res = resourceById(env, param(req, 'id', 'pk', 'resource_id'));
    const pk = Number(res.pk);
    if (action === 'update') {
      requireResourceLevel(req, env, res, 'edit');
      const input_params = {
        uuid: res.uuid,
        xml_file: params.xml_file ?? null,
        metadata_uploaded: drfBool(params.metadata_uploaded) ?? false,
        vals: paramText(params.vals, '{}'),
        regions: params.regions ?? [],
        keywords: params.keywords ?? [],
        custom: params.custom ?? {},
        notify: drfBool(params.notify) ?? true,
      };
      exec = newExecution(env, user, { func_name: 'update', action, input_params, geonode_resource: pk });
    } else if (action === 'copy') {
      const downloadable = res.resource_type === 'dataset' || res.resource_type === 'document';
      if (downloadable) requireResourceLevel(req, env, res, 'download');
      if (!hasLevel(env, res, user, 'view')) throw apiError('emptyResponse', 403);
      if (res.is_copyable === false) throw apiError('messageBody', 400, 'Resource can not be cloned.');
      const owner = typeof params.owner === 'string' && params.owner ? params.owner : String(user.username);
      const input_params = { instance: pk, owner, defaults: paramText(params.defaults, '{}') };
      exec = newExecution(env, user, { func_name: 'copy', action, input_params, geonode_resource: pk });
    } else {
      requireResourceLevel(req, env, res, 'manage');
      exec = newExecution(env, user, {
        func_name: 'delete',
        action,
        input_params: { uuid: res.uuid },
        geonode_resource: pk,
      });
    }
  } else {
    throw new Error(`${req.op.operationId}: x-geostub-action "${action}" is not a resource-service action`);
  }
  launchJob(env, EXECUTION_JOB, exec, { since: String(exec.created), fail: failureRequested(req, params) });
  await env.persist();
  return executionAccepted(req, exec);
};

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** `GET /api/v2/resource-service/execution-status/{execution_id}` (empty-bodied 400/403/404). */
export const executionStatus: Behaviour = (req, env) => {
  const raw = param(req, 'execution_id', 'exec_id', 'id');
  if (!UUID.test(raw)) throw apiError('emptyResponse', 400);
  const hex = raw.replace(/-/g, '').toLowerCase();
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const coll = env.store.collection('execution_requests');
  const exec = coll.get(id) ?? coll.list().find((e) => String(e.exec_id).toLowerCase() === id);
  if (!exec) throw apiError('emptyResponse', 404);
  if (!req.user || (exec.user !== req.user.pk && !isSuperuser(req.user))) throw apiError('emptyResponse', 403);
  return json(200, executionStatusBody(exec, usernameOf(env, exec.user)));
};
