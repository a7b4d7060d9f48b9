/**
 * `api_preset` expansion: GeoNode's ApiPresetsInitializer (`geonode/base/api/views.py:274-297` (4.4.3)) over
 * `REST_API_PRESETS` (`geonode/settings.py:557-560` (4.4.3)), plus the presets the MapStore client app registers
 * (`run_setup_hooks` in geonode-mapstore-client's `geonode_mapstore_client/apps.py`; its lists grow between releases).
 */

export interface PresetSpec {
  readonly 'exclude[]'?: readonly string[];
  readonly 'include[]'?: readonly string[];
}
export type PresetTable = Readonly<Record<string, PresetSpec>>;

/** GeoNode's core presets plus the ones the geonode-mapstore-client Django app registers. */
export const GEONODE_PRESETS: PresetTable = {
  bare: { 'exclude[]': ['*'], 'include[]': ['pk', 'title'] },
  basic: { 'exclude[]': ['*'], 'include[]': ['pk', 'title', 'abstract', 'resource_type'] },
  catalog_list: {
    'exclude[]': ['*'],
    'include[]': [
      'advertised',
      'detail_url',
      'is_approved',
      'is_copyable',
      'is_published',
      'owner',
      'perms',
      'pk',
      'raw_abstract',
      'resource_type',
      'subtype',
      'title',
      'executions',
      'thumbnail_url',
      'created',
      'favorite',
    ],
  },
  dataset_list: {
    'exclude[]': ['*'],
    'include[]': [
      'advertised',
      'detail_url',
      'owner',
      'perms',
      'pk',
      'raw_abstract',
      'resource_type',
      'subtype',
      'title',
      'data',
      'executions',
      'thumbnail_url',
      'alternate',
      'links',
      'featureinfo_custom_template',
      'has_time',
      'default_style',
      'ptype',
      'extent',
      'is_approved',
      'is_published',
    ],
  },
  map_list: {
    'exclude[]': ['*'],
    'include[]': [
      'advertised',
      'detail_url',
      'data',
      'is_approved',
      'is_copyable',
      'is_published',
      'owner',
      'perms',
      'pk',
      'raw_abstract',
      'resource_type',
      'subtype',
      'title',
      'executions',
      'thumbnail_url',
    ],
  },
  document_list: {
    'exclude[]': ['*'],
    'include[]': [
      'pk',
      'raw_abstract',
      'resource_type',
      'subtype',
      'title',
      'data',
      'executions',
      'thumbnail_url',
      'alternate',
      'attribution',
      'href',
    ],
  },
  viewer_common: {
    'exclude[]': ['*'],
    'include[]': [
      'abstract',
      'advertised',
      'alternate',
      'attribution',
      'category',
      'created',
      'date',
      'date_type',
      'detail_url',
      'download_urls',
      'embed_url',
      'executions',
      'extent',
      'favorite',
      'group',
      'is_approved',
      'is_copyable',
      'is_published',
      'keywords',
      'language',
      'last_updated',
      'linked_resources',
      'links',
      'owner',
      'perms',
      'pk',
      'poc',
      'raw_abstract',
      'regions',
      'resource_type',
      'sourcetype',
      'subtype',
      'supplemental_information',
      'temporal_extent_end',
      'temporal_extent_start',
      'thumbnail_url',
      'title',
      'uuid',
      'metadata_uploaded_preserve',
      'featured',
    ],
  },
  map_details: { 'include[]': ['maplayers'] },
  map_viewer: { 'include[]': ['data', 'maplayers'] },
  document_viewer: { 'include[]': ['href', 'extension'] },
  dataset_viewer: {
    'include[]': [
      'featureinfo_custom_template',
      'dataset_ows_url',
      'default_style',
      'ptype',
      'store',
      'has_time',
      'attribute_set',
      'data',
    ],
  },
};

export interface PresetExpansion {
  include: string[];
  exclude: string[];
  unknown: string[];
}

/**
 * Append each preset's values, in preset order. GeoNode skips a value when it occurs in
 * `request.GET.get(param)` — the LAST value of that param, a string, so the test is a substring test
 * (`data` is skipped after `metadata`); reproduced as is. An unknown (or empty) preset stops the expansion.
 */
export function expandPresets(
  names: readonly string[],
  include: readonly string[],
  exclude: readonly string[],
  table: PresetTable = GEONODE_PRESETS,
): PresetExpansion {
  const lists: Record<'include[]' | 'exclude[]', string[]> = { 'include[]': [...include], 'exclude[]': [...exclude] };
  const unknown: string[] = [];
  for (const name of names) {
    const preset = Object.hasOwn(table, name) ? table[name] : undefined;
    if (!preset || Object.keys(preset).length === 0) {
      unknown.push(name);
      break;
    }
    for (const param of Object.keys(preset) as Array<keyof PresetSpec>) {
      const list = lists[param];
      if (!list) continue;
      for (const value of preset[param] ?? []) {
        const last = list[list.length - 1];
        if (last === undefined || !last.includes(value)) list.push(value);
      }
    }
  }
  return { include: lists['include[]'], exclude: lists['exclude[]'], unknown };
}
