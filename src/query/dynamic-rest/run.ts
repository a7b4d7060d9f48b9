/** The parts of a DynamicQuery that select and order records, composed: filter{} ∧ search ∧ extent, then sort[]. */
import { compileWhere } from './compile.js';
import { compileExtent } from './extent.js';
import { compileSearch } from './search.js';
import { applySort, type SortOptions } from './sort.js';
import type { AnyRecord, DynamicQuery, Predicate } from './types.js';

export interface RunOptions extends SortOptions {
  /** Where a record's footprint is; default `ll_bbox_polygon`, else `extent`. */
  geometryOf?: (record: AnyRecord) => unknown;
}

const defaultGeometry = (record: AnyRecord): unknown => {
  const r = record as { ll_bbox_polygon?: unknown; extent?: unknown };
  return r.ll_bbox_polygon ?? r.extent;
};

/** One predicate for filter{}, search and extent (compile once per request). */
export function compileQueryPredicate(query: DynamicQuery, options: RunOptions = {}): Predicate {
  const parts: Predicate[] = [];
  if (query.where) parts.push(compileWhere(query.where, options));
  const search = compileSearch(query.search);
  if (search) parts.push(search);
  if (query.extent) {
    const inside = compileExtent(query.extent);
    const geometryOf = options.geometryOf ?? defaultGeometry;
    parts.push((r) => inside(geometryOf(r)));
  }
  if (parts.length === 0) return () => true;
  if (parts.length === 1) return parts[0]!;
  return (r) => {
    for (const p of parts) if (!p(r)) return false;
    return true;
  };
}

/** Filter, search, extent, then sort: the list a GeoNode server would page through. */
export function runDynamicQuery<T extends AnyRecord>(
  records: readonly T[],
  query: DynamicQuery,
  options: RunOptions = {},
): T[] {
  const predicate = compileQueryPredicate(query, options);
  const kept: T[] = [];
  for (let i = 0; i < records.length; i++) if (predicate(records[i]!)) kept.push(records[i]!);
  return applySort(kept, query.sort, options);
}
