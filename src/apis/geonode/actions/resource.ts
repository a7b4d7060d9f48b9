/**
 * Small resource actions, with GeoNode's literal messages and statuses: favorite (`geonode/base/api/views.py:380-398`
 * (4.4.3)), ratings [≤4.2] (`geonode/base/api/views.py:1363-1397` (4.2.2, 6f7108b7)), set_thumbnail (`:1152-1208`
 * (4.4.3)) and set_thumbnail_from_bbox (`:669-731` (4.4.3)).
 */
import { createHash } from 'node:crypto';
import { apiError } from '../../../core/errors.js';
import { json, type Behaviour } from '../../../core/types.js';
import type { StoredRecord } from '../../../store/index.js';
import { bodyParams, hasLevel, isObject, param, requireResourceLevel, resourceById } from './common.js';
import { GEONODE_COLLECTIONS } from '../collections.js';
import { findRecord } from '../context.js';
import { notAuthenticated } from '../people/identity.js';

/** `POST|DELETE /resources/{pk}/favorite` (authenticated; the resource must be visible, else 404). */
export const favorite: Behaviour = async (req, env) => {
  if (!req.user) throw notAuthenticated(req);
  const user = req.user;
  const res = findRecord(req, env, GEONODE_COLLECTIONS.resources, param(req, 'id', 'pk', 'resource_id'));
  const favorites = env.store.collection('favorites');
  const mine = favorites.list().find((f) => f.user === user.pk && String(f.resource) === String(res.pk));
  if (req.method === 'DELETE') {
    if (!mine) throw apiError('messageBody', 404, 'Resource not in favorites');
    favorites.delete(mine.id);
    await env.persist();
    return json(200, { message: 'Successfuly removed resource from favorites' });
  }
  if (mine) throw apiError('messageBody', 400, 'Resource is already in favorites');
  favorites.insert({ user: user.pk, resource: String(res.pk) });
  await env.persist();
  return json(201, { message: 'Successfuly added resource to favorites' });
};

const INVALID_RATING = 'Invalid rating. It must be a value between 0 and 5';

/** Python's `int()` of a request value, or undefined. */
function pyInt(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return Number(v);
  return undefined;
}

/** `GET|POST /resources/{pk}/ratings` [≤4.2]: `{"rating": <caller's>, "overall_rating": <average>}`. */
export const ratings: Behaviour = async (req, env) => {
  if (req.method !== 'GET' && !req.user) throw notAuthenticated(req);
  const res = resourceById(env, param(req, 'id', 'pk', 'resource_id'));
  if (req.method === 'GET') requireResourceLevel(req, env, res, 'view');
  const coll = env.store.collection('ratings');
  const pk = String(res.pk);
  const mineOf = () =>
    req.user ? coll.list().find((r) => r.user === req.user!.pk && String(r.resource) === pk) : undefined;
  if (req.method === 'POST') {
    const value = pyInt(bodyParams(req.body).rating);
    if (value === undefined || value < 0 || value > 5) throw apiError('plainText', 403, INVALID_RATING);
    const mine = mineOf();
    if (value === 0) {
      if (mine) coll.delete(mine.id); // pinax-ratings deletes a rating of 0
    } else if (mine) {
      coll.update(mine.id, { rating: value });
    } else {
      coll.insert({ user: req.user!.pk, resource: pk, rating: value });
    }
  }
  const all = coll
    .list()
    .filter((r) => String(r.resource) === pk)
    .map((r) => Number(r.rating));
  const overall = all.length ? all.reduce((a, b) => a + b, 0) / all.length : 0;
  if (req.method === 'POST') {
    env.store.collection('resources').update(res.pk, { rating: String(Math.round(overall)) });
    await env.persist();
  }
  return json(200, { rating: Number(mineOf()?.rating ?? 0), overall_rating: overall });
};

const BASE64_IMAGE = /^data:image\/(jpeg|png|jpg);base64/;

function thumbPath(res: StoredRecord, data: Buffer | string): string {
  const hash = createHash('sha1').update(data).digest('hex').slice(0, 8);
  return `/uploaded/thumbs/${String(res.resource_type)}-${String(res.uuid)}-thumb-${hash}.png`;
}

/** A decoded data URI, when it is base64 of a PNG or JPEG image. */
function decodeImage(uri: string): Buffer | undefined {
  const comma = uri.indexOf(',');
  if (comma < 0) return undefined;
  const text = uri.slice(comma + 1).replace(/\s+/g, '');
  if (!text || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) return undefined;
  const data = Buffer.from(text, 'base64');
  const png =
    data.length > 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const jpeg = data.length > 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff;
  return png || jpeg ? data : undefined;
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (
      (u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'ftp:' || u.protocol === 'ftps:') &&
      !!u.hostname
    );
  } catch {
    return false;
  }
}

