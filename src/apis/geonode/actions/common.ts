/**
 * Shared helpers of GeoNode's resource actions (`geonode/base/api/views.py:532-1358` (4.4.3)): request parameters in
 * the forms GeoNode reads them (`_get_request_params`, `:1287-1301`) (JSON, URL-encoded form with JSON values,
 * multipart), resource lookup without visibility, level checks with DRF's 403 flavours, and execution-request records.
 */
import { randomUUID } from 'node:crypto';
import { apiError } from '../../../core/errors.js';
import { json, type BehaviourRequest, type Env, type Reply } from '../../../core/types.js';
import type { StoredRecord } from '../../../store/index.js';
import { GEONODE_COLLECTIONS } from '../collections.js';
import { LEVELS, levelFor, type Level } from '../permissions/levels.js';
import { notAuthenticated } from '../people/identity.js';

export const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v);

/** The first URL path parameter present among the names (contracts may name the same segment differently). */
export function param(req: BehaviourRequest, ...names: string[]): string {
  for (const n of names) if (req.params[n] !== undefined) return req.params[n];
  return '';
}

/** An uploaded file part of a multipart body. */
export interface UploadedFile {
  filename: string;
  contentType: string;
  data: Buffer;
  size: number;
}

export function isUploadedFile(v: unknown): v is UploadedFile {
  return (
    !!v &&
    typeof v === 'object' &&
    Buffer.isBuffer((v as UploadedFile).data) &&
    typeof (v as UploadedFile).filename === 'string'
  );
}

interface MultipartPart {
  name: string;
  value: string | UploadedFile;
}

/** Every part of a `multipart/form-data` body, in order: text parts → strings, file parts → UploadedFile. */
function multipartParts(contentType: string, raw: Buffer): MultipartPart[] {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const out: MultipartPart[] = [];
  if (!m) return out;
  const delimiter = Buffer.from(`--${m[1] ?? m[2]}`);
  let at = raw.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, start);
    if (next < 0) break;
    const part = raw.subarray(start + 2, next - 2); // skip CRLF after the delimiter and before the next one
    const headEnd = part.indexOf('\r\n\r\n');
    if (headEnd >= 0) {
      const head = part.subarray(0, headEnd).toString('utf8');
      const data = part.subarray(headEnd + 4);
      const name = /name="([^"]*)"/i.exec(head)?.[1];
      const filename = /filename="([^"]*)"/i.exec(head)?.[1];
      const type = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? 'application/octet-stream';
      if (name && !['__proto__', 'constructor', 'prototype'].includes(name)) {
        out.push({
          name,
          value:
            filename === undefined
              ? data.toString('utf8')
              : { filename, contentType: type, data: Buffer.from(data), size: data.length },
        });
      }
    }
    at = next;
  }
  return out;
}

/** Parse `multipart/form-data` (the server hands it over raw): a part named twice keeps its last value. */
export function parseMultipart(contentType: string, raw: Buffer): Record<string, string | UploadedFile> {
  const out: Record<string, string | UploadedFile> = {};
  for (const p of multipartParts(contentType, raw)) out[p.name] = p.value;
  return out;
}

/** Every file sent under `name` in a multipart body (Django's `request.FILES.getlist(name)`). */
export function multipartFiles(body: unknown, name: string): UploadedFile[] {
  if (!(isObject(body) && body.__multipart === true && Buffer.isBuffer(body.raw))) return [];
  return multipartParts(String(body.contentType ?? ''), body.raw)
    .filter((p) => p.name === name && isUploadedFile(p.value))
    .map((p) => p.value as UploadedFile);
}

/** The body as a flat object of parameters, whatever form it came in (JSON object, form, multipart, raw text). */
export function bodyParams(body: unknown): Record<string, unknown> {
  if (isObject(body) && body.__multipart === true && Buffer.isBuffer(body.raw)) {
    return parseMultipart(String(body.contentType ?? ''), body.raw);
  }
  if (isObject(body)) return { ...body };
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    const text = body.toString().trim();
    if (text.startsWith('{')) {
      try {
        const parsed = JSON.parse(text) as unknown;
        if (isObject(parsed)) return parsed;
      } catch {
        // not JSON: read it as a form, as GeoNode's QueryDict(request.body) does
      }
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(text)) out[k] = v; // QueryDict.get: the last value wins
    return out;
  }
  return {};
}

/** A parameter as GeoNode stores it in `input_params`: the raw string, or the JSON text of a structured value. */
export function paramText(v: unknown, fallback: string): string {
  if (v === undefined || v === null) return fallback;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Parse a JSON-valued parameter (string or already structured); throws on malformed JSON. */
export function jsonValue(v: unknown, fallback: unknown): unknown {
  if (v === undefined || v === null || v === '') return fallback;
  return typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
}

/** DRF BooleanField input rules; undefined when the value is not a boolean. */
export function drfBool(v: unknown): boolean | undefined {
  if (v === true || v === false) return v;
  if (v === 1 || v === 0) return v === 1;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (['true', 't', 'yes', 'y', 'on', '1'].includes(s)) return true;
    if (['false', 'f', 'no', 'n', 'off', '0'].includes(s)) return false;
  }
  return undefined;
}

