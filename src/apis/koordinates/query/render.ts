/**
 * Renders stored catalogue records into the response shapes of contracts/koordinates-catalog.yaml with absolute URLs.
 * Pure: no HTTP framework, no store (lookups come in through {@link KoordinatesRefs}).
 *
 * Shapes (contracts/koordinates-catalog.yaml):
 * - layer/table list: id, url, type, name, title, first_published_at, published_at (both names: the seed and the
 *   older fixtures read `name`, current clients `title`);
 * - set (list = detail): id, title, description(_html), categories, tags, user or group, items (URLs), url,
 *   url_html, metadata, publish_to_catalog_services, permissions, created_at;
 * - document list: id, name, group, url, url_html, url_download, first/published_at, extension, file_size,
 *   file_size_formatted; the detail adds description, categories, tags, license, metadata, …;
 * - source list: id, url, url_html, title, type (the source type); the detail adds license, options, scans, …;
 * - the detailed shape (`Expand: list`, detail endpoints) of layers/tables adds data, group, license, version, …
 */
import { latestVersion, publishedVersion, shownVersion } from './versions.js';
import type {
  KoordinatesRefs,
  KoordinatesView,
  KoordinatesItem,
  KoordinatesLicense,
  KoordinatesVersion,
} from './types.js';

type Json = Record<string, unknown>;

/** `origin` is `scheme://host[:port]` (a trailing slash is ignored); only host-relative paths are prefixed. */
export function absoluteUrl(origin: string, path: string | null | undefined): string | null {
  if (path == null) return null;
  return path.startsWith('/') ? origin.replace(/\/+$/, '') + path : path;
}

/** `21343680` → `21.3 MB` (decimal units, as the real fixture shows). */
export function formatFileSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

export function renderGroupRef(id: number | null, origin: string, refs: KoordinatesRefs): Json | null {
  const g = id == null ? undefined : refs.group(id);
  return g ? { id: g.id, url: absoluteUrl(origin, g.url), name: g.name, country: g.country } : null;
}

export function renderUserRef(id: number | null, origin: string, refs: KoordinatesRefs): Json | null {
  const u = id == null ? undefined : refs.user(id);
  return u
    ? {
        id: u.id,
        url: absoluteUrl(origin, u.url),
        first_name: u.first_name,
        last_name: u.last_name,
        country: u.country,
      }
    : null;
}

/** `/licenses/{id}/` (with `url_fulltext`); `embedded` drops `url_fulltext` as a layer detail does. */
export function renderLicense(l: KoordinatesLicense, origin: string, embedded = false): Json {
  const out: Json = {
    id: l.id,
    title: l.title,
    type: l.type,
    jurisdiction: l.jurisdiction,
    version: l.version,
    url: absoluteUrl(origin, l.url),
    url_html: absoluteUrl(origin, l.url_html),
  };
  if (!embedded) out.url_fulltext = absoluteUrl(origin, l.url_fulltext);
  return out;
}

function renderLicenseRef(id: number | null, origin: string, refs: KoordinatesRefs): Json | null {
  const l = id == null ? undefined : refs.license(id);
  return l ? renderLicense(l, origin, true) : null;
}

export function versionUrl(
  item: KoordinatesItem,
  version: KoordinatesVersion | undefined,
  origin: string,
): string | null {
  return version ? absoluteUrl(origin, `${item.url}versions/${version.id}/`) : null;
}

/** A version summary (`/layers/{id}/versions/` entries and the `version` of a layer detail). */
export function renderVersion(item: KoordinatesItem, v: KoordinatesVersion, origin: string): Json {
  return {
    id: v.id,
    url: versionUrl(item, v, origin),
    status: v.status,
    created_at: v.created_at,
    created_by: v.created_by,
    reference: v.reference,
    progress: v.progress,
  };
}

/** `/layers/{id}/versions/` (and `/tables/{id}/versions/`): every version, oldest first. */
export function renderVersionList(item: KoordinatesItem, origin: string): Json[] {
  return item.versions.map((v) => renderVersion(item, v, origin));
}

function ownerFields(item: KoordinatesItem, origin: string, refs: KoordinatesRefs): Json {
  return item.group != null
    ? { group: renderGroupRef(item.group, origin, refs) }
    : { user: renderUserRef(item.user, origin, refs) };
}

function metadataUrls(item: KoordinatesItem, origin: string): Json | null {
  const m = item.metadata;
  return m
    ? { iso: absoluteUrl(origin, m.iso), dc: absoluteUrl(origin, m.dc), native: absoluteUrl(origin, m.native) }
    : null;
}

function renderLayer(
  item: KoordinatesItem,
  version: KoordinatesVersion | undefined,
  expand: boolean,
  origin: string,
  refs: KoordinatesRefs,
): Json {
  const out: Json = {
    id: item.id,
    url: absoluteUrl(origin, item.url),
    type: item.type,
    name: item.name,
    title: item.title,
    first_published_at: item.first_published_at,
    published_at: item.published_at,
  };
  if (!expand) return out;
  const data = item.data ?? null;
  return Object.assign(out, {
    description: item.description,
    description_html: item.description_html,
    group: renderGroupRef(item.group, origin, refs),
    data: data && { ...data, datasources: data.datasources.map((d) => ({ id: d.id })) },
    url_html: absoluteUrl(origin, item.url_html),
    published_version: versionUrl(item, publishedVersion(item), origin),
    latest_version: versionUrl(item, latestVersion(item), origin),
    this_version: versionUrl(item, version, origin),
    kind: item.kind,
    categories: item.categories.map((c) => ({ name: c.name, slug: c.slug })),
    tags: [...item.tags],
    collected_at: item.collected_at ? [...item.collected_at] : null,
    created_at: item.created_at,
    updated_at: item.updated_at,
    license: renderLicenseRef(item.license, origin, refs),
    metadata: metadataUrls(item, origin),
    elevation_field: item.elevation_field ?? null,
    version: version ? renderVersion(item, version, origin) : null,
    permissions: absoluteUrl(origin, `${item.url}permissions/`),
  });
}