/** `PUT /resources/{pk}/set_thumbnail`: `file` = image URL, data URI, or an uploaded image ≤ 1 MB. */
export const setThumbnail: Behaviour = async (req, env) => {
  if (!req.user) throw notAuthenticated(req);
  const res = resourceById(env, param(req, 'id', 'pk', 'resource_id'));
  requireResourceLevel(req, env, res, 'edit');
  const file = bodyParams(req.body).file;
  if (!file) throw apiError('invalid', 'Field file is required');
  let url: string;
  if (typeof file === 'string') {
    if (BASE64_IMAGE.test(file)) {
      const data = decodeImage(file);
      if (!data)
        throw apiError(
          'jsonString',
          400,
          'The request body is not a valid base64 string or the image format is not PNG or JPEG',
        );
      url = thumbPath(res, data);
    } else {
      if (!isHttpUrl(file))
        throw apiError('invalid', 'file is either a file upload, ASCII byte string or a valid image url string');
      const ext = new URL(file).pathname.split('.').pop() ?? '';
      if (!['png', 'jpeg', 'jpg'].includes(ext))
        throw apiError('jsonString', 400, 'The url must be of an image with format (png, jpeg or jpg)');
      url = file;
    }
  } else if (isObject(file) && Buffer.isBuffer(file.data)) {
    if (file.data.length > 1_000_000) throw apiError('invalid', 'File must not exceed 1MB');
    if (!decodeImage(`data:image/png;base64,${file.data.toString('base64')}`))
      throw apiError('invalid', 'Invalid data provided');
    url = thumbPath(res, file.data);
  } else {
    throw apiError('invalid', 'file is either a file upload, ASCII byte string or a valid image url string');
  }
  env.store.collection('resources').update(res.pk, { thumbnail_url: url });
  await env.persist();
  return json(200, { thumbnail_url: url.startsWith('/') ? req.origin + url : url });
};

const bboxFailure = (status: number, message: string) => json(status, { message, success: false });

/**
 * `POST /resources/{resource_id}/set_thumbnail_from_bbox`: `{"bbox": [xmin, xmax, ymin, ymax], "srid", "zoom"?}`.
 * GeoNode only requires an authenticated user here (`add_resourcebase`). Bad input, a 500 in GeoNode, is a 400 here
 * with the same `{"message", "success": false}` body.
 */
export const setThumbnailFromBbox: Behaviour = async (req, env) => {
  if (!req.user) throw notAuthenticated(req);
  const id = param(req, 'resource_id', 'id', 'pk');
  const res = /^\d{1,15}$/.test(id) ? env.store.collection('resources').get(String(Number(id))) : undefined;
  if (!res) return bboxFailure(404, `Resource selected with id ${id} does not exists`);
  if (res.resource_type !== 'dataset' && res.resource_type !== 'map')
    return bboxFailure(405, 'Not implemented: Endpoint available only for Dataset and Maps');
  let body: Record<string, unknown> = bodyParams(req.body);
  if (body.bbox === undefined && Object.keys(body).length === 1 && Object.values(body)[0] === '') {
    try {
      body = JSON.parse(Object.keys(body)[0]) as Record<string, unknown>; // a JSON text sent as a form key
    } catch {
      // fall through: the missing key is reported below
    }
  }
  for (const key of ['bbox', 'srid']) if (body[key] === undefined) return bboxFailure(400, key);
  const bbox = body.bbox;
  if (!Array.isArray(bbox) || bbox.length !== 4 || !bbox.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    return bboxFailure(400, 'bbox must be a list of four numbers: [xmin, xmax, ymin, ymax]');
  }
  if (typeof body.srid !== 'string' || !/^EPSG:\d+$/i.test(body.srid))
    return bboxFailure(400, `Invalid srid: ${JSON.stringify(body.srid)}`);
  if (body.zoom !== undefined && body.zoom !== null && !Number.isInteger(body.zoom))
    return bboxFailure(400, 'zoom must be an integer');
  const [xmin, xmax, ymin, ymax] = bbox as number[];
  if (xmin > xmax || ymin > ymax)
    return bboxFailure(400, 'Thumbnail generation failed: the bbox order is [xmin, xmax, ymin, ymax]');
  const url = thumbPath(res, JSON.stringify([bbox, body.srid, body.zoom ?? null]));
  env.store.collection('resources').update(res.pk, { thumbnail_url: url });
  await env.persist();
  return json(200, { message: 'Thumbnail correctly created.', success: true, thumbnail_url: req.origin + url });
};

/**
 * `POST /resources/{resource_id}/delete_thumbnail` [5.x] (5.0.2 base/api/views.py:739-792): IsAuthenticated, then
 * `change_resourcebase` on the resource, with the view's own `{"message", "success"}` bodies. An empty thumbnail is
 * a 200 with `success: false`; a thumbnail that is not a png/jpeg/jpg file is a 400 JSON string.
 */
export const deleteThumbnail: Behaviour = async (req, env) => {
  if (!req.user) throw notAuthenticated(req);
  const id = param(req, 'resource_id', 'id', 'pk');
  const res = /^\d{1,15}$/.test(id) ? env.store.collection('resources').get(String(Number(id))) : undefined;
  if (!res) return json(404, { message: 'Resource not found.', success: false });
  if (!hasLevel(env, res, req.user, 'edit'))
    return json(403, { message: 'You do not have permission to delete this thumbnail.', success: false });
  const url = typeof res.thumbnail_url === 'string' ? res.thumbnail_url : '';
  if (!url) return json(200, { message: 'The thumbnail URL field is already empty.', success: false });
  const file = url.split('?')[0].split('/').pop() ?? '';
  if (!['png', 'jpeg', 'jpg'].includes(file.split('.').pop() ?? '')) {
    throw apiError('jsonString', 400, 'The file name is not a valid image with a format png, jpeg or jpg');
  }
  env.store.collection('resources').update(res.pk, { thumbnail_url: null, thumbnail_path: null });
  await env.persist();
  return json(200, { message: 'Thumbnail deleted successfully.', success: true });
};
