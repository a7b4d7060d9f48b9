/**
 * Koordinates Data Catalog: stored record types, the typed catalogue query and its vocabulary.
 * Pure module (no HTTP framework, no store). The API it models: contracts/koordinates-catalog.yaml.
 */

export const KOORDINATES_VIEWS = ['published', 'latest'] as const;
export type KoordinatesView = (typeof KOORDINATES_VIEWS)[number];

export const ITEM_TYPES = ['layer', 'table', 'set', 'document', 'source'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

/** Data types of layers (and `table` for tables): the contract's `kind` filter. */
export const LAYER_KINDS = ['vector', 'raster', 'grid', 'attribute-grid'] as const;
export const TABLE_KINDS = ['table'] as const;
/** Source types: the contract's `kind` filter. */
export const SOURCE_KINDS = ['info', 'arcgis', 'cifs', 'upload', 'postgres', 'wfs'] as const;
export const KOORDINATES_KINDS = [...LAYER_KINDS, ...TABLE_KINDS, ...SOURCE_KINDS] as const;
export type KoordinatesKind = (typeof KOORDINATES_KINDS)[number];

export const VERSION_STATUSES = ['ok', 'error', 'importing', 'cancelled', 'new'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

/** The seven documented sort choices plus `-popularity` (the Python client can send it). */
export const KOORDINATES_SORTS = [
  'name',
  '-name',
  'created_at',
  '-created_at',
  'updated_at',
  '-updated_at',
  'popularity',
  '-popularity',
] as const;
export type KoordinatesSort = (typeof KOORDINATES_SORTS)[number];

export const KOORDINATES_DEFAULT_PAGE_SIZE = 100;
export const KOORDINATES_MAX_PAGE_SIZE = 1000;

export const LICENSE_TYPE_PATTERN = /^(public-domain|custom|commercial|cc(-by|-nc|-nd|-sa)*)$/;
export const LICENSE_VERSION_PATTERN = /^\d(\.\d)?$/;
export const LICENSE_JURISDICTION_PATTERN = /^[a-z]{2}$/i;

export function isOneOf<T extends string>(choices: readonly T[], value: string): value is T {
  return (choices as readonly string[]).includes(value);
}

// ---------------------------------------------------------------------------------------------
// Stored records (collections kx_items, kx_groups, kx_licenses, kx_users, kx_keys). URLs are
// host-relative (`/services/api/v1/layers/123/`); renderers make them absolute.

export type KoordinatesVersion = {
  id: number;
  status: VersionStatus;
  created_at: string;
  /** user id */
  created_by: number;
  reference: string;
  /** 0.0–1.0 */
  progress: number;
  /** true on the one published version of the item (at most one). */
  published: boolean;
};

export type KoordinatesCategory = { name: string; slug: string };

export type KoordinatesField = { name: string; type: string };

export type KoordinatesData = {
  encoding: string | null;
  crs: string | null;
  primary_key_fields: string[];
  datasources: { id: number }[];
  geometry_field: string | null;
  fields: KoordinatesField[];
  /** GeoJSON Polygon, null for tables. */
  extent: { type: 'Polygon'; coordinates: number[][][] } | null;
  feature_count: number | null;
  tile_revision: number | null;
};

export type KoordinatesItem = {
  id: number;
  type: ItemType;
  /** layer data type, `table` for tables, source type for sources, null for sets and documents. */
  kind: string | null;
  /**
   * The display name. A real item carries one or both (koordinates.com layers `name`, test.koordinates.com's
   * catalogue `title`, documents `name`, sets and sources `title`); read it with `displayName`.
   */
  name?: string;
  title?: string;
  public: boolean;
  group: number | null;
  user: number | null;
  license: number | null;
  categories: KoordinatesCategory[];
  geotags: string[];
  tags: string[];
  description: string;
  description_html: string;
  created_at: string;
  updated_at: string;
  first_published_at: string | null;
  published_at: string | null;
  popularity: number;
  /** oldest first; the last one is the latest version. */
  versions: KoordinatesVersion[];
  url: string;
  url_html: string;
  /** `{iso, dc, native}` host-relative URLs, or null. */
  metadata: { iso: string; dc: string; native: string } | null;
  publish_to_catalog_services: boolean;
  // layers and tables
  data?: KoordinatesData | null;
  collected_at?: [string, string] | null;
  elevation_field?: string | null;
  // documents
  extension?: string;
  file_size?: number;
  url_download?: string;
  // sets: ids of other catalogue items
  items?: number[];
  // sources
  last_scanned_at?: string | null;
  scan_schedule?: string | null;
  options?: Record<string, unknown>;
  url_remote?: string | null;
};

export type KoordinatesGroup = { id: number; name: string; country: string; url: string };

export type KoordinatesLicense = {
  id: number;
  title: string;
  type: string;
  jurisdiction: string;
  version: string | null;
  url: string;
  url_html: string;
  url_fulltext: string;
};

export type KoordinatesUser = {
  id: number;
  first_name: string;
  last_name: string;
  email: string;
  country: string;
  url: string;
};

export type KoordinatesKey = { key: string; user: number; scopes: string[] };

/** Lookups the filters (license.*) and the renderers (group, license, user objects) need. */
export type KoordinatesRefs = {
  license(id: number): KoordinatesLicense | undefined;
  group(id: number): KoordinatesGroup | undefined;
  user(id: number): KoordinatesUser | undefined;
  /** a catalogue item by id (set members) */
  item(id: number): KoordinatesItem | undefined;
};

/** Builds {@link KoordinatesRefs} over the stored collections (O(1) lookups). */
export function koordinatesRefs(collections: {
  kx_items?: readonly unknown[];
  kx_licenses?: readonly unknown[];
  kx_groups?: readonly unknown[];
  kx_users?: readonly unknown[];
}): KoordinatesRefs {
  const index = <T extends { id: number }>(rows: readonly unknown[] | undefined): Map<number, T> =>
    new Map(((rows ?? []) as T[]).map((r) => [r.id, r]));
  const licenses = index<KoordinatesLicense>(collections.kx_licenses);
  const groups = index<KoordinatesGroup>(collections.kx_groups);
  const users = index<KoordinatesUser>(collections.kx_users);
  const items = index<KoordinatesItem>(collections.kx_items);
  return {
    license: (id) => licenses.get(id),
    group: (id) => groups.get(id),
    user: (id) => users.get(id),
    item: (id) => items.get(id),
  };
}

// ---------------------------------------------------------------------------------------------
// The typed query. Each array holds the values of one filter name: values are OR-ed, filters AND-ed.
// An empty array means "filter absent".

export type LicenseRef = number | boolean;

export type KoordinatesFilters = {
  kind: KoordinatesKind[];
  public: boolean[];
  group: number[];
  license: LicenseRef[];
  'license.type': string[];
  'license.jurisdiction': string[];
  'license.version': string[];
  category: string[];
  geotag: string[];
  tag: string[];
  /** search terms (lower-cased), the union of every `q` value's terms */
  q: string[];
  /** epoch milliseconds */
  'created_at.before': number[];
  'created_at.after': number[];
  'updated_at.before': number[];
  'updated_at.after': number[];
  'version.status': VersionStatus[];
};

export type KoordinatesQuery = {
  view: KoordinatesView;
  filters: KoordinatesFilters;
  sort: KoordinatesSort | null;
  /** 1-based */
  page: number;
  pageSize: number;
};

export type FieldErrors = Record<string, string[]>;

export type KoordinatesQueryResult = { ok: true; query: KoordinatesQuery } | { ok: false; errors: FieldErrors };

export type KoordinatesContext = {
  view: KoordinatesView;
  isAnonymous: boolean;
  refs: KoordinatesRefs;
  /**
   * Optional visibility predicate (e.g. an authenticated user's permissions). When absent, an anonymous
   * caller sees public items only and an authenticated caller sees everything.
   */
  isVisible?: (item: KoordinatesItem) => boolean;
};
