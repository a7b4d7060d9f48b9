/**
 * GeoNode 5.0's asset actions on a resource (5.0.2 base/api/views.py:1442-1530): `POST /resources/{id}/assets`
 * uploads files as a new asset linked to the resource, `DELETE /resources/{id}/assets/{asset_id}` unlinks it (and
 * deletes it when no other resource links it; assets/utils.py:204-258). Bodies are `{"message": …}` as the view
 * writes them.
 */
import { json, type Behaviour, type BehaviourRequest, type Env } from '../../../core/types.js';
import type { StoredRecord } from '../../../store/index.js';
import { hasLevel, multipartFiles, bodyParams, type UploadedFile } from '../actions/common.js';
import { assetLinkPath } from './actions.js';
import { GEONODE_COLLECTIONS } from '../collections.js';
import { findRecord } from '../context.js';
import { apiError } from '../../../core/errors.js';
import { ALLOWED_DOCUMENT_TYPES } from '../writing/documents.js';
import { notAuthenticated } from '../people/identity.js';

/** Titles `create_asset_and_link` refuses and `unlink_asset` protects (views.py:1462, assets/utils.py:210). */
const RESERVED_TITLES = new Set(['Original', 'Files']);
/** What the dataset handlers take (get_supported_datasets_file_types' `required_ext`), besides document types. */
const DATASET_EXTENSIONS = [
  'shp',
  'dbf',
  'shx',
  'prj',
  'gpkg',
  'geojson',
  'json',
  'kml',
  'kmz',
  'csv',
  'tif',
  'tiff',
  'zip',
  'sld',
  'xml',
];
/** assets/utils.py DEFAULT_TYPES: the link type an extension gets (`data` otherwise). */
const IMAGE_EXTENSIONS = new Set(['jpg', 'jpeg', 'gif', 'png', 'bmp', 'svg']);

const message = (status: number, text: string) => json(status, { message: text });
const extensionOf = (name: string) =>
  name.lastIndexOf('.') > 0 ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
const stemOf = (name: string) => (name.lastIndexOf('.') > 0 ? name.slice(0, name.lastIndexOf('.')) : name);

/** `get_object_or_404(ResourceBase, pk=pk)`: any resource, visible or not (the view checks the change right next). */
function anyResource(req: BehaviourRequest, env: Env): StoredRecord {
  const id = req.params.id;
  const resource = /^\d+$/.test(id) ? env.store.collection('resources').get(id) : undefined;
  if (!resource) throw apiError('notFound');
  return resource;
}

/** `POST /api/v2/resources/{id}/assets` (multipart `files`, `title`, `description`). */
export const resourceAssetAdd: Behaviour = async (req, env) => {
  if (!req.user) throw notAuthenticated(req);
  const user = req.user;
  const files = multipartFiles(req.body, 'files');
  if (!files.length) return message(400, 'File(s) not provided.');
  const resource = anyResource(req, env);
  const params = bodyParams(req.body);
  const title = typeof params.title === 'string' && params.title !== '' ? params.title : undefined;
  const description =
    typeof params.description === 'string' && params.description !== '' ? params.description : undefined;
  if (title && RESERVED_TITLES.has(title)) return message(400, `'${title}' is a reserved title and cannot be used.`);
  if (!hasLevel(env, resource, user, 'edit'))
    return message(403, 'You do not have permission to add an asset to this resource.');
  for (const f of files) {
    const ext = extensionOf(f.filename);
    if (!ALLOWED_DOCUMENT_TYPES.has(ext) && !DATASET_EXTENSIONS.includes(ext))
      return message(400, `The uploaded file type ${ext} is not allowed.`);
  }
  const asset = createAsset(env, user, files, title, description);
  linkAsset(env, resource, asset, files[0], title);
  await env.persist();
  // geostub keeps links inside the resource: the link's id is the asset's (one link per asset here)
  return json(201, { message: 'Asset created and linked successfully.', asset_id: asset.pk, link_id: asset.pk });
};

function createAsset(
  env: Env,
  user: StoredRecord,
  files: UploadedFile[],
  title: string | undefined,
  description: string | undefined,
): StoredRecord {
  const assets = env.store.collection('assets');
  const pk = Number(assets.nextId());
  const folder = `/mnt/volumes/statics/assets/${stemOf(files[0].filename)}_${pk}`;
  return assets.insert({
    pk,
    title: title ?? stemOf(files[0].filename),
    description: description ?? 'Unknown',
    type: 'Unknown',
    owner: { pk: user.pk, username: user.username },
    created: env.now(),
    asset_type: 'LocalAsset',
    subinfo: { locations: files.map((f) => `${folder}/${f.filename}`) },
  });
}

/** `create_link` (assets/utils.py:63-85): the link a resource's `links` shows, pointing at the asset's file. */
function linkAsset(
  env: Env,
  resource: StoredRecord,
  asset: StoredRecord,
  first: UploadedFile,
  title: string | undefined,
): void {
  const ext = extensionOf(first.filename);
  const link = {
    extension: ext || 'Unknown',
    link_type: IMAGE_EXTENSIONS.has(ext) ? 'image' : 'data',
    name: title ?? stemOf(first.filename),
    mime: '',
    url: assetLinkPath(asset.pk),
    extras: {
      type: 'asset',
      content: {
        title: asset.title,
        description: asset.description,
        type: asset.type,
        download_url: `/api/v2/assets/${String(asset.pk)}/download`,
      },
    },
  };
  const links = [...((resource.links as unknown[] | undefined) ?? []), link];
  env.store.collection('resources').update(resource.pk, { links });
}

/** `DELETE /api/v2/resources/{id}/assets/{asset_id}`. */
export const resourceAssetDelete: Behaviour = async (req, env) => {
  if (!req.user) throw notAuthenticated(req);
  // the viewset's UserHasPerms asks DELETE for a manage right before get_object (base/api/permissions.py)
  const resource = findRecord(req, env, GEONODE_COLLECTIONS.resources, req.params.id, { permsFirst: true });
  if (!hasLevel(env, resource, req.user, 'manage')) throw apiError('permissionDenied');
  if (!hasLevel(env, resource, req.user, 'edit'))
    return message(403, 'You do not have permission to delete an asset from this resource.');
  const assetId = req.params.asset_id;
  const assets = env.store.collection('assets');
  const asset = /^\d+$/.test(assetId) ? assets.get(Number(assetId)) : undefined;
  if (!asset) return message(404, `The requested ${assetId} does not exists`);
  if (RESERVED_TITLES.has(String(asset.title)))
    return message(403, 'Asset is protected and will not be unlinked or deleted.');
  const url = assetLinkPath(asset.pk);
  const links = (resource.links as StoredRecord[] | undefined) ?? [];
  if (!links.some((l) => l.url === url)) return message(403, 'Link between resource and asset not found.');
  const resources = env.store.collection('resources');
  resources.update(resource.pk, { links: links.filter((l) => l.url !== url) });
  const others = resources
    .list()
    .filter(
      (r) => r.pk !== resource.pk && ((r.links as StoredRecord[] | undefined) ?? []).some((l) => l.url === url),
    ).length;
  let text: string;
  if (others > 0)
    text = `Asset ${String(asset.pk)} was unlinked but not deleted, because still linked to ${others} resources`;
  else {
    assets.delete(asset.pk);
    text = `Asset ${String(asset.pk)} was unlinked and deleted from resource ${String(resource.pk)}.`;
  }
  await env.persist();
  return message(200, text);
};
