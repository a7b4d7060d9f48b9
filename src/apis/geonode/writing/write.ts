/**
 * GeoNode create (single and bulk, all-or-nothing: `dynamic_rest/viewsets.py:612-697`, `dynamic_rest/conf.py:30`),
 * update and delete; bulk update/delete: bulk.ts.
 */
import { apiError } from '../../../core/errors.js';
import { json, type Behaviour, type BehaviourRequest, type Env } from '../../../core/types.js';
import { pyStrRepr } from '../../../query/dynamic-rest/index.js';
import type { StoredRecord } from '../../../store/index.js';
import type { EndpointCollection } from '../collections.js';
import { beforeWrite } from '../lifecycles/hooks.js';
import {
  endpointOf,
  findRecord,
  isAdmin,
  isMember,
  isSuperuser,
  renderContext,
  requireLevel,
  requireUser,
  unwrapSingle,
} from '../context.js';
import { deleteResource, missingRequired, newRecord, writableChanges } from './records.js';
import { renderRecord } from '../rendering/render.js';
import { passwordProblem } from '../people/passwords.js';
import { bodyParams } from '../actions/common.js';
import { documentCreate } from './documents.js';

export const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The authenticated writer of a request, with the endpoint's writer rule applied. */
export function writer(req: BehaviourRequest, c: EndpointCollection): StoredRecord {
  const user = requireUser(req);
  const rule = c.writers ?? 'authenticated';
  if (rule === 'admin' && !isAdmin(user)) throw apiError('permissionDenied');
  if (rule === 'superuser' && !isSuperuser(user)) throw apiError('permissionDenied');
  return user;
}

/** May this user change (or delete) this record? */
export function requireChangeRight(
  req: BehaviourRequest,
  env: Env,
  key: string,
  c: EndpointCollection,
  rec: StoredRecord,
  deleting: boolean,
): void {
  const user = requireUser(req);
  if (c.store === 'resources') return requireLevel(env, req, rec, deleting ? 'manage' : 'edit');
  if (key === 'users') {
    if (!(isAdmin(user) || user.pk === rec.pk)) throw apiError('permissionDenied');
    return;
  }
  if (key === 'groups') {
    if (isAdmin(user) || (!deleting && isMember(env, rec.pk, user.pk, 'manager'))) return;
    throw apiError('permissionDenied');
  }
  if (key === 'execution_requests') return; // findRecord already limits these to the requester (and superusers)
  writer(req, c);
}

/**
 * The item list of a bulk body, or undefined for a single object (empty lists are not bulk:
 * `dynamic_rest/viewsets.py:436-442,693-694`).
 */
export function bulkItems(body: unknown, plural: string): unknown[] | undefined {
  if (Array.isArray(body)) return body.length ? body : undefined;
  if (isObject(body)) {
    const keys = Object.keys(body);
    if (keys.length === 1 && keys[0] === plural && Array.isArray(body[plural]) && (body[plural] as unknown[]).length)
      return body[plural] as unknown[];
  }
  return undefined;
}

/** A serializer validation problem: the field it is about (DRF's `non_field_errors` when none), message and code. */
interface Problem {
  field: string;
  message: string;
  code: string;
  single?: string;
}

/** The single-object message (field named first) and the bulk `detail` (Python repr of the ValidationError). */
const singleMessage = (p: Problem) =>
  p.single ?? (p.field === 'non_field_errors' ? p.message : `${p.field}: ${p.message}`);
const bulkDetail = (p: Problem) =>
  `{${pyStrRepr(p.field)}: [ErrorDetail(string=${pyStrRepr(p.message)}, code=${pyStrRepr(p.code)})]}`;

/** Unique values already taken in this bulk request (all-or-nothing: later items see earlier ones). */
type Taken = Map<string, Set<unknown>>;

function validateCreate(c: EndpointCollection, env: Env, item: unknown, taken: Taken = new Map()): Problem | undefined {
  if (!isObject(item))
    return {
      field: 'non_field_errors',
      message: 'Invalid data. Expected a dictionary, but got ' + (Array.isArray(item) ? 'list' : typeof item) + '.',
      code: 'invalid',
    };
  const missing = missingRequired(c, item);
  if (missing) return { field: missing, message: 'This field is required.', code: 'required' };
  const seen = (field: string, value: unknown) => taken.get(field)?.has(value) ?? false;
  if (c.store === 'users') {
    const users = env.store.collection('users').list();
    if (users.some((u) => u.username === item.username) || seen('username', item.username))
      return {
        field: 'username',
        message: 'A user with that username already exists.',
        code: 'unique',
        single: 'A user with that username already exists.',
      };
    if (item.email === undefined || item.email === null || item.email === '')
      return { field: 'non_field_errors', message: 'email missing from payload', code: 'invalid' };
    if (users.some((u) => u.email === item.email) || seen('email', item.email))
      return { field: 'non_field_errors', message: 'A user is already registered with that email', code: 'invalid' };
    if (item.password !== undefined) {
      const weak = passwordProblem(item.password, item);
      if (weak) return { field: 'password', message: weak, code: 'invalid' };
    }
  }
  if (c.idField === 'slug' && (env.store.collection(c.store).get(item.slug) !== undefined || seen('slug', item.slug)))
    return { field: 'slug', message: `an object with slug "${String(item.slug)}" already exists.`, code: 'unique' };
  for (const field of ['username', 'email', 'slug']) {
    if (item[field] === undefined || item[field] === null || item[field] === '') continue;
    if (!taken.has(field)) taken.set(field, new Set());
    taken.get(field)!.add(item[field]);
  }
  return undefined;
}