/**
 * A resource by URL id, with no visibility filter (GeoNode's `get_object_or_404(ResourceBase, pk=pk)`); under a typed
 * endpoint (`/documents/{id}/…`) only a resource of that type.
 */
export function resourceById(env: Env, rawId: string, req?: BehaviourRequest): StoredRecord {
  if (!/^\d{1,15}$/.test(rawId)) throw apiError('notFound');
  const rec = env.store.collection('resources').get(String(Number(rawId)));
  const scope = req ? GEONODE_COLLECTIONS[String(req.op.ext.collection ?? '')]?.scope : undefined;
  if (!rec || (scope && !scope(rec))) throw apiError('notFound');
  return rec;
}

export function hasLevel(env: Env, resource: StoredRecord, user: StoredRecord | null, needed: Level): boolean {
  return LEVELS.indexOf(levelFor(env.store, resource, user)) >= LEVELS.indexOf(needed);
}

/** DRF's permission failure: anonymous → not_authenticated, authenticated → permission_denied (both 403 bodies). */
export function denied(req: BehaviourRequest): never {
  throw req.user ? apiError('permissionDenied') : notAuthenticated(req);
}

/** `UserHasPerms`-style check on a resource: the caller must hold at least `needed`. */
export function requireResourceLevel(req: BehaviourRequest, env: Env, resource: StoredRecord, needed: Level): void {
  if (!hasLevel(env, resource, req.user, needed)) denied(req);
}

export function usernameOf(env: Env, pk: unknown): string | null {
  const u = env.store.collection('users').get(pk);
  return u ? String(u.username) : null;
}

/** The user object GeoNode embeds in resources (`owner`). */
export function embedOwner(user: StoredRecord): StoredRecord {
  const { pk, username, first_name, last_name, avatar, is_superuser, is_staff, email, link } = user;
  return { pk, username, first_name, last_name, avatar, is_superuser, is_staff, email, link };
}

export interface NewExecution {
  func_name: string;
  action: string;
  input_params: Record<string, unknown>;
  geonode_resource: number | null;
  source?: string | null;
  name?: string | null;
  step?: string | null;
  /** stored fields the API does not show (the contract's field set decides what is rendered) */
  internal?: Record<string, unknown>;
}

/** Insert an `execution_requests` record in state `ready` (`geonode/resource/models.py:28-64` (4.4.3)). */
export function newExecution(env: Env, user: StoredRecord, e: NewExecution): StoredRecord {
  const now = env.now();
  const exec_id = randomUUID();
  return env.store.collection('execution_requests').insert({
    exec_id,
    user: user.pk,
    status: 'ready',
    func_name: e.func_name,
    created: now,
    finished: null,
    last_updated: now,
    input_params: e.input_params,
    output_params: {},
    geonode_resource: e.geonode_resource,
    step: e.step ?? null,
    log: null,
    name: e.name ?? e.func_name,
    action: e.action,
    source: e.source === undefined ? 'resource_service' : e.source,
    link: `/api/v2/executionrequest/${exec_id}`,
    ...e.internal,
  });
}

/**
 * An execution as execution-status shows it (`geonode/resource/api/views.py:95-126` (4.4.3)): `user` is the
 * requester's username.
 */
export function executionStatusBody(exec: StoredRecord, username: unknown): Record<string, unknown> {
  return {
    user: username,
    status: exec.status,
    func_name: exec.func_name,
    created: exec.created,
    finished: exec.finished ?? null,
    last_updated: exec.last_updated,
    input_params: exec.input_params ?? {},
    output_params: exec.output_params ?? {},
    step: exec.step ?? null,
    log: exec.log ?? null,
  };
}

export const statusUrl = (origin: string, execId: unknown) =>
  `${origin}/api/v2/resource-service/execution-status/${String(execId)}`;

/** The immediate answer of every resource-service action (e.g. `geonode/base/api/views.py:819-828` (4.4.3)). */
export function executionAccepted(req: BehaviourRequest, exec: StoredRecord): Reply {
  return json(200, { status: 'ready', execution_id: exec.exec_id, status_url: statusUrl(req.origin, exec.exec_id) });
}

/** What in a request asks a job to fail on purpose: this text anywhere in the parameters (a title, a file name). */
export const FAIL_MARKER = 'geostub:fail';

function markerIn(v: unknown): boolean {
  if (typeof v === 'string') return v.includes(FAIL_MARKER);
  if (Buffer.isBuffer(v)) return false;
  if (isObject(v) && Buffer.isBuffer(v.data)) return typeof v.filename === 'string' && v.filename.includes(FAIL_MARKER);
  return JSON.stringify(v ?? null).includes(FAIL_MARKER);
}

/**
 * Whether the starting request asks its job to fail: header `X-Geostub-Fail: 1`, or `geostub:fail` in its parameters.
 */
export function failureRequested(
  req: BehaviourRequest,
  params: Record<string, unknown> = bodyParams(req.body),
): boolean {
  const h = (req.headers['x-geostub-fail'] ?? '').trim().toLowerCase();
  if (h && !['0', 'false', 'no', 'off'].includes(h)) return true;
  return Object.values(params).some(markerIn);
}
