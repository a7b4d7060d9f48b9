/**
 * The compact permission spec of a resource (`PermSpec.compact`, `geonode/security/permissions.py:401-577` (4.4.3)) and
 * the `grants` collection it is stored in: `{resource, users: [{id, permissions}], groups: [{id, permissions}],
 * anonymous, registered}` where `groups` holds group-profile pks (organizations). The two special Django groups have
 * fixed ids here: `anonymous` = 1 and `registered-members` = 2 (group profile pks start at 3); the anonymous *user* is
 * id -1, as in GeoNode.
 */
import { absolutize } from '../rendering/render.js';
import type { Store, StoredRecord } from '../../../store/index.js';
import { embedOwner, isObject } from '../actions/common.js';
import { isLevel, LEVELS, type Level } from './levels.js';

export const ANONYMOUS_GROUP = { id: 1, title: 'anonymous', name: 'anonymous' } as const;
export const REGISTERED_GROUP = { id: 2, title: 'Registered Members', name: 'registered-members' } as const;
export const ANONYMOUS_USER_ID = -1;

export interface SpecEntry {
  id: number;
  permissions: Level;
}

/** A compact spec reduced to ids and levels: what PUT/PATCH carry and what `set_permissions` applies. */
export interface CompactSpec {
  users: SpecEntry[];
  organizations: SpecEntry[];
  groups: SpecEntry[];
}

const rank = (l: Level) => LEVELS.indexOf(l);
const byIdDesc = (a: { id: number }, b: { id: number }) => b.id - a.id;

function grantsOf(store: Store, resource: StoredRecord): StoredRecord {
  return (
    store.collection('grants').get(resource.pk) ?? {
      resource: resource.pk,
      users: [],
      groups: [],
      anonymous: 'none',
      registered: 'none',
    }
  );
}

const ownerPk = (resource: StoredRecord) => (resource.owner as StoredRecord | null)?.pk;

/** The current spec of a resource as ids and levels (owner included as `owner`). */
export function currentSpec(store: Store, resource: StoredRecord): CompactSpec {
  const g = grantsOf(store, resource);
  const owner = ownerPk(resource);
  const users = ((g.users as SpecEntry[] | undefined) ?? [])
    .filter((u) => u.id !== owner)
    .map((u) => ({ id: u.id, permissions: u.permissions }));
  if (owner !== undefined) users.push({ id: Number(owner), permissions: 'owner' });
  return {
    users,
    organizations: ((g.groups as SpecEntry[] | undefined) ?? []).map((o) => ({ id: o.id, permissions: o.permissions })),
    groups: [
      { id: REGISTERED_GROUP.id, permissions: isLevel(g.registered) ? g.registered : 'none' },
      { id: ANONYMOUS_GROUP.id, permissions: isLevel(g.anonymous) ? g.anonymous : 'none' },
    ],
  };
}

/** `GET /resources/{pk}/permissions`: users (owner, grantees, every superuser as `manage`), organizations, groups. */
export function renderSpec(store: Store, resource: StoredRecord, origin: string): Record<string, unknown[]> {
  const spec = currentSpec(store, resource);
  const usersColl = store.collection('users');
  const levels = new Map<number, Level>(spec.users.map((u) => [u.id, u.permissions]));
  for (const u of usersColl.list()) {
    if (u.is_superuser !== true) continue;
    const had = levels.get(Number(u.pk));
    if (!had || rank(had) < rank('manage')) levels.set(Number(u.pk), 'manage');
  }
  const users = [...levels]
    .map(([id, permissions]) => ({ u: usersColl.get(id), id, permissions }))
    .filter((e) => e.u && e.permissions !== 'none')
    .map(({ u, id, permissions }) => ({
      id,
      username: u!.username,
      first_name: u!.first_name ?? '',
      last_name: u!.last_name ?? '',
      avatar: u!.avatar ?? null,
      permissions,
      is_superuser: u!.is_superuser === true,
      is_staff: u!.is_staff === true,
    }));
  const groupsColl = store.collection('groups');
  const organizations = spec.organizations
    .map((o) => ({ g: groupsColl.get(o.id), o }))
    .filter((e) => e.g)
    .map(({ g, o }) => ({
      id: o.id,
      title: g!.title,
      name: (g!.group as StoredRecord | undefined)?.name ?? g!.slug,
      logo: g!.logo ?? null,
      permissions: o.permissions,
    }));
  const special = [REGISTERED_GROUP, ANONYMOUS_GROUP].map((s) => ({
    ...s,
    permissions: spec.groups.find((x) => x.id === s.id)!.permissions,
  }));
  const out = {
    users: users.sort(byIdDesc),
    organizations: organizations.sort(byIdDesc),
    groups: special.sort(byIdDesc),
  };
  return absolutize(out, origin) as Record<string, unknown[]>;
}