export const create: Behaviour = async (req, env) => {
  const { key, c } = endpointOf(req);
  const user = writer(req, c);
  const ctx = renderContext(req, env);
  const items = bulkItems(req.body, c.plural);
  if (items) {
    const taken: Taken = new Map();
    const errors = items
      .map((item) => ({ item, problem: validateCreate(c, env, unwrapSingle(item, c.singular), taken) }))
      .filter((e) => e.problem)
      .map((e) => ({ detail: bulkDetail(e.problem!), source: e.item }));
    if (errors.length) throw apiError('bulkCreateFailed', c.plural, errors);
    const created = items.map((item) =>
      env.store
        .collection(c.store)
        .insert(
          newRecord(
            env.store,
            req.op.contract,
            key,
            c,
            unwrapSingle(item, c.singular) as Record<string, unknown>,
            user,
            env.now(),
          ),
        ),
    );
    await env.persist();
    return json(201, { [c.plural]: created.map((r) => renderRecord(key, r, ctx, { withDeferred: true })) });
  }
  let body = unwrapSingle(req.body ?? {}, c.singular);
  // a document is read from request.data: multipart (with its file), a URL-encoded form or JSON
  if (key === 'documents' && isObject(body)) body = bodyParams(body);
  const problem = validateCreate(c, env, body);
  if (problem) {
    if (key === 'geoapps')
      throw apiError('invalid', "No valid data: ['name', 'owner', 'resource_type'] are mandatory fields!");
    throw apiError('invalid', singleMessage(problem));
  }
  const doc = key === 'documents' ? documentCreate(body) : undefined;
  const started = beforeWrite(req, env, key, null, body);
  const fresh = newRecord(
    env.store,
    req.op.contract,
    key,
    c,
    (doc ? doc.fields : body) as Record<string, unknown>,
    user,
    env.now(),
  );
  if (doc) Object.assign(fresh, doc.server(String(fresh.pk)));
  const rec = env.store.collection(c.store).insert(fresh);
  started?.(rec);
  await env.persist();
  return json(201, { [c.singular]: renderRecord(key, rec, ctx, { withDeferred: true }) });
};

/** Validate a body for one record (PUT checks the create-required fields, PATCH is partial); throws the 400. */
export function checkChanges(
  key: string,
  c: EndpointCollection,
  rec: StoredRecord,
  body: unknown,
  full: boolean,
): asserts body is Record<string, unknown> {
  if (!isObject(body))
    throw apiError(
      'invalid',
      'Invalid data. Expected a dictionary, but got ' + (Array.isArray(body) ? 'list' : typeof body) + '.',
    );
  if (key === 'users' && body.username !== undefined && body.username !== rec.username)
    throw apiError('invalid', 'username cannot be updated');
  if (full) {
    const missing = missingRequired(c, { ...body });
    if (missing && rec[missing] === undefined) throw apiError('invalid', `${missing}: This field is required.`);
  }
}

/** Validate and apply a body to one record. */
export function applyChanges(
  req: BehaviourRequest,
  env: Env,
  key: string,
  c: EndpointCollection,
  rec: StoredRecord,
  body: unknown,
  full: boolean,
): void {
  checkChanges(key, c, rec, body, full);
  const changes = writableChanges(req.op.contract, c, body);
  if (c.store === 'resources') changes.last_updated = env.now();
  env.store.collection(c.store).update(rec[c.idField], changes);
}

export const update: Behaviour = async (req, env) => {
  const { key, c } = endpointOf(req);
  const rec = findRecord(req, env, c, undefined, { permsFirst: true });
  requireChangeRight(req, env, key, c, rec, false);
  const body = unwrapSingle(req.body ?? {}, c.singular);
  const started = beforeWrite(req, env, key, rec, body);
  applyChanges(req, env, key, c, rec, body, req.method === 'PUT');
  started?.(rec);
  await env.persist();
  return json(200, { [c.singular]: renderRecord(key, rec, renderContext(req, env), { withDeferred: true }) });
};

/** USER_DELETION_RULES: a user who owns resources cannot be deleted (403). */
export function checkRemovable(env: Env, key: string, rec: StoredRecord): void {
  if (
    key === 'users' &&
    env.store
      .collection('resources')
      .list()
      .some((r) => (r.owner as StoredRecord | null)?.pk === rec.pk)
  ) {
    throw apiError('permissionDeniedMessage', 'One or more validation rules are violated: user_has_resources');
  }
}

export function removeRecord(env: Env, key: string, c: EndpointCollection, rec: StoredRecord): void {
  checkRemovable(env, key, rec);
  if (c.store === 'resources') return deleteResource(env.store, String(rec.pk));
  env.store.collection(c.store).delete(rec[c.idField]);
  if (key === 'groups') env.store.collection('memberships').deleteWhere((m) => m.group === rec.pk);
}

export const destroy: Behaviour = async (req, env) => {
  const { key, c } = endpointOf(req);
  const rec = findRecord(req, env, c, undefined, { permsFirst: true });
  requireChangeRight(req, env, key, c, rec, true);
  removeRecord(env, key, c, rec);
  await env.persist();
  if (key === 'users') return json(200, 'User deleted sucessfully');
  return { status: c.deletedStatus ?? 204 };
};