function renderSet(item: KoordinatesItem, origin: string, refs: KoordinatesRefs): Json {
  const items: string[] = [];
  for (const id of item.items ?? []) {
    const member = refs.item(id);
    if (member) items.push(absoluteUrl(origin, member.url) as string);
  }
  return {
    id: item.id,
    title: item.title,
    description: item.description,
    description_html: item.description_html,
    categories: item.categories.map((c) => ({ name: c.name, slug: c.slug })),
    tags: [...item.tags],
    ...ownerFields(item, origin, refs),
    items,
    url: absoluteUrl(origin, item.url),
    url_html: absoluteUrl(origin, item.url_html),
    metadata: metadataUrls(item, origin),
    publish_to_catalog_services: item.publish_to_catalog_services,
    permissions: absoluteUrl(origin, `${item.url}permissions/`),
    created_at: item.created_at,
  };
}

function renderDocument(item: KoordinatesItem, expand: boolean, origin: string, refs: KoordinatesRefs): Json {
  const out: Json = {
    id: item.id,
    name: item.name,
    group: renderGroupRef(item.group, origin, refs),
    url: absoluteUrl(origin, item.url),
    url_html: absoluteUrl(origin, item.url_html),
    url_download: absoluteUrl(origin, item.url_download ?? `${item.url_html}download/`),
    first_published_at: item.first_published_at,
    published_at: item.published_at,
    extension: item.extension ?? '',
    file_size: item.file_size ?? 0,
    file_size_formatted: formatFileSize(item.file_size ?? 0),
  };
  if (!expand) return out;
  return Object.assign(out, {
    description: item.description,
    description_html: item.description_html,
    categories: item.categories.map((c) => ({ name: c.name, slug: c.slug })),
    tags: [...item.tags],
    license: renderLicenseRef(item.license, origin, refs),
    metadata: metadataUrls(item, origin),
    publish_to_catalog_services: item.publish_to_catalog_services,
    permissions: absoluteUrl(origin, `${item.url}permissions/`),
    created_at: item.created_at,
    updated_at: item.updated_at,
  });
}

function renderSource(item: KoordinatesItem, expand: boolean, origin: string, refs: KoordinatesRefs): Json {
  const out: Json = {
    id: item.id,
    url: absoluteUrl(origin, item.url),
    url_html: absoluteUrl(origin, item.url_html),
    title: item.title,
    type: item.kind,
  };
  if (!expand) return out;
  Object.assign(out, {
    license: renderLicenseRef(item.license, origin, refs),
    publish_to_catalog_services: item.publish_to_catalog_services,
    permissions: absoluteUrl(origin, `${item.url}permissions/`),
    description: item.description,
    description_html: item.description_html,
    categories: item.categories.map((c) => ({ name: c.name, slug: c.slug })),
    tags: [...item.tags],
    ...ownerFields(item, origin, refs),
    metadata: metadataUrls(item, origin),
    last_scanned_at: item.last_scanned_at ?? null,
    scan_schedule: item.scan_schedule ?? null,
    options: { ...(item.options ?? {}) },
    datasources: absoluteUrl(origin, `${item.url}datasources/`),
    scans: absoluteUrl(origin, `${item.url}scans/`),
  });
  if (item.kind === 'arcgis') out.url_remote = item.url_remote ?? null;
  return out;
}

/**
 * One catalogue entry: the list shape, or the detailed shape when `expand` (`Expand: list`).
 * `view` picks the version a layer/table detail shows (`this_version`, `version`).
 */
export function renderKoordinatesItem(
  item: KoordinatesItem,
  view: KoordinatesView,
  expand: boolean,
  origin: string,
  refs: KoordinatesRefs,
): Json {
  switch (item.type) {
    case 'layer':
    case 'table':
      return renderLayer(item, shownVersion(item, view), expand, origin, refs);
    case 'set':
      return renderSet(item, origin, refs);
    case 'document':
      return renderDocument(item, expand, origin, refs);
    case 'source':
      return renderSource(item, expand, origin, refs);
  }
}

/**
 * A detail endpoint (`/layers/{id}/`, `/tables/{id}/`, `/sets/{id}/`, `/documents/{id}/`, `/sources/{id}/`, and
 * `/layers/{id}/versions/{version_id}/` with `versionId`). Without `versionId` the published version is shown,
 * or the latest one when the item was never published. Returns undefined for an unknown `versionId`.
 */
export function renderKoordinatesDetail(
  item: KoordinatesItem,
  origin: string,
  refs: KoordinatesRefs,
  versionId?: number,
): Json | undefined {
  if (item.type === 'layer' || item.type === 'table') {
    const version =
      versionId === undefined ? shownVersion(item, 'published') : item.versions.find((v) => v.id === versionId);
    if (versionId !== undefined && !version) return undefined;
    return renderLayer(item, version, true, origin, refs);
  }
  if (versionId !== undefined) return undefined;
  return renderKoordinatesItem(item, 'published', true, origin, refs);
}
