/**
 * GeoNode's resource table: every endpoint collection with its store collection, envelope keys (each serializer's
 * `Meta.name`, pluralised by `dynamic_rest/serializers.py:351-363`),
 * id rules, component schemas and default order. The generic machinery reads this table; it never names a
 * GeoNode type itself.
 */
import type { StoredRecord } from '../../store/index.js';

export interface EndpointCollection {
  /** store collection holding the records */
  store: string;
  /** envelope keys */
  singular: string;
  plural: string;
  /** record field holding the id, and the URL segment type */
  idField: string;
  idType: 'int' | 'intString' | 'uuid' | 'slug';
  /** component schema of a detail object, and of a list item when it differs */
  itemSchema: string;
  listItemSchema?: string;
  /** records of the store collection that belong to this endpoint (views such as datasets) */
  scope?: (r: StoredRecord) => boolean;
  /**
   * dynamic-rest `sort[]` terms applied when the request has none: the view's or the model's default ordering
   * (taxonomies: TopicCategory `identifier`, Region `name`, ThesaurusKeyword `alt_label` (a tkeyword's `slug` here),
   * HierarchicalKeyword its tree path, which `node_order_by = ['name']` keeps in name order)
   */
  defaultSort: string[];
  /** fields a create request must carry (the serializer's required fields) */
  requiredOnCreate?: string[];
  /** API path of the endpoint, for `link` fields */
  path: string;
  /** who may create/update/delete: any authenticated user, staff/superusers, or superusers */
  writers?: 'authenticated' | 'admin' | 'superuser';
  /** `authenticated`: anonymous reads are refused (IsAuthenticated views: users, execution requests) */
  readers?: 'authenticated';
  /** `superuser`: only superusers read a single record (harvesters: the list is public, details are admin's) */
  detailReaders?: 'superuser';
  /** status of a successful single DELETE (204 unless GeoNode's view answers otherwise) */
  deletedStatus?: number;
}

const isType = (t: string) => (r: StoredRecord) => r.resource_type === t;
const GEOAPP_TYPES = new Set(['geostory', 'dashboard', 'geoapp']);

