/** Shared helpers of the GeoNode behaviours: finding the endpoint collection, records, visibility, rights. */
import { apiError } from '../../core/errors.js';
import type { BehaviourRequest, Env } from '../../core/types.js';
import type { StoredRecord } from '../../store/index.js';
import { GEONODE_COLLECTIONS, isWellFormedId, type EndpointCollection } from './collections.js';
import { facetOptions } from './facets/counts.js';
import { levelFor, LEVELS, type Level } from './permissions/levels.js';
import type { RenderContext } from './rendering/render.js';
import { notAuthenticated } from './people/identity.js';

export function endpointOf(req: BehaviourRequest): { key: string; c: EndpointCollection } {
  const key = String(req.op.ext.collection ?? '');
  const c = GEONODE_COLLECTIONS[key];
  if (!c)
    throw new Error(`${req.op.operationId}: x-geostub-collection "${key}" is not in the GeoNode collection table`);
  return { key, c };
}

export function renderContext(req: BehaviourRequest, env: Env): RenderContext {
  return {
    contract: req.op.contract,
    store: env.store,
    origin: req.origin,
    user: req.user,
    facet: facetOptions(req.query),
  };
}

export const isAdmin = (user: StoredRecord | null) => !!user && (user.is_superuser === true || user.is_staff === true);
export const isSuperuser = (user: StoredRecord | null) => !!user && user.is_superuser === true;

/** Whether the user may see a record at all (non-resource collections are public here). */
export function canSee(env: Env, c: EndpointCollection, record: StoredRecord, user: StoredRecord | null): boolean {
  if (c.store === 'resources') return levelFor(env.store, record, user) !== 'none';
  if (c.store === 'groups')
    return record.access !== 'private' || isAdmin(user) || (!!user && isMember(env, record.pk, user.pk));
  if (c.store === 'uploads' || c.store === 'execution_requests')
    return !!user && (isSuperuser(user) || record.user === user.pk);
  return true;
}

export function isMember(env: Env, groupPk: unknown, userPk: unknown, role?: 'manager'): boolean {
  return env.store
    .collection('memberships')
    .list()
    .some((m) => m.group === groupPk && m.user === userPk && (!role || m.role === role));
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface FindOptions {
  /**
   * The view checks the caller's rights on the object before filtering the queryset (GeoNode's `UserHasPerms`,
   * base/api/permissions.py:233-258 in 4.4.3): a resource that exists but that the caller may not view answers
   * 403 `permission_denied` (logged in) or the view's not-authenticated answer (anonymous), not 404. Only the
   * views whose permission classes include UserHasPerms do this; actions such as `favorite` filter first (404).
   */
  permsFirst?: boolean;
}

/** The record a detail URL names, or the catalogued 404 `{"detail": "Not found."}`. */
export function findRecord(
  req: BehaviourRequest,
  env: Env,
  c: EndpointCollection,
  rawId?: string,
  options: FindOptions = {},
): StoredRecord {
  const id = rawId ?? req.params.id ?? req.params.slug ?? req.params.exec_id ?? req.params.resource_id ?? '';
  // IsAuthenticatedOrReadOnly comes first in those views: an anonymous write is refused before any lookup
  if (options.permsFirst && !SAFE_METHODS.has(req.method)) requireUser(req);
  if (!isWellFormedId(c, id)) throw apiError('notFound');
  const rec = env.store.collection(c.store).get(c.idType === 'int' ? Number(id) : id);
  if (!rec) throw apiError('notFound');
  if (
    options.permsFirst &&
    c.store === 'resources' &&
    !isSuperuser(req.user) &&
    levelFor(env.store, rec, req.user) === 'none'
  ) {
    requireUser(req);
    throw apiError('permissionDenied');
  }
  if ((c.scope && !c.scope(rec)) || !canSee(env, c, rec, req.user)) throw apiError('notFound');
  return rec;
}

/** The caller, or GeoNode's refusal for an anonymous one: 401 + WWW-Authenticate on Basic-first views, else 403. */
export function requireUser(req: BehaviourRequest): StoredRecord {
  if (!req.user) throw notAuthenticated(req);
  return req.user;
}

/** Resource rights by compact level (`geonode/security/permissions.py:80-137` (4.4.3)): superusers always pass. */
export function requireLevel(env: Env, req: BehaviourRequest, resource: StoredRecord, needed: Level): void {
  const user = requireUser(req);
  const have = levelFor(env.store, resource, user);
  if (LEVELS.indexOf(have) < LEVELS.indexOf(needed)) throw apiError('permissionDenied');
}

/** Unwrap `{"<singular>": {...}}` (dynamic-rest accepts a body wrapped in the serializer's name). */
export function unwrapSingle(body: unknown, singular: string): unknown {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const keys = Object.keys(body);
    if (keys.length === 1 && keys[0] === singular) return (body as Record<string, unknown>)[singular];
  }
  return body;
}

export function nowIso(date = new Date()): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, (_m, ms: string) => `.${ms}000Z`);
}
