/**
 * GeoNode's compact permission levels (`geonode/security/permissions.py:80-137` (4.4.3)) and what they expand to,
 * computed for a requesting user from the resource's grants. Pure functions over store data.
 */
import type { Store, StoredRecord } from '../../../store/index.js';

export const LEVELS = ['none', 'view', 'download', 'edit', 'manage', 'owner'] as const;
export type Level = (typeof LEVELS)[number];

export function isLevel(v: unknown): v is Level {
  return typeof v === 'string' && (LEVELS as readonly string[]).includes(v);
}

const rank = (l: Level) => LEVELS.indexOf(l);
const maxLevel = (a: Level, b: Level): Level => (rank(a) >= rank(b) ? a : b);

/** Expand a level into Django permission names for a resource of a given type. */
export function expandLevel(level: Level, resourceType: string): string[] {
  const downloadable = resourceType === 'dataset' || resourceType === 'document';
  const perms: string[] = [];
  if (rank(level) >= rank('view')) perms.push('view_resourcebase');
  if (rank(level) >= rank('download') && downloadable) perms.push('download_resourcebase');
  if (rank(level) >= rank('edit')) {
    perms.push('change_resourcebase', 'change_resourcebase_metadata');
    if (resourceType === 'dataset') perms.push('change_dataset_data', 'change_dataset_style');
  }
  if (rank(level) >= rank('manage'))
    perms.push('delete_resourcebase', 'change_resourcebase_permissions', 'publish_resourcebase');
  return perms;
}

/** The effective level of a user (null = anonymous) on a resource. */
export function levelFor(store: Store, resource: StoredRecord, user: StoredRecord | null): Level {
  if (user?.is_superuser) return 'owner';
  const owner = resource.owner as StoredRecord | null;
  if (user && owner && owner.pk === user.pk) return 'owner';
  const grants = store.collection('grants').get(resource.pk);
  let level: Level = isLevel(grants?.anonymous) ? grants!.anonymous : 'none';
  if (!user) return level;
  if (isLevel(grants?.registered)) level = maxLevel(level, grants!.registered);
  for (const g of (grants?.users as StoredRecord[] | undefined) ?? []) {
    if (g.id === user.pk && isLevel(g.permissions)) level = maxLevel(level, g.permissions);
  }
  const groupGrants = (grants?.groups as StoredRecord[] | undefined) ?? [];
  if (groupGrants.length) {
    const mine = new Set(
      store
        .collection('memberships')
        .where('user', user.pk)
        .map((m) => m.group),
    );
    for (const g of groupGrants) if (mine.has(g.id) && isLevel(g.permissions)) level = maxLevel(level, g.permissions);
  }
  return level;
}

export function resourcePerms(store: Store, resource: StoredRecord, user: StoredRecord | null): string[] {
  return expandLevel(levelFor(store, resource, user), String(resource.resource_type));
}

/** Global permissions shown on a user object (`User.perms`, `geonode/people/models.py:198-222` (4.4.3)). */
export function userPerms(user: StoredRecord): string[] {
  return user.is_superuser || user.is_staff
    ? ['add_resource', 'change_resourcebase', 'delete_resourcebase']
    : ['add_resource'];
}
