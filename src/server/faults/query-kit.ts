/** What the planted query faults (query.ts) are written with: query rewrites, and a second evaluator for lists. */
import { queryFieldSchema } from '../../contracts/query-schema.js';
import { resolveRef, type JsonObject } from '../../contracts/load.js';
import type { Operation } from '../../contracts/route-table.js';
import { compileWhere, parseDynamicQuery, type FilterCondition, type Where } from '../../query/dynamic-rest/index.js';
import type { Obj, Reply } from '../../core/types.js';
import { withSearch, type RoutedRequest } from '../request.js';
import type { At, Run } from './types.js';

export type { Obj } from '../../core/types.js';
export type Pair = [string, string];
const isGeonodeList = (at: At) =>
  at.method === 'GET' &&
  at.op?.api === 'geonode' &&
  (at.op.behaviour === 'list' || at.op.behaviour === 'resourceSubset');

/** A GeoNode list request's query rewritten pair by pair. */
export function rewrite(req: RoutedRequest, at: At, f: (pairs: Pair[]) => Pair[]): RoutedRequest {
  if (!isGeonodeList(at) || !req.search) return req;
  return withSearch(req, new URLSearchParams(f([...req.query])).toString());
}
export const renameLookup =
  (from: string, to: string) =>
  (pairs: Pair[]): Pair[] =>
    pairs.map(([k, v]) => [
      k.startsWith('filter{') ? k.replace(new RegExp(`\\.${from}\\}$`), to ? `.${to}}` : '}') : k,
      v,
    ]);
export const isFilter = (k: string) => /^filter\{[^}]+\}$/.test(k);

/** The list answered by `evaluate` over the whole unfiltered list (another evaluator than the honest one). */
export async function answerWith(
  req: RoutedRequest,
  at: At,
  run: Run,
  twist: (w: Where) => Where | undefined,
): Promise<Reply | undefined> {
  if (!isGeonodeList(at) || !at.op) return undefined;
  const schema = listFieldSchema(at.op);
  if (!schema) return undefined;
  const parsed = parseDynamicQuery(at.query, schema, { presets: null });
  if (!parsed.ok || !parsed.query.where || parsed.query.filterForm !== 'params') return undefined;
  const twisted = twist(parsed.query.where);
  if (!twisted) return undefined;
  const rest = [...at.query].filter(([k]) => !isFilter(k) && k !== 'page' && k !== 'page_size');
  const whole = await run(withSearch(req, new URLSearchParams([...rest, ['page_size', '20000']]).toString()));
  const body = whole.body as Obj | undefined;
  const listKey = body && Object.keys(body).find((k) => Array.isArray(body[k]));
  if (whole.status !== 200 || !body || !listKey) return undefined;
  const keep = compileWhere(twisted);
  const items = (body[listKey] as Obj[]).filter((i) => keep(i));
  const page = Number(at.query.get('page') ?? '1');
  const size = Number(at.query.get('page_size') ?? '10') || 10;
  const link = (p: number) =>
    `${req.origin}${req.pathname}?${new URLSearchParams([...at.query].filter(([k]) => k !== 'page').concat([['page', String(p)]])).toString()}`;
  return {
    ...whole,
    body: {
      links: { next: page * size < items.length ? link(page + 1) : null, previous: page > 1 ? link(page - 1) : null },
      total: items.length,
      page,
      page_size: size,
      [listKey]: items.slice((page - 1) * size, page * size),
    },
  };
}

/** The field schema of a list operation's items: the array of its 200 envelope. */
function listFieldSchema(op: Operation) {
  const doc = op.contract.doc;
  const ok = resolveRef<JsonObject>(doc, (op.responses['200'] as JsonObject | undefined) ?? {});
  const body = resolveRef<JsonObject>(
    doc,
    (((((ok.content ?? {}) as JsonObject)['application/json'] ?? {}) as JsonObject).schema as JsonObject) ?? {},
  );
  for (const [key, raw] of Object.entries((body.properties ?? {}) as JsonObject)) {
    const ref = ((raw as JsonObject).items as JsonObject | undefined)?.$ref;
    if (typeof ref === 'string') return queryFieldSchema(op.contract, ref.split('/').pop()!, key);
  }
  return undefined;
}

export function conditions(w: Where): FilterCondition[] {
  return w.kind === 'condition' ? [w] : w.nodes.flatMap(conditions);
}
export const mapConditions = (w: Where, f: (c: FilterCondition) => FilterCondition): Where =>
  w.kind === 'condition' ? f(w) : { ...w, nodes: w.nodes.map((n) => mapConditions(n, f)) };

export const isKoordinatesList = (at: At) =>
  at.method === 'GET' && at.op?.api === 'koordinates' && at.op.behaviour === 'catalogList';
export const KOORDINATES_FILTER_NAMES = new Set([
  'kind',
  'public',
  'group',
  'license',
  'license.type',
  'license.jurisdiction',
  'license.version',
  'category',
  'geotag',
  'tag',
  'created_at.before',
  'created_at.after',
  'updated_at.before',
  'updated_at.after',
]);

/** A catalogue list request's query rewritten pair by pair. */
export function rewriteKoordinatesQuery(req: RoutedRequest, at: At, f: (pairs: Pair[]) => Pair[]): RoutedRequest {
  if (!isKoordinatesList(at) || !req.search) return req;
  return withSearch(req, new URLSearchParams(f([...req.query])).toString());
}
