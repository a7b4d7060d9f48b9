/**
 * Query string → DynamicQuery, in the order a GeoNode server meets the parts (so the first error is the
 * same): api_preset expansion, include[]/exclude[] (serializer construction), filter{…}, sort[], search, extent.
 */
import { parseExtent } from './extent.js';
import { parseFilters } from './parse-filter.js';
import { expandPresets, GEONODE_PRESETS, type PresetTable } from './presets.js';
import { buildRequestFields, resolveSortPath, validateRequestFields } from './schema.js';
import { parseSearch } from './search.js';
import {
  QueryError,
  type DynamicQuery,
  type FieldSchema,
  type ParseResult,
  type Projection,
  type SortTerm,
} from './types.js';
import { pyListRepr } from './values.js';

export interface ParseOptions {
  /**
   * Preset table for `api_preset`; default GEONODE_PRESETS. `null`: the endpoint has no ApiPresetsInitializer
   * (only resources, datasets, documents, maps and geoapps have it), so `api_preset` is an ordinary ignored param.
   */
  presets?: PresetTable | null;
}

export function parseDynamicQuery(
  params: URLSearchParams,
  schema: FieldSchema,
  options: ParseOptions = {},
): ParseResult {
  try {
    return { ok: true, query: parseOrThrow(params, schema, options) };
  } catch (error) {
    if (error instanceof QueryError) return { ok: false, error: error.toJSON() };
    throw error;
  }
}

function parseOrThrow(params: URLSearchParams, schema: FieldSchema, options: ParseOptions): DynamicQuery {
  const table = options.presets === undefined ? GEONODE_PRESETS : options.presets;
  const presets = table ? params.getAll('api_preset') : [];
  const projection = parseProjection(params, schema, presets, table);
  const filters = parseFilters(params, schema);
  const sort = parseSort(params.getAll('sort[]'), schema);
  const search = parseSearch(params, schema);
  const extents = params.getAll('extent');
  const extentText = extents.length > 0 ? extents[extents.length - 1]! : '';
  return {
    where: filters.where,
    filterForm: filters.form,
    relationFilters: filters.relationFilters,
    projection: projection.projection,
    sort,
    search,
    extent: extentText === '' ? null : parseExtent(extentText),
    presets,
    unknownPresets: projection.unknownPresets,
  };
}

function parseProjection(
  params: URLSearchParams,
  schema: FieldSchema,
  presets: readonly string[],
  table: PresetTable | null,
): { projection: Projection; unknownPresets: string[] } {
  const requestedInclude = params.getAll('include[]');
  const requestedExclude = params.getAll('exclude[]');
  const expanded =
    table && presets.length > 0
      ? expandPresets(presets, requestedInclude, requestedExclude, table)
      : { include: [...requestedInclude], exclude: [...requestedExclude], unknown: [] };
  const tree = buildRequestFields(expanded.include, expanded.exclude);
  if (tree) validateRequestFields(tree, schema);
  return {
    projection: { include: expanded.include, exclude: expanded.exclude, requestedInclude, requestedExclude, tree },
    unknownPresets: expanded.unknown,
  };
}

/** `sort[]` terms, trimmed; every invalid term is listed, Python-style, in one error. */
export function parseSort(values: readonly string[], schema: FieldSchema): SortTerm[] {
  const terms: SortTerm[] = [];
  const invalid: string[] = [];
  for (const value of values) {
    const raw = value.trim();
    const stripped = raw.replace(/^-+/, '');
    const path = stripped.split('.');
    const valueKind = stripped === '' ? null : resolveSortPath(schema, path);
    if (valueKind === null) invalid.push(raw);
    else terms.push({ raw, path, desc: stripped.length !== raw.length, valueKind });
  }
  if (invalid.length > 0) throw new QueryError('invalid', `Invalid filter field: ${pyListRepr(invalid)}`);
  return terms;
}
