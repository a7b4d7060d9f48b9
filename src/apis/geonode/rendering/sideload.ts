/**
 * Which GeoNode fields `?sideloading=true` moves out of an object, under which key
 * (`dynamic_rest/processors.py:85-162`; serializer names in `geonode/base/api/serializers.py:127-212` (4.4.3)). Only
 * relations rendered by a standard dynamic serializer move: `owner` (UserSerializer, `users`), `group`
 * (GroupSerializer, `groups`), `category` (SimpleTopicCategorySerializer, `TopicCategories`), `regions`
 * (SimpleRegionSerializer, `Regions`), `license`, `restriction_code_type`, `spatial_representation_type`. Contact
 * roles, keywords, tkeywords, links, perms, data and executions have custom representations and stay inline.
 */
import type { SideloadRule } from '../../../query/dynamic-rest/index.js';
import type { Store } from '../../../store/index.js';

const RESOURCE_FAMILY = new Set(['resources', 'datasets', 'documents', 'maps', 'geoapps']);

/** Embedded objects carry a natural key (identifier, code), not their id: look the id up in its collection. */
function idBy(store: Store, collection: string, field: string): (embedded: Record<string, unknown>) => number | null {
  const index = store.memo(`sideload-index:${collection}:${field}`, [collection], () => {
    const map = new Map<string, number>();
    for (const r of store.collection(collection).list()) map.set(String(r[field]), Number(r.id));
    return map;
  });
  return (embedded) => index.get(String(embedded[field])) ?? null;
}

const byPk = (embedded: Record<string, unknown>) =>
  embedded.pk === undefined || embedded.pk === null ? null : (embedded.pk as number);

/** geostub has no table of restriction codes or spatial representation types: their identifier stands for the pk. */
const byIdentifier = (embedded: Record<string, unknown>) =>
  typeof embedded.identifier === 'string' ? embedded.identifier : null;

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

/**
 * The related row's pk of an embedded object, for relation filters and sorts (`filter{owner}=1000`,
 * `filter{regions.in}=3`, `filter{keywords.pk}=7`, `sort[]=category`): dynamic-rest filters a relation by the related
 * row's integer pk (`FilterNode.generate_query_key`, `dynamic_rest/filters.py:93-141`). Embedded keywords, regions,
 * categories and licences carry a natural key, looked up in their collection; users and groups carry their pk.
 */
export function relationPk(store: Store): (path: readonly string[], embedded: Record<string, unknown>) => unknown {
  const bySlug = idBy(store, 'keywords', 'slug');
  const byCode = idBy(store, 'regions', 'code');
  const byCategory = idBy(store, 'categories', 'identifier');
  const byLicense = idBy(store, 'licenses', 'identifier');
  const byUri = idBy(store, 'tkeywords', 'uri');
  return (path, embedded) => {
    switch (path[path.length - 1]) {
      case 'keywords':
        return bySlug(embedded);
      case 'regions':
        return byCode(embedded);
      case 'category':
        return byCategory(embedded);
      case 'license':
        return byLicense(embedded);
      case 'tkeywords':
        return byUri(embedded);
      default:
        return embedded.pk ?? embedded.id ?? null;
    }
  };
}