/**
 * Read a PUT/PATCH body into a spec; undefined when invalid (GeoNode answers 400 with an empty body): a missing or
 * non-integer `id`, an unknown level, an unknown user or group, `owner` given to a group or to two users.
 */
export function parseSpec(store: Store, body: unknown): CompactSpec | undefined {
  if (!isObject(body)) return undefined;
  const out: CompactSpec = { users: [], organizations: [], groups: [] };
  for (const key of ['users', 'organizations', 'groups'] as const) {
    const raw = body[key];
    if (raw === undefined || raw === null) continue;
    if (!Array.isArray(raw)) return undefined;
    for (const item of raw) {
      if (!isObject(item)) return undefined;
      const id = typeof item.id === 'string' && /^-?\d+$/.test(item.id) ? Number(item.id) : item.id;
      if (typeof id !== 'number' || !Number.isInteger(id) || !isLevel(item.permissions)) return undefined;
      const level = item.permissions;
      if (key === 'users') {
        if (id !== ANONYMOUS_USER_ID && store.collection('users').get(id) === undefined) return undefined;
        if (id === ANONYMOUS_USER_ID && level === 'owner') return undefined;
      } else {
        if (level === 'owner') return undefined;
        const special = key === 'groups' && (id === ANONYMOUS_GROUP.id || id === REGISTERED_GROUP.id);
        if (!special && store.collection('groups').get(id) === undefined) return undefined;
      }
      out[key].push({ id, permissions: level });
    }
  }
  if (out.users.filter((u) => u.permissions === 'owner').length > 1) return undefined;
  return out;
}

/** PATCH: the patch's entries replace the current ones with the same id; nothing is removed. */
export function mergeSpec(base: CompactSpec, patch: CompactSpec): CompactSpec {
  const merge = (a: SpecEntry[], b: SpecEntry[]) => {
    const m = new Map(a.map((e) => [e.id, e.permissions]));
    for (const e of b) m.set(e.id, e.permissions);
    return [...m].map(([id, permissions]) => ({ id, permissions }));
  };
  const patchOwner = patch.users.find((u) => u.permissions === 'owner');
  const baseUsers = patchOwner ? base.users.filter((u) => u.permissions !== 'owner') : base.users;
  return {
    users: merge(baseUsers, patch.users),
    organizations: merge(base.organizations, patch.organizations),
    groups: merge(base.groups, patch.groups),
  };
}

/**
 * Replace a resource's grants with a spec (the `set_permissions` effect). A user given `owner` (or `ownerUsername`)
 * becomes the owner; the previous owner keeps only what the spec gives them.
 */
export function applySpec(store: Store, resource: StoredRecord, spec: CompactSpec, ownerUsername?: string): void {
  const users = store.collection('users');
  const named = spec.users.find((u) => u.permissions === 'owner');
  let owner = named ? users.get(named.id) : undefined;
  if (!owner && ownerUsername) owner = users.list().find((u) => u.username === ownerUsername);
  if (!owner) owner = users.get(ownerPk(resource)) ?? undefined;
  if (owner && owner.pk !== ownerPk(resource))
    store.collection('resources').update(resource.pk, { owner: embedOwner(owner) });
  const pick = (list: SpecEntry[], id: number) => list.filter((e) => e.id === id).map((e) => e.permissions);
  const top = (levels: Level[]): Level => levels.reduce<Level>((a, b) => (rank(b) > rank(a) ? b : a), 'none');
  const special = new Set<number>([ANONYMOUS_GROUP.id, REGISTERED_GROUP.id]);
  const ownerId = owner ? Number(owner.pk) : undefined;
  const userGrants = spec.users.filter(
    (u) => u.id !== ANONYMOUS_USER_ID && u.id !== ownerId && u.permissions !== 'none' && u.permissions !== 'owner',
  );
  if (ownerId !== undefined) userGrants.unshift({ id: ownerId, permissions: 'owner' });
  const groupGrants = new Map<number, Level>();
  for (const e of [...spec.organizations, ...spec.groups.filter((g) => !special.has(g.id))]) {
    if (e.permissions !== 'none') groupGrants.set(e.id, top([groupGrants.get(e.id) ?? 'none', e.permissions]));
  }
  const record = {
    resource: resource.pk,
    users: userGrants,
    groups: [...groupGrants].map(([id, permissions]) => ({ id, permissions })),
    anonymous: top([...pick(spec.groups, ANONYMOUS_GROUP.id), ...pick(spec.users, ANONYMOUS_USER_ID)]),
    registered: top(pick(spec.groups, REGISTERED_GROUP.id)),
  };
  const grants = store.collection('grants');
  if (grants.get(resource.pk) !== undefined) grants.update(resource.pk, record);
  else grants.insert(record);
}