export const GEONODE_COLLECTIONS: Record<string, EndpointCollection> = {
  resources: {
    store: 'resources',
    singular: 'resource',
    plural: 'resources',
    idField: 'pk',
    idType: 'intString',
    itemSchema: 'Resource',
    defaultSort: ['-created'],
    path: 'resources',
    requiredOnCreate: ['title'],
  },
  datasets: {
    store: 'resources',
    singular: 'dataset',
    plural: 'datasets',
    idField: 'pk',
    idType: 'intString',
    itemSchema: 'Dataset',
    listItemSchema: 'DatasetListItem',
    scope: (r) => r.resource_type === 'dataset' && r.metadata_only !== true,
    defaultSort: ['-created'],
    path: 'datasets',
  },
  documents: {
    store: 'resources',
    singular: 'document',
    plural: 'documents',
    idField: 'pk',
    idType: 'intString',
    itemSchema: 'Document',
    scope: isType('document'),
    defaultSort: ['-created'],
    path: 'documents',
    requiredOnCreate: ['title'],
  },
  maps: {
    store: 'resources',
    singular: 'map',
    plural: 'maps',
    idField: 'pk',
    idType: 'intString',
    itemSchema: 'Map',
    scope: isType('map'),
    defaultSort: ['-created'],
    path: 'maps',
    requiredOnCreate: ['title'],
  },
  geoapps: {
    store: 'resources',
    singular: 'geoapp',
    plural: 'geoapps',
    idField: 'pk',
    idType: 'intString',
    itemSchema: 'GeoApp',
    scope: (r) => GEOAPP_TYPES.has(String(r.resource_type)),
    defaultSort: ['-created'],
    path: 'geoapps',
    requiredOnCreate: ['name', 'resource_type'],
  },
  users: {
    store: 'users',
    singular: 'user',
    plural: 'users',
    idField: 'pk',
    idType: 'int',
    itemSchema: 'User',
    defaultSort: ['username'],
    path: 'users',
    requiredOnCreate: ['username'],
    writers: 'admin',
    readers: 'authenticated',
  },
  owners: {
    store: 'users',
    singular: 'owners',
    plural: 'owners',
    idField: 'pk',
    idType: 'int',
    itemSchema: 'Owner',
    defaultSort: ['username'],
    path: 'owners',
  },
  groups: {
    store: 'groups',
    singular: 'group_profile',
    plural: 'group_profiles',
    idField: 'pk',
    idType: 'int',
    itemSchema: 'GroupProfile',
    defaultSort: ['title'],
    path: 'groups',
    requiredOnCreate: ['title'],
    writers: 'admin',
  },
  categories: {
    store: 'categories',
    singular: 'categories',
    plural: 'categories',
    idField: 'id',
    idType: 'int',
    itemSchema: 'Category',
    defaultSort: ['identifier', 'id'],
    path: 'categories',
  },
  keywords: {
    store: 'keywords',
    singular: 'keywords',
    plural: 'keywords',
    idField: 'id',
    idType: 'int',
    itemSchema: 'Keyword',
    defaultSort: ['name', 'id'],
    path: 'keywords',
  },
  tkeywords: {
    store: 'tkeywords',
    singular: 'tkeywords',
    plural: 'tkeywords',
    idField: 'id',
    idType: 'int',
    itemSchema: 'TKeyword',
    defaultSort: ['slug', 'id'],
    path: 'tkeywords',
  },
  regions: {
    store: 'regions',
    singular: 'regions',
    plural: 'regions',
    idField: 'id',
    idType: 'int',
    itemSchema: 'Region',
    defaultSort: ['name', 'id'],
    path: 'regions',
  },
  uploads: {
    store: 'uploads',
    singular: 'upload',
    plural: 'uploads',
    idField: 'id',
    idType: 'int',
    itemSchema: 'Upload',
    defaultSort: ['-id'],
    path: 'uploads',
  },
  upload_size_limits: {
    store: 'upload_size_limits',
    singular: 'upload-size-limit',
    plural: 'upload-size-limits',
    idField: 'slug',
    idType: 'slug',
    itemSchema: 'UploadSizeLimit',
    defaultSort: ['slug'],
    path: 'upload-size-limits',
    requiredOnCreate: ['slug', 'max_size'],
    writers: 'superuser',
  },
  upload_parallelism_limits: {
    store: 'upload_parallelism_limits',
    singular: 'upload-parallelism-limit',
    plural: 'upload-parallelism-limits',
    idField: 'slug',
    idType: 'slug',
    itemSchema: 'UploadParallelismLimit',
    defaultSort: ['slug'],
    path: 'upload-parallelism-limits',
    requiredOnCreate: ['slug', 'max_number'],
    writers: 'superuser',
  },
  execution_requests: {
    store: 'execution_requests',
    singular: 'request',
    plural: 'requests',
    idField: 'exec_id',
    idType: 'uuid',
    itemSchema: 'ExecutionRequest',
    defaultSort: ['exec_id'],
    path: 'executionrequest',
    deletedStatus: 200,
    readers: 'authenticated',
  },
  harvesters: {
    store: 'harvesters',
    singular: 'harvester',
    plural: 'harvesters',
    idField: 'id',
    idType: 'int',
    itemSchema: 'Harvester',
    listItemSchema: 'HarvesterBrief',
    defaultSort: ['id'],
    path: 'harvesters',
    requiredOnCreate: ['name', 'remote_url'],
    writers: 'superuser',
    detailReaders: 'superuser',
  },
  harvesting_sessions: {
    store: 'harvesting_sessions',
    singular: 'asynchronous_harvesting_session',
    plural: 'asynchronous_harvesting_sessions',
    idField: 'id',
    idType: 'int',
    itemSchema: 'HarvestingSession',
    defaultSort: ['id'],
    path: 'harvesting-sessions',
  },
  harvestable_resources: {
    store: 'harvestable_resources',
    singular: 'harvestable_resource',
    plural: 'harvestable_resources',
    idField: 'id',
    idType: 'int',
    itemSchema: 'HarvestableResource',
    defaultSort: ['id'],
    path: 'harvestable-resources',
  },
  assets: {
    store: 'assets',
    singular: 'asset',
    plural: 'assets',
    idField: 'pk',
    idType: 'int',
    itemSchema: 'Asset',
    defaultSort: ['-created', '-pk'],
    path: 'assets',
    requiredOnCreate: ['title', 'type'],
  },
  management_jobs: {
    store: 'management_jobs',
    singular: 'job',
    plural: 'data',
    idField: 'id',
    idType: 'int',
    itemSchema: 'ManagementJob',
    listItemSchema: 'ManagementJobBrief',
    defaultSort: ['-id'],
    path: 'management/jobs',
    writers: 'superuser',
  },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a URL id segment has the endpoint's id form (`abc` is never a resource pk). */
export function isWellFormedId(c: EndpointCollection, raw: string): boolean {
  switch (c.idType) {
    case 'int':
    case 'intString':
      return /^\d{1,15}$/.test(raw);
    case 'uuid':
      return UUID.test(raw);
    case 'slug':
      return /^[-a-zA-Z0-9_]+$/.test(raw);
  }
}
