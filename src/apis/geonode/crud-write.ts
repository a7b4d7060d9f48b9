/** GeoNode create, update and delete, single and bulk (facts §4), all-or-nothing. */
import { apiError } from '../../errors/catalogue.js';
import { json, type Behaviour, type BehaviourRequest, type Env } from '../../behaviours/types.js';
import type { StoredRecord } from '../../store/collection.js';
import type { EndpointCollection } from './collections.js';
import { endpointOf, findRecord, isAdmin, isMember, isSuperuser, renderContext, requireLevel, unwrapSingle } from './context.js';
import { deleteResource, missingRequired, newRecord, writableChanges } from './records.js';
import { renderRecord } from './render.js';

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The authenticated writer of a request, with the endpoint's writer rule applied. */
function writer(req: BehaviourRequest, c: EndpointCollection): StoredRecord {
  if (!req.user) throw apiError(c.basicFirst ? 'notAuthenticatedBasic' : 'notAuthenticated');
  const rule = c.writers ?? 'authenticated';
  if (rule === 'admin' && !isAdmin(req.user)) throw apiError('permissionDenied');
  if (rule === 'superuser' && !isSuperuser(req.user)) throw apiError('permissionDenied');
  return req.user;
}

/** May this user change (or delete) this record? */
function requireChangeRight(req: BehaviourRequest, env: Env, key: string, c: EndpointCollection, rec: StoredRecord, deleting: boolean): void {
  if (!req.user) throw apiError(c.basicFirst ? 'notAuthenticatedBasic' : 'notAuthenticated');
  if (c.store === 'resources') return requireLevel(env, req, rec, deleting ? 'manage' : 'edit');
  if (key === 'users') {
    if (!(isAdmin(req.user) || req.user.pk === rec.pk)) throw apiError('permissionDenied');
    return;
  }
  if (key === 'groups') {
    if (isAdmin(req.user) || (!deleting && isMember(env, rec.pk, req.user.pk, 'manager'))) return;
    throw apiError('permissionDenied');
  }
  if (key === 'execution_requests') return; // findRecord already limits these to the requester (and superusers)
  writer(req, c);
}

/** The item list of a bulk body, or undefined for a single object (facts §4.1: empty lists are not bulk). */
function bulkItems(body: unknown, plural: string): unknown[] | undefined {
  if (Array.isArray(body)) return body.length ? body : undefined;
  if (isObject(body)) {
    const keys = Object.keys(body);
    if (keys.length === 1 && keys[0] === plural && Array.isArray(body[plural]) && (body[plural] as unknown[]).length) return body[plural] as unknown[];
  }
  return undefined;
}

function validateCreate(c: EndpointCollection, env: Env, item: unknown): string | undefined {
  if (!isObject(item)) return 'Invalid data. Expected a dictionary, but got ' + (Array.isArray(item) ? 'list' : typeof item) + '.';
  const missing = missingRequired(c, item);
  if (missing) return `${missing}: This field is required.`;
  if (c.store === 'users') {
    const users = env.store.collection('users').all();
    if (users.some((u) => u.username === item.username)) return 'A user with that username already exists.';
    if (item.email && users.some((u) => u.email === item.email)) return 'A user is already registered with that email';
  }
  if (c.idField === 'slug' && env.store.collection(c.store).has(item.slug)) return `slug: an object with slug "${String(item.slug)}" already exists.`;
  return undefined;
}

export const create: Behaviour = async (req, env) => {
  const { key, c } = endpointOf(req);
  const user = writer(req, c);
  const ctx = renderContext(req, env);
  const items = bulkItems(req.body, c.plural);
  if (items) {
    const errors = items
      .map((item) => ({ item, problem: validateCreate(c, env, unwrapSingle(item, c.singular)) }))
      .filter((e) => e.problem)
      .map((e) => ({ detail: String(e.problem), source: e.item }));
    if (errors.length) throw apiError('bulkCreateFailed', c.plural, errors);
    const created = items.map((item) => env.store.collection(c.store).insert(newRecord(env.store, req.op.contract, key, c, unwrapSingle(item, c.singular) as Record<string, unknown>, user, env.now())));
    await env.persist();
    return json(201, { [c.plural]: created.map((r) => renderRecord(key, r, ctx, { withDeferred: true })) });
  }
  const body = unwrapSingle(req.body ?? {}, c.singular);
  const problem = validateCreate(c, env, body);
  if (problem) {
    if (key === 'geoapps') throw apiError('invalid', "No valid data: ['name', 'owner', 'resource_type'] are mandatory fields!");
    throw apiError('invalid', problem);
  }
  const rec = env.store.collection(c.store).insert(newRecord(env.store, req.op.contract, key, c, body as Record<string, unknown>, user, env.now()));
  await env.persist();
  return json(201, { [c.singular]: renderRecord(key, rec, ctx, { withDeferred: true }) });
};

