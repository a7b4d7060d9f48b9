/**
 * The importer's `POST /api/v2/uploads/upload` (`geonode/upload/api/views.py:131-211` (5.0.2); 4.4.3 took it from the
 * geonode-importer package): the upload limits, then an `import` execution
 * request (source `upload`) and an `uploads` record that move through the importer's steps on the server's clock
 * (lifecycles/executions.ts), ending with a new dataset.
 */
import { apiError } from '../../../core/errors.js';
import { launchJob } from '../../../core/jobs.js';
import { json, type Behaviour, type Env } from '../../../core/types.js';
import type { StoredRecord } from '../../../store/index.js';
import { bodyParams, drfBool, failureRequested, isObject, newExecution } from './common.js';
import { EXECUTION_JOB } from '../lifecycles/executions.js';

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
const FILE_PARAMS = [
  'base_file',
  'dbf_file',
  'shx_file',
  'prj_file',
  'xml_file',
  'sld_file',
  'cpg_file',
  'tif_file',
  'zip_file',
];

/** The file name of an uploaded part (multipart file, or a name/path sent as text). */
function fileName(v: unknown): string | undefined {
  if (typeof v === 'string' && v) return v.replace(/^.*[\\/]/, '');
  if (isObject(v))
    for (const k of ['filename', 'name', 'originalname'])
      if (typeof v[k] === 'string' && v[k]) return String(v[k]).replace(/^.*[\\/]/, '');
  return undefined;
}

/** Django's `filesizeformat` (with its non-breaking space): `1\u00a0byte`, `10.0\u00a0KB`, `100.0\u00a0MB`. */
export function fileSizeFormat(bytes: number): string {
  const units = ['KB', 'MB', 'GB', 'TB', 'PB'];
  if (bytes < 1024) return `${bytes}\u00a0${bytes === 1 ? 'byte' : 'bytes'}`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${(Math.round(value * 10) / 10).toFixed(1)}\u00a0${units[unit]}`;
}

function maxSize(env: Env, slug: string): number | undefined {
  const v = env.store.collection('upload_size_limits').get(slug)?.max_size;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The upload handler's limit on the whole request (`file_upload_handler`), checked while the body is read. */
function checkRequestSize(env: Env, requestBytes: number): void {
  const handler = maxSize(env, 'file_upload_handler');
  if (handler !== undefined && requestBytes > handler)
    throw apiError('totalUploadSizeExceeded', fileSizeFormat(handler));
}

/** GeoNode's `UploadLimitValidator`: the sum of the file sizes, then the user's unfinished uploads. */
function checkLimits(env: Env, user: StoredRecord, fileBytes: number): void {
  const dataset = maxSize(env, 'dataset_upload_size');
  if (dataset !== undefined && fileBytes > dataset) throw apiError('totalUploadSizeExceeded', fileSizeFormat(dataset));
  const max = env.store.collection('upload_parallelism_limits').get('default_max_parallel_uploads')?.max_number;
  if (typeof max !== 'number') return;
  const running = env.store
    .collection('uploads')
    .list()
    .filter(
      (u) => u.user === user.pk && u.complete !== true && u.state !== 'INVALID' && u.state !== 'PROCESSED',
    ).length;
  if (running >= max) throw apiError('uploadParallelismLimitExceeded', max);
}

/**
 * `POST /api/v2/uploads/upload` as the 4.2+ importer answers it: 201 `{"execution_id"}`. A file type no importer
 * handler takes falls back to the legacy stub, which answers `[]`.
 */
export const upload: Behaviour = async (req, env) => {
  if (!req.user) throw apiError('notAuthenticatedBasic'); // the importer lists Basic authentication first
  const user = req.user;
  checkRequestSize(env, isObject(req.body) && Buffer.isBuffer(req.body.raw) ? req.body.raw.length : 0);
  const params = bodyParams(req.body);
  const base = fileName(params.base_file) ?? fileName(params.zip_file);
  if (!base) throw apiError('invalid', 'This field is required.');
  const ext = base.includes('.') ? base.slice(base.lastIndexOf('.') + 1).toLowerCase() : '';
  const handler = HANDLERS[ext];
  // 4.4's geonode-importer falls back to the legacy uploader, which answers `[]`; 5.0 has no fallback
  if (!handler) {
    if (req.op.contract.release === 5) throw apiError('importerNoHandler');
    return json(200, []);
  }
  const sizes = Object.values(params).map((v) => (isObject(v) && typeof v.size === 'number' ? v.size : 0));
  checkLimits(
    env,
    user,
    sizes.reduce((a, b) => a + b, 0),
  );
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
  const exec = newExecution(env, user, {
    func_name: 'start_import',
    step: 'start_import',
    action: 'import',
    source: 'upload',
    name: base,
    input_params,
    geonode_resource: null,
  });
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
    state: 'READY',
    progress: 0.0,
    complete: false,
    import_id: 100000 + id * 37,
    resume_url: null,
    delete_url: `/upload/delete/${id}`,
    import_url: null,
    detail_url: null,
    uploadfile_set: {
      name: stem,
      files: Object.values(files).map((f) => ({
        name: f.replace(/^.*\//, ''),
        slug: f
          .replace(/^.*\//, '')
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-'),
        file: f,
      })),
    },
    link: `/api/v2/uploads/${id}`,
    resource_pk: null,
    execution_id: exec.exec_id,
  });
  launchJob(env, EXECUTION_JOB, exec, { since: String(exec.created), fail: failureRequested(req, params) });
  await env.persist();
  return json(201, { execution_id: exec.exec_id });
};
