/**
 * The assets API beyond plain CRUD (geonode/assets/views.py at 4.4.3): the list limited to the caller's own assets,
 * and the `download` (zip attachment) and `link` (inline file) actions with get_perms_response's access rule.
 * Asset files are not stored: geostub answers a small placeholder text per file name, the same bytes every time.
 */
import { storedZip } from '../../../core/zip.js';
import { json, type Behaviour, type Reply } from '../../../core/types.js';
import type { StoredRecord } from '../../../store/index.js';
import { GEONODE_COLLECTIONS } from '../collections.js';
import { canSee, endpointOf, findRecord, isSuperuser, renderContext } from '../context.js';
import { pageEnvelope, projected } from '../reading/read.js';
import { parseListQuery, visibleRecords } from '../reading/queryset.js';

/** AssetViewSet.list (views.py:56-78): superusers see all, users their own, anonymous callers nothing. */
export const assetList: Behaviour = (req, env) => {
  const { key, c } = endpointOf(req);
  const q = parseListQuery(req, key, c, true);
  const user = req.user;
  const records = visibleRecords(req, env, key, c, q).filter(
    (a) => isSuperuser(user) || (!!user && (a.owner as StoredRecord | null)?.pk === user.pk),
  );
  const ctx = renderContext(req, env);
  return json(
    200,
    pageEnvelope(req, records, c.plural, (r) => projected(key, r, ctx, q, { listItem: true })),
  );
};

/** The absolute `/api/v2/assets/{pk}/link` a resource's asset link carries (DefaultLocalLinkUrlHandler). */
export const assetLinkPath = (pk: unknown) => `/api/v2/assets/${String(pk)}/link`;

/** The resources whose links carry this asset (Link.asset). */
function linkingResources(resources: readonly StoredRecord[], pk: unknown): StoredRecord[] {
  const url = assetLinkPath(pk);
  return resources.filter((r) => ((r.links as StoredRecord[] | undefined) ?? []).some((l) => l.url === url));
}

const MIME: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  xml: 'application/xml',
  zip: 'application/zip',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  mp4: 'video/mp4',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odt: 'application/vnd.oasis.opendocument.text',
  gpkg: 'application/geopackage+sqlite3',
};

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);
const placeholder = (asset: StoredRecord, name: string) =>
  Buffer.from(`geostub placeholder for ${name} (asset ${String(asset.pk)}: ${String(asset.title)})\n`, 'utf8');
const plain = (status: number, text: string): Reply => ({ status, text, contentType: 'text/html; charset=utf-8' });

/** `GET /assets/{id}/download[/path]` and `/assets/{id}/link[/path]` (views.py:80-106, local.py:220-282). */
export const assetFile: Behaviour = (req, env) => {
  const { c } = endpointOf(req);
  const asset = findRecord(req, env, c); // get_object_or_404(Asset, pk=pk): no visibility filter
  const user = req.user;
  const owner = (asset.owner as StoredRecord | null)?.pk;
  if (!(isSuperuser(user) || (user && owner === user.pk))) {
    // get_perms_response (assets/utils.py): a visible linking resource still needs the global download perm, which
    // `user.has_perm("download_resourcebase")` (no app label) never grants: Django's PermissionDenied, DRF's body
    const resources = GEONODE_COLLECTIONS.resources;
    const visible = linkingResources(env.store.collection('resources').list(), asset.pk).some((r) =>
      canSee(env, resources, r, user),
    );
    if (visible) return json(403, { detail: 'You do not have permission to perform this action.' });
    return { status: user ? 403 : 401, text: '', contentType: 'text/html; charset=utf-8' };
  }
  const locations = ((asset.subinfo as StoredRecord | null)?.locations as string[] | undefined) ?? [];
  if (!locations.length) return plain(500, 'Asset does not contain any data');
  const path = req.params.path;
  let file = locations[0];
  if (path !== undefined && path !== '') {
    if (path.includes('/../')) return plain(400, `File not found for asset ${String(asset.pk)}`);
    // os.path.join(folder, path): a relative path names a file in the asset's folder, an absolute one itself
    const wanted = locations.find((l) => l === path || l === `/${path.replace(/^\/+/, '')}` || l.endsWith(`/${path}`));
    if (!wanted) return plain(404, `Internal file not found for asset ${String(asset.pk)}`);
    file = wanted;
  }
  const name = basename(file);
  const dot = name.lastIndexOf('.');
  const base = dot > 0 ? name.slice(0, dot) : name;
  if (req.op.ext.action === 'download') {
    // the whole managed folder zipped, named after the requested file (ZipStream.from_path, arcname "/")
    const zip = storedZip(locations.map((l) => ({ name: basename(l), data: placeholder(asset, basename(l)) })));
    return {
      status: 200,
      bytes: zip,
      contentType: 'application/zip',
      headers: { 'Content-Disposition': `attachment; filename=${base || 'file'}.zip` },
    };
  }
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  return {
    status: 200,
    bytes: placeholder(asset, name),
    contentType: MIME[ext] ?? 'application/octet-stream',
    headers: { 'Content-Disposition': `inline; filename="${name}"` },
  };
};
