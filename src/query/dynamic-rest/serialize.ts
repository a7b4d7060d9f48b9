/** DynamicQuery → URLSearchParams: the same structure back to a query string (for `links.next`, the runner). */
import type { DynamicQuery, FilterCondition, Where } from './types.js';

export interface SerializeOptions {
  /**
   * false (default): write `api_preset` and the include[]/exclude[] the request carried, as GeoNode's own
   * links do (they are built from the original query string). true: write the expanded include[]/exclude[].
   */
  expandPresets?: boolean;
}

export function filterKey(c: FilterCondition): string {
  return `filter{${c.negate ? '-' : ''}${c.path.join('.')}${c.op === 'eq' ? '' : `.${c.op}`}}`;
}

function conditions(where: Where | null): FilterCondition[] {
  if (!where) return [];
  if (where.kind === 'condition') return [where];
  return where.nodes.flatMap(conditions);
}

/** A Where node as the JSON filter form: `{"$and": […]}`, `{"$or": […]}`, or `{"[-]path[.op]": value}`. */
export function whereToJson(where: Where): Record<string, unknown> {
  if (where.kind !== 'condition') return { [`$${where.kind}`]: where.nodes.map(whereToJson) };
  const key = filterKey(where).slice('filter{'.length, -1);
  const value = where.op === 'in' || where.op === 'range' ? where.values : where.values[0];
  return { [key]: value };
}

export function serializeDynamicQuery(query: DynamicQuery, options: SerializeOptions = {}): URLSearchParams {
  const out = new URLSearchParams();
  const p = query.projection;
  const expand = options.expandPresets === true;
  for (const v of expand ? p.include : p.requestedInclude) out.append('include[]', v);
  for (const v of expand ? p.exclude : p.requestedExclude) out.append('exclude[]', v);
  if (!expand) for (const name of query.presets) out.append('api_preset', name);
  if (query.filterForm === 'json' && query.where) {
    out.append('filter{}', JSON.stringify(whereToJson(query.where)));
  } else {
    for (const c of conditions(query.where)) for (const v of c.values) out.append(filterKey(c), v);
  }
  for (const [spec, values] of query.relationFilters) for (const v of values) out.append(`filter{${spec}}`, v);
  for (const term of query.sort) out.append('sort[]', term.raw);
  if (query.search.text !== null) out.append('search', query.search.text);
  for (const f of query.search.fields) out.append('search_fields', f.raw);
  if (query.extent) {
    out.append('extent', query.extent.map((b) => `${b.minx},${b.miny},${b.maxx},${b.maxy}`).join(','));
  }
  return out;
}
