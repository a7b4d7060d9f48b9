/**
 * The lifecycle of execution requests (`geonode/resource/models.py:29-37`, `geonode/resource/api/tasks.py:84-150`
 * (4.4.3)): `ready` → `running` → `finished` | `failed`. Every state
 * transition, and the effect itself (which runs when the request finishes, as GeoNode's Celery task does), lives in
 * `advanceExecution`; `EXECUTION_JOB` runs it on the server's clock, one step per job duration. An import (upload)
 * takes more steps, its `uploads` record moving READY 0 → PENDING 33 → WAITING 50 → RUNNING 80 → PROCESSED 100 (or
 * INVALID 0; `Upload.progress`, `geonode/upload/models.py:183-199` (4.4.3)).
 */
import type { Contract } from '../../../contracts/load.js';
import type { JobKind } from '../../../core/jobs.js';
import type { Store, StoredRecord } from '../../../store/index.js';
import { isObject, jsonValue } from '../actions/common.js';
import { applyVals, buildResource, copyResource, keyOfType, slugName } from '../actions/build.js';
import { applySpec, clearGrants, type CompactSpec } from '../permissions/grants.js';
import { deleteResource } from '../writing/records.js';

interface Outcome {
  output_params: unknown;
  /** other fields of the request that the effect sets */
  patch?: StoredRecord;
}

const byUuid = (store: Store, uuid: unknown) =>
  store
    .collection('resources')
    .list()
    .find((r) => r.uuid === uuid);
const byUsername = (store: Store, name: unknown) =>
  store
    .collection('users')
    .list()
    .find((u) => u.username === name);

function mustExist<T>(v: T | undefined, what: string): T {
  if (v === undefined || v === null) throw new Error(`${what} matching query does not exist.`);
  return v;
}

function objectParam(v: unknown, name: string): Record<string, unknown> {
  const parsed = jsonValue(v, {});
  if (!isObject(parsed)) throw new Error(`'${name}' must be a JSON object`);
  return parsed;
}

/** Run the effect of a request; throws (→ `failed`) when GeoNode's task would. */
function runEffect(store: Store, exec: StoredRecord, now: string, contract?: Contract): Outcome {
  const input = (isObject(exec.input_params) ? exec.input_params : {}) as Record<string, unknown>;
  const requester = store.collection('users').get(exec.user);
  switch (exec.action) {
    case 'create':
    case 'ingest': {
      const type = String(input.resource_type ?? '');
      if (!keyOfType(type)) throw new Error(`Invalid resource_type: '${type}'`);
      const { owner: ownerName, ...defaults } = objectParam(input.defaults, 'defaults');
      const owner =
        ownerName === undefined ? mustExist(requester, 'User') : mustExist(byUsername(store, ownerName), 'User');
      if (byUuid(store, input.uuid)) throw new Error(`A resource with uuid ${String(input.uuid)} already exists`);
      if (exec.action === 'ingest' && !Array.isArray(jsonValue(input.files, [])))
        throw new Error("'files' must be a JSON list of paths");
      const rec = buildResource(store, contract, type, defaults, owner, now, String(input.uuid));
      return { output_params: { output: { uuid: rec.uuid } } };
    }
    case 'update': {
      const res = mustExist(byUuid(store, input.uuid), 'ResourceBase');
      applyVals(store, contract, res, objectParam(input.vals, 'vals'), jsonValue(input.keywords, []), now);
      return { output_params: { output: { uuid: res.uuid } } };
    }
    case 'copy': {
      const source = mustExist(store.collection('resources').get(String(input.instance)), 'ResourceBase');
      const owner = mustExist(input.owner === undefined ? requester : byUsername(store, input.owner), 'User');
      const copy = copyResource(store, contract, source, owner, objectParam(input.defaults, 'defaults'), now);
      return { output_params: { output: { uuid: copy.uuid } } };
    }
    case 'delete': {
      const res = byUuid(store, input.uuid);
      if (!res) return { output_params: { output: 0 } };
      deleteResource(store, String(res.pk));
      return { output_params: { output: 1 } };
    }
    case 'permissions': {
      const res = mustExist(byUuid(store, input.uuid), 'ResourceBase');
      if (exec.func_name === 'remove_permissions') clearGrants(store, res);
      else
        applySpec(
          store,
          res,
          (exec.compact_spec ?? input.permissions) as CompactSpec,
          typeof input.owner === 'string' ? input.owner : undefined,
        );
      return { output_params: { output: true } };
    }
    case 'import':
      return importEffect(store, contract, exec, input, mustExist(requester, 'User'), now);
  }
  return { output_params: { output: null } };
}

