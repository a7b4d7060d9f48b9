/**
 * Which GeoNode fields `?sideloading=true` moves out of an object, under which key (facts §3.7). Only relations
 * rendered by a standard dynamic serializer move: `owner` (UserSerializer, `users`), `group` (GroupSerializer,
 * `groups`), `category` (SimpleTopicCategorySerializer, `TopicCategories`), `regions` (SimpleRegionSerializer,
 * `Regions`), `license`, `restriction_code_type`, `spatial_representation_type`. Contact roles, keywords, tkeywords,
 * links, perms, data and executions have custom representations and stay inline.
 */
import type { SideloadRule } from '../../query/dynamic-rest/index.js';
import type { Store } from '../../store/store.js';

const RESOURCE_FAMILY = new Set(['resources', 'datasets', 'documents', 'maps', 'geoapps']);

/** Embedded objects carry a natural key (identifier, code), not their id: look the id up in its collection. */
function idBy(store: Store, collection: string, field: string): (embedded: Record<string, unknown>) => number | null {
  const index = store.memo(`sideload-index:${collection}:${field}`, [collection], () => {
    const map = new Map<string, number>();
    for (const r of store.collection(collection).all()) map.set(String(r[field]), Number(r.id));
    return map;
  });
  return (embedded) => index.get(String(embedded[field])) ?? null;
}

const byPk = (embedded: Record<string, unknown>) => (embedded.pk === undefined || embedded.pk === null ? null : (embedded.pk as number));

/** geostub has no table of restriction codes or spatial representation types: their identifier stands for the pk. */
const byIdentifier = (embedded: Record<string, unknown>) => (typeof embedded.identifier === 'string' ? embedded.identifier : null);

export function sideloadRules(key: string, store: Store): SideloadRule[] {
  if (key === 'groups') return [{ field: 'group', plural: 'groups', pkOf: byPk }];
  if (!RESOURCE_FAMILY.has(key)) return [];
  return [
    { field: 'owner', plural: 'users', pkOf: byPk },
    { field: 'group', plural: 'groups', pkOf: byPk },
    { field: 'category', plural: 'TopicCategories', pkOf: idBy(store, 'categories', 'identifier') },
    { field: 'regions', plural: 'Regions', pkOf: idBy(store, 'regions', 'code') },
    { field: 'license', plural: 'Licenses', pkOf: idBy(store, 'licenses', 'identifier') },
    { field: 'restriction_code_type', plural: 'RestrictionCodeTypes', pkOf: byIdentifier },
    { field: 'spatial_representation_type', plural: 'SpatialRepresentationTypes', pkOf: byIdentifier },
  ];
}