/** Apply a body to one record (PUT checks the create-required fields, PATCH is partial). */
function applyChanges(req: BehaviourRequest, env: Env, key: string, c: EndpointCollection, rec: StoredRecord, body: unknown, full: boolean): void {
  if (!isObject(body)) throw apiError('invalid', 'Invalid data. Expected a dictionary, but got ' + (Array.isArray(body) ? 'list' : typeof body) + '.');
  if (key === 'users' && body.username !== undefined && body.username !== rec.username) throw apiError('invalid', 'username cannot be updated');
  if (full) {
    const missing = missingRequired(c, { ...body });
    if (missing && rec[missing] === undefined) throw apiError('invalid', `${missing}: This field is required.`);
  }
  const changes = writableChanges(req.op.contract, c, body);
  if (c.store === 'resources') changes.last_updated = env.now();
  env.store.collection(c.store).update(rec[c.idField], changes);
}

export const update: Behaviour = async (req, env) => {
  const { key, c } = endpointOf(req);
  const rec = findRecord(req, env, c);
  requireChangeRight(req, env, key, c, rec, false);
  applyChanges(req, env, key, c, rec, unwrapSingle(req.body ?? {}, c.singular), req.method === 'PUT');
  await env.persist();
  return json(200, { [c.singular]: renderRecord(key, rec, renderContext(req, env), { withDeferred: true }) });
};

function removeRecord(env: Env, key: string, c: EndpointCollection, rec: StoredRecord): void {
  if (c.store === 'resources') return deleteResource(env.store, String(rec.pk));
  if (key === 'users' && env.store.collection('resources').all().some((r) => (r.owner as StoredRecord | null)?.pk === rec.pk)) {
    throw apiError('permissionDeniedMessage', 'One or more validation rules are violated: user_has_resources');
  }
  env.store.collection(c.store).remove(rec[c.idField]);
  if (key === 'groups') env.store.collection('memberships').removeWhere((m) => m.group === rec.pk);
}

export const destroy: Behaviour = async (req, env) => {
  const { key, c } = endpointOf(req);
  const rec = findRecord(req, env, c);
  requireChangeRight(req, env, key, c, rec, true);
  removeRecord(env, key, c, rec);
  await env.persist();
  if (key === 'users') return json(200, 'User deleted sucessfully');
  return { status: c.deletedStatus ?? 204 };
};

/** The ids named by a bulk update/delete body (`id` or `pk`). */
function bulkIds(items: unknown[]): (string | undefined)[] {
  return items.map((i) => (isObject(i) ? (i.id ?? i.pk) : undefined)).map((v) => (v === undefined || v === null ? undefined : String(v)));
}

export const bulkUpdate: Behaviour = async (req, env) => {
  const { key, c } = endpointOf(req);
  const patchAll = req.query.get('patch-all');
  if (patchAll !== null) return env.settings.patchAll ? patchAllBehaviour(req, env) : notPatchable(req);
  const items = bulkItems(req.body, c.plural);
  if (!items) return notPatchable(req);
  const ids = bulkIds(items);
  if (ids.some((id) => id === undefined)) throw apiError('invalid', 'Invalid lookup key value.');
  const records = ids.map((id) => {
    try {
      return findRecord(req, env, c, id);
    } catch {
      return undefined;
    }
  });
  const found = records.filter((r): r is StoredRecord => !!r);
  if (found.length !== ids.length) throw apiError('invalid', `Could not find all objects to update: ${found.length} != ${ids.length}.`);
  for (const rec of found) requireChangeRight(req, env, key, c, rec, false);
  // validate every item before changing anything (all-or-nothing)
  for (const item of items) if (key === 'users' && isObject(item) && item.username !== undefined) {
    const rec = found[items.indexOf(item)];
    if (item.username !== rec.username) throw apiError('invalid', 'username cannot be updated');
  }
  found.forEach((rec, i) => applyChanges(req, env, key, c, rec, items[i], req.method === 'PUT'));
  await env.persist();
  const ctx = renderContext(req, env);
  return json(200, { [c.plural]: found.map((r) => renderRecord(key, r, ctx, { withDeferred: true })) });
};

/** PATCH of a list with an object body and no patch-all: DRF's missing-pk error (facts §4.3). */
function notPatchable(req: BehaviourRequest): never {
  throw apiError('invalid', `Expected view ${req.op.operationId} to be called with a URL keyword argument named "pk". Fix your URL conf, or set the \`.lookup_field\` attribute on the view correctly.`);
}

/** Replaced by the query-language issue's patch-all; until then every matching record of the list is patched. */
let patchAllBehaviour: Behaviour = () => {
  throw apiError('invalid', 'patch-all is not available yet.');
};
export function setPatchAll(b: Behaviour): void {
  patchAllBehaviour = b;
}

export const bulkDelete: Behaviour = async (req, env) => {
  const { key, c } = endpointOf(req);
  const items = bulkItems(req.body, c.plural);
  if (!items) throw apiError('emptyResponse', 405);
  if (!req.user) throw apiError('notAuthenticated');
  const ids = bulkIds(items);
  if (ids.some((id) => id === undefined)) throw apiError('invalid', 'Invalid lookup key value.');
  const records = ids.map((id) => env.store.collection(c.store).get(c.idType === 'int' ? Number(id) : id)).filter((r): r is StoredRecord => !!r);
  for (const rec of records) requireChangeRight(req, env, key, c, rec, true);
  for (const rec of records) removeRecord(env, key, c, rec);
  await env.persist();
  return { status: 204 };
};
