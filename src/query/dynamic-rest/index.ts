/**
 * dynamic-rest query language as GeoNode serves it (the features of `dynamic_rest/viewsets.py:81-91`, and GeoNode's
 * own filter backends, `geonode/base/api/views.py:307-315` (4.4.3)): parse a query string into one typed structure,
 * evaluate it over rendered records, write it back. Pure: plain data in, plain data out.
 */
export * from './types.js';
export { parseDynamicQuery, parseSort, type ParseOptions } from './parse.js';
export { parseFilters, parseJsonFilter, extractFilterParams } from './parse-filter.js';
export { compileWhere, matchesWhere, applyFilter, anyAlongPath, type CompileOptions } from './compile.js';
export { applySort, localeCompareStrings, codeUnitCompareStrings, type SortOptions } from './sort.js';
export { projectFields, isFieldSelected } from './project.js';
export { applySearch, compileSearch, parseSearch, searchTerms } from './search.js';
export { parseExtent, compileExtent, extentIntersects, envelopeOf, splitBox } from './extent.js';
export { GEONODE_PRESETS, expandPresets, type PresetSpec, type PresetTable, type PresetExpansion } from './presets.js';
export { serializeDynamicQuery, whereToJson, filterKey, type SerializeOptions } from './serialize.js';
export {
  resolveFilterPath,
  resolveFilterField,
  resolveSortPath,
  buildRequestFields,
  validateRequestFields,
} from './schema.js';
export {
  isTruthy,
  parseDatetime,
  pyListRepr,
  pyStrRepr,
  djangoDatetime,
  djangoBoolean,
  postgresTimestampText,
  pythonInt,
} from './values.js';
export { compileQueryPredicate, runDynamicQuery, type RunOptions } from './run.js';
export { sideloadObjects, sideloadKey, type SideloadRule, type SideloadResult } from './sideload.js';
export { lastParam, parsePatchAll, parseSideloading, type PatchAllMode } from './features.js';