/** The `remove_permissions` effect: everything but the owner's rights goes (superusers keep theirs implicitly). */
export function clearGrants(store: Store, resource: StoredRecord): void {
  const owner = ownerPk(resource);
  applySpec(store, resource, {
    users: owner === undefined ? [] : [{ id: Number(owner), permissions: 'owner' }],
    organizations: [],
    groups: [],
  });
}

// The "extended" spec that `set_permissions` executions carry in `input_params.permissions`: codenames per user and
// group name (PermSpecCompact.extended and _to_extended_perms, GeoNode 4.4.3 security/permissions.py:216-295,681-718).
const VIEW = ['view_resourcebase'];
const DOWNLOAD = ['download_resourcebase'];
const EDIT = ['change_resourcebase', 'change_resourcebase_metadata'];
const ADMIN = ['delete_resourcebase', 'change_resourcebase_permissions', 'publish_resourcebase', ...EDIT];
const DATASET_ADMIN = ['change_dataset_data', 'change_dataset_style'];
const DOWNLOADABLE = new Set(['dataset', 'document']);
const DATA_SUBTYPES = new Set(['vector', 'vector_time', 'raster']);

const sortedSet = (perms: string[]) => [...new Set(perms)].sort();

export function extendedPerms(level: Level, resource: StoredRecord, isOwner = false): string[] {
  const downloadable = DOWNLOADABLE.has(String(resource.resource_type).toLowerCase());
  const dataAdmin =
    downloadable && DATA_SUBTYPES.has(String(resource.subtype ?? '').toLowerCase()) ? DATASET_ADMIN : [];
  if (isOwner) return sortedSet(downloadable ? [...dataAdmin, ...ADMIN, ...VIEW, ...DOWNLOAD] : [...ADMIN, ...VIEW]);
  switch (level) {
    case 'view':
      return sortedSet(VIEW);
    case 'download':
      return sortedSet(downloadable ? [...VIEW, ...DOWNLOAD] : VIEW);
    case 'edit':
      return sortedSet(downloadable ? [...dataAdmin, ...VIEW, ...EDIT, ...DOWNLOAD] : [...VIEW, ...EDIT]);
    case 'manage':
    case 'owner': // a non-owner given `owner` is made the owner by the resource manager; as a grant it reads as manage
      return sortedSet(downloadable ? [...dataAdmin, ...VIEW, ...ADMIN, ...DOWNLOAD] : [...VIEW, ...ADMIN]);
    default:
      return [];
  }
}

/** A compact spec (ids and levels) in GeoNode's extended form: `{users: {username: [...]}, groups: {name: [...]}}`. */
export function extendedSpec(
  store: Store,
  resource: StoredRecord,
  spec: CompactSpec,
): { users: Record<string, string[]>; groups: Record<string, string[]> } {
  const out = { users: {} as Record<string, string[]>, groups: {} as Record<string, string[]> };
  const users = store.collection('users');
  for (const e of spec.users) {
    if (e.id === ANONYMOUS_USER_ID) {
      out.users.AnonymousUser = extendedPerms(e.permissions, resource);
      continue;
    }
    const u = users.get(e.id);
    if (!u) continue;
    const isOwner = u.pk === ownerPk(resource);
    out.users[String(u.username)] = extendedPerms(
      isOwner ? 'owner' : u.is_superuser ? 'manage' : e.permissions,
      resource,
      isOwner,
    );
  }
  const groups = store.collection('groups');
  for (const e of spec.organizations) {
    const g = groups.get(e.id);
    if (g)
      out.groups[String((g.group as StoredRecord | undefined)?.name ?? g.slug)] = extendedPerms(
        e.permissions,
        resource,
      );
  }
  for (const e of spec.groups) {
    const special =
      e.id === ANONYMOUS_GROUP.id ? ANONYMOUS_GROUP : e.id === REGISTERED_GROUP.id ? REGISTERED_GROUP : undefined;
    if (!special) continue;
    out.groups[special.name] = extendedPerms(e.permissions, resource);
    if (special === ANONYMOUS_GROUP) out.users.AnonymousUser = extendedPerms(e.permissions, resource);
  }
  return out;
}