const SHAPEFILE_PARTS = ['dbf_file', 'shx_file', 'prj_file'];

/**
 * The importer's work (handed to `import_orchestrator` by `geonode/upload/api/views.py:131-207` (5.0.2)): one dataset
 * from the uploaded files, and its `uploads` record completed.
 */
function importEffect(
  store: Store,
  contract: Contract | undefined,
  exec: StoredRecord,
  input: Record<string, unknown>,
  owner: StoredRecord,
  now: string,
): Outcome {
  const files = (isObject(input.files) ? input.files : {}) as Record<string, unknown>;
  const base = String(files.base_file ?? '');
  const ext = base.includes('.') ? base.slice(base.lastIndexOf('.') + 1).toLowerCase() : '';
  if (ext === 'shp') {
    const missing = SHAPEFILE_PARTS.filter((p) => !files[p]).map((p) => p.slice(0, 3));
    if (missing.length)
      throw new Error(
        `Some of the files required by the shapefile are missing: ${missing.map((m) => `'${m}'`).join(', ')}`,
      );
  }
  const stem = base.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '') || 'dataset';
  const name = slugName(stem) || `dataset_${String(store.collection('resources').nextId())}`;
  const existing = store
    .collection('resources')
    .list()
    .find((r) => r.resource_type === 'dataset' && r.name === name);
  let dataset: StoredRecord;
  if (existing && input.overwrite_existing_layer === true) {
    store.collection('resources').update(existing.pk, { last_updated: now });
    dataset = existing;
  } else {
    const raster = ext === 'tif' || ext === 'tiff';
    dataset = buildResource(
      store,
      contract,
      'dataset',
      { title: stem, name, subtype: raster ? 'raster' : 'vector' },
      owner,
      now,
    );
    store.collection('resources').update(dataset.pk, { subtype: raster ? 'raster' : 'vector' });
  }
  const detailUrl = `/catalogue/#/dataset/${String(dataset.pk)}`;
  const uploads = store.collection('uploads');
  const upload = uploads.list().find((u) => u.execution_id === exec.exec_id);
  if (upload) {
    uploads.update(upload.id, {
      state: 'PROCESSED',
      progress: 100.0,
      complete: true,
      date: now,
      detail_url: detailUrl,
      resource_pk: String(dataset.pk),
      resume_url: null,
      delete_url: null,
      import_url: null,
    });
  }
  // 5.0's importer ends with the handler's last step, which lists what it made (5.0.2 upload/handlers/base.py:163-182)
  const output_params =
    contract?.release === 5
      ? { resources: [{ detail_url: detailUrl, id: Number(dataset.pk) }] }
      : { detail_url: [detailUrl] };
  return { output_params, patch: { geonode_resource: Number(dataset.pk), step: 'importer.finalize' } };
}

const IMPORT_STEPS: { step: string; state: string; progress: number }[] = [
  { step: 'importer.import_resource', state: 'PENDING', progress: 33.0 },
  { step: 'importer.publish_resource', state: 'WAITING', progress: 50.0 },
  { step: 'importer.create_geonode_resource', state: 'RUNNING', progress: 80.0 },
];

export const FAIL_ON_PURPOSE =
  'geostub: this job was made to fail on purpose (X-Geostub-Fail header or "geostub:fail" in the request)';

