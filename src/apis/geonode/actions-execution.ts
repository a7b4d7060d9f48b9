/**
 * The resource service (facts §6.1): `POST /resources/create|ingest/{type}`, `PUT /resources/{pk}/update|copy`,
 * `DELETE /resources/{pk}/delete`, the execution status, and the importer's `POST /uploads/upload` (§6.4).
 *
 * Permission order follows GeoNode's views: `IsAuthenticated` (anonymous → 403 not_authenticated), then
 * `UserHasPerms` (unknown pk → 404 `{"detail": "Not found."}`, missing right → 403 permission_denied), then the
 * view's own check (→ 403 with an empty body).
 */
import { randomUUID } from 'node:crypto';
import { apiError } from '../../errors/catalogue.js';
import { json, type Behaviour } from '../../behaviours/types.js';
import type { StoredRecord } from '../../store/collection.js';
import {
  bodyParams,
  drfBool,
  executionAccepted,
  hasLevel,
  isObject,
  newExecution,
  param,
  paramText,
  requireResourceLevel,
  resourceById,
  usernameOf,
} from './actions-common.js';
import { settleExecution } from './actions-lifecycle.js';
import { isSuperuser } from './context.js';

/** `x-geostub-action`: create | ingest | update | copy | delete. */
export const executionStart: Behaviour = async (req, env) => {
  const action = String(req.op.ext.action ?? '');
  if (!req.user) throw apiError('notAuthenticated');
  const user = req.user;
  const params = bodyParams(req.body);
  let exec: StoredRecord;
  if (action === 'create' || action === 'ingest') {
    const uuid = typeof params.uuid === 'string' && params.uuid ? params.uuid : randomUUID();
    const existing = env.store.collection('resources').all().find((r) => r.uuid === uuid);
    const resource_type = param(req, 'resource_type', 'type');
    const defaults = paramText(params.defaults, JSON.stringify({ owner: user.username }));
    const input_params =
      action === 'ingest' ? { uuid, files: paramText(params.files, '[]'), resource_type, defaults } : { uuid, resource_type, defaults };
    exec = newExecution(env, user, { func_name: action, action, input_params, geonode_resource: existing ? Number(existing.pk) : null });
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
      exec = newExecution(env, user, { func_name: 'delete', action, input_params: { uuid: res.uuid }, geonode_resource: pk });
    }
  } else {
    throw new Error(`${req.op.operationId}: x-geostub-action "${action}" is not a resource-service action`);
  }
  settleExecution(env.store, exec, env.now(), req.op.contract);
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
  const exec = coll.get(id) ?? coll.all().find((e) => String(e.exec_id).toLowerCase() === id);
  if (!exec) throw apiError('emptyResponse', 404);
  if (!req.user || (exec.user !== req.user.pk && !isSuperuser(req.user))) throw apiError('emptyResponse', 403);
  return json(200, {
    user: usernameOf(env, exec.user),
    status: exec.status,
    func_name: exec.func_name,
    created: exec.created,
    finished: exec.finished ?? null,
    last_updated: exec.last_updated,
    input_params: exec.input_params ?? {},
    output_params: exec.output_params ?? {},
    step: exec.step ?? null,
    log: exec.log ?? null,
  });
};

const HANDLERS: Record<string, string> = {
  shp: 'importer.handlers.shapefile.handler.ShapeFileHandler',
  zip: 'importer.handlers.shapefile.handler.ShapeFileHandler',
  gpkg: 'importer.handlers.gpkg.handler.GPKGFileHandler',
  geojson: 'importer.handlers.geojson.handler.GeoJsonFileHandler',
  json: 'importer.handlers.geojson.handler.GeoJsonFileHandler',
  kml: 'importer.handlers.kml.handler.KMLFileHandler',
  kmz: 'importer.handlers.kml.handler.KMLFileHandler',
  csv: 'importer.handlers.csv.handler.CSVFileHandler',
  tif: 'importer.handlers.geotiff.handler.GeoTiffFileHandler',
  tiff: 'importer.handlers.geotiff.handler.GeoTiffFileHandler',
};
const FILE_PARAMS = ['base_file', 'dbf_file', 'shx_file', 'prj_file', 'xml_file', 'sld_file', 'cpg_file', 'tif_file', 'zip_file'];

/** The file name of an uploaded part (multipart file, or a name/path sent as text). */
function fileName(v: unknown): string | undefined {
  if (typeof v === 'string' && v) return v.replace(/^.*[\\/]/, '');
  if (isObject(v)) for (const k of ['filename', 'name', 'originalname']) if (typeof v[k] === 'string' && v[k]) return String(v[k]).replace(/^.*[\\/]/, '');
  return undefined;
}

/**
 * `POST /api/v2/uploads/upload` as the 4.2+ importer answers it: 201 `{"execution_id"}`, an `import` execution
 * request (source `upload`) and an `uploads` record, completed when the request finishes. A file type no importer
 * handler takes falls back to the legacy stub, which answers `[]`.
 */
export const upload: Behaviour = async (req, env) => {
  if (!req.user) throw apiError('notAuthenticatedBasic'); // the importer lists Basic authentication first
  const user = req.user;
  const params = bodyParams(req.body);
  const base = fileName(params.base_file) ?? fileName(params.zip_file);
  if (!base) throw apiError('invalid', 'This field is required.');
  const ext = base.includes('.') ? base.slice(base.lastIndexOf('.') + 1).toLowerCase() : '';
  const handler = HANDLERS[ext];
  if (!handler) return json(200, []);
  const files: Record<string, string> = {};
  for (const p of FILE_PARAMS) {
    const name = fileName(params[p]);
    if (name) files[p === 'zip_file' && !params.base_file ? 'base_file' : p] = `/mnt/volumes/statics/uploaded/${name}`;
  }
  const flag = (k: string, d: boolean) => drfBool(params[k]) ?? d;
  const input_params = {
    files,
    handler_module_path: handler,
    store_spatial_files: flag('store_spatial_files', true),
    overwrite_existing_layer: flag('overwrite_existing_layer', false),
    skip_existing_layers: flag('skip_existing_layers', false),
    action: 'import',
  };
  const exec = newExecution(env, user, { func_name: 'start_import', step: 'start_import', action: 'import', source: 'upload', name: base, input_params, geonode_resource: null });
  const uploads = env.store.collection('uploads');
  const id = Number(uploads.nextId());
  const now = env.now();
  const stem = base.replace(/\.[^.]*$/, '');
  uploads.insert({
    id,
    name: stem,
    date: now,
    create_date: now,
    user: user.pk,
    state: 'RUNNING',
    progress: 0.0,
    complete: false,
    import_id: 100000 + id * 37,
    resume_url: null,
    delete_url: `/upload/delete/${id}`,
    import_url: null,
    detail_url: null,
    uploadfile_set: { name: stem, files: Object.values(files).map((f) => ({ name: f.replace(/^.*\//, ''), slug: f.replace(/^.*\//, '').toLowerCase().replace(/[^a-z0-9]+/g, '-'), file: f })) },
    link: `/api/v2/uploads/${id}`,
    resource_pk: null,
    execution_id: exec.exec_id,
  });
  settleExecution(env.store, exec, now, req.op.contract);
  await env.persist();
  return json(201, { execution_id: exec.exec_id });
};
