/**
 * GeoNode's store collections (what `db.json` holds) with their id rules, and which of them may live on disk when
 * large, keeping which fields in memory (`onDisk`; the store decides when). The endpoint table over them is
 * `collections.ts`.
 */
import type { CollectionSpec } from '../../store/index.js';

/** Store collections: their id rules and what stays in memory when their records live on disk. */
export const GEONODE_STORE: Record<string, CollectionSpec> = {
  users: { idField: 'pk', idKind: 'int' },
  groups: { idField: 'pk', idKind: 'int' },
  memberships: { idField: 'id', idKind: 'int' },
  tokens: { idField: 'token', idKind: 'given' },
  categories: { idField: 'id', idKind: 'int' },
  keywords: { idField: 'id', idKind: 'int' },
  tkeywords: { idField: 'id', idKind: 'int' },
  regions: { idField: 'id', idKind: 'int' },
  licenses: { idField: 'id', idKind: 'int' },
  resources: {
    idField: 'pk',
    idKind: 'intString',
    // what visibility, the advertised rule, endpoint scopes, default orders, facets, the usual filters and the
    // linked_by lookup (`where('linked_to')`, in every detail's linked_resources) read across every resource
    onDisk: {
      inMemory: [
        'pk',
        'created',
        'owner',
        'advertised',
        'resource_type',
        'subtype',
        'metadata_only',
        'is_published',
        'is_approved',
        'featured',
        'title',
        'date',
        'last_updated',
        'category',
        'keywords',
        'regions',
        'tkeywords',
        'group',
        'linked_to',
      ],
    },
  },
  maplayers: { idField: 'pk', idKind: 'int', onDisk: { inMemory: ['map', 'dataset'] } }, // maps find their layers by index
  uploads: { idField: 'id', idKind: 'int' },
  upload_size_limits: { idField: 'slug', idKind: 'given' },
  upload_parallelism_limits: { idField: 'slug', idKind: 'given' },
  execution_requests: { idField: 'exec_id', idKind: 'given' },
  management_jobs: { idField: 'id', idKind: 'int' },
  harvesters: { idField: 'id', idKind: 'int' },
  harvestable_resources: { idField: 'id', idKind: 'int' },
  harvesting_sessions: { idField: 'id', idKind: 'int' },
  favorites: { idField: 'id', idKind: 'int' },
  ratings: { idField: 'id', idKind: 'int' },
  extra_metadata: { idField: 'id', idKind: 'int' },
  grants: { idField: 'resource', idKind: 'given' },
  assets: { idField: 'pk', idKind: 'int' },
};