const uploadOf = (store: Store, exec: StoredRecord) =>
  store
    .collection('uploads')
    .list()
    .find((u) => u.execution_id === exec.exec_id);

/** End a request as failed with GeoNode's error output (an import: its upload INVALID). */
function failExecution(store: Store, exec: StoredRecord, text: string, now: string): void {
  let patch: StoredRecord;
  if (exec.action === 'import') {
    patch = { status: 'failed', log: text, output_params: { error: text } };
    const upload = uploadOf(store, exec);
    if (upload)
      store.collection('uploads').update(upload.id, { state: 'INVALID', progress: 0.0, complete: false, date: now });
  } else {
    patch = {
      status: 'failed',
      log: text,
      output_params: {
        error: `Error occurred while executin the operation: '${String(exec.func_name)}'`,
        exception: text,
      },
    };
  }
  store.collection('execution_requests').update(exec.exec_id, { ...patch, finished: now, last_updated: now });
}

/**
 * One step of a request's lifecycle: `ready` → `running`; `running` → `finished` with the effect applied and
 * `output_params` as `geonode/resource/api/tasks.py:124-150` (4.4.3) writes them (or `failed` with GeoNode's error
 * output; `fail` makes it fail on purpose). An import runs through the importer's steps first. Returns whether anything
 * changed. Pass the GeoNode contract so created resources get the contract's blank fields.
 */
export function advanceExecution(
  store: Store,
  exec: StoredRecord,
  now: string,
  contract?: Contract,
  fail?: boolean,
): boolean {
  const coll = store.collection('execution_requests');
  const importing = exec.action === 'import';
  if (exec.status === 'ready') {
    coll.update(exec.exec_id, {
      status: 'running',
      last_updated: now,
      ...(importing ? { func_name: 'import_resource', step: IMPORT_STEPS[0].step } : {}),
    });
    if (importing) moveUpload(store, exec, 0, now);
    return true;
  }
  if (exec.status !== 'running') return false;
  const at = IMPORT_STEPS.findIndex((s) => s.step === exec.step);
  if (importing && at >= 0 && at < IMPORT_STEPS.length - 1) {
    coll.update(exec.exec_id, { step: IMPORT_STEPS[at + 1].step, last_updated: now });
    moveUpload(store, exec, at + 1, now);
    return true;
  }
  if (fail) {
    failExecution(store, exec, FAIL_ON_PURPOSE, now);
    return true;
  }
  try {
    const outcome = runEffect(store, exec, now, contract);
    coll.update(exec.exec_id, {
      status: 'finished',
      output_params: outcome.output_params,
      ...outcome.patch,
      finished: now,
      last_updated: now,
    });
  } catch (err) {
    failExecution(store, exec, err instanceof Error ? err.message : String(err), now);
  }
  return true;
}

function moveUpload(store: Store, exec: StoredRecord, i: number, now: string): void {
  const upload = uploadOf(store, exec);
  if (upload)
    store
      .collection('uploads')
      .update(upload.id, { state: IMPORT_STEPS[i].state, progress: IMPORT_STEPS[i].progress, date: now });
}

/** Run a request to its end (`finished` or `failed`). */
export function settleExecution(store: Store, exec: StoredRecord, now: string, contract?: Contract): StoredRecord {
  for (let i = 0; i < 10 && advanceExecution(store, exec, now, contract); i++);
  return exec;
}

/** Execution requests on the server's clock: one step per job duration. */
export const EXECUTION_JOB: JobKind = {
  name: 'execution',
  collection: 'execution_requests',
  pending: (exec) => exec.status === 'ready' || exec.status === 'running',
  step(env, exec, at, book, stepMs) {
    const contract = env.contracts.find((c) => c.api === 'geonode');
    advanceExecution(env.store, exec, at, contract, book.fail === true);
    return exec.status === 'ready' || exec.status === 'running' ? stepMs : null;
  },
  abandon(env, exec, reason, at) {
    if (exec.status === 'ready' || exec.status === 'running') failExecution(env.store, exec, reason, at);
  },
};
