/**
 * The query-depth oracle and the small helpers its case generators share: geostub's dynamic-rest evaluator over
 * the items a list answered, and its twisted twins (what a wrong server would answer), used to choose values that
 * tell a right answer from a wrong one.
 */
import {
  parseDynamicQuery,
  runDynamicQuery,
  type DynamicQuery,
  type FieldSchema,
  type FieldSpec,
  type Where,
} from '../query/dynamic-rest/index.js';
import type { Obj } from '../core/types.js';

export type { Obj };

export const QUERY_DEPTHS = ['quick', 'normal', 'full'] as const;
export type QueryDepth = (typeof QUERY_DEPTHS)[number];
/** the kinds a GeoNode depth case counts its query cases under (the catalogue's count under `catalogue`) */
export const FIELD_KINDS = [
  'string',
  'integer',
  'datetime',
  'boolean',
  'to-one',
  'to-many',
  'combination',
  'search',
  'sort',
] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

export interface QueryCase {
  /** what a report names: the query string as sent, decoded */
  name: string;
  kind: FieldKind;
  /** the lookup (`eq`, `icontains`, …) or the combination (`and`, `not`, `same-row`, `json`, `sort-2`, …) */
  lookup: string;
  params: [string, string][];
}

export const at = (o: unknown, path: string[]): unknown[] => {
  let cur: unknown[] = [o];
  for (const k of path) {
    cur = cur
      .flatMap((v) => (Array.isArray(v) ? v : [v]))
      .map((v) => (v && typeof v === 'object' ? (v as Obj)[k] : undefined));
  }
  return cur.flatMap((v) => (Array.isArray(v) ? v : [v]));
};

export interface FieldRef {
  path: string[];
  kind: FieldKind;
  spec: FieldSpec;
  ref?: boolean;
}
export function mapWhere(w: Where, f: (c: Extract<Where, { kind: 'condition' }>) => Where): Where {
  return w.kind === 'condition' ? f(w) : { ...w, nodes: w.nodes.map((n) => mapWhere(n, f)) };
}

export class QueryOracle {
  constructor(
    readonly schema: FieldSchema,
    readonly items: Obj[],
    readonly compareStrings?: (a: string, b: string) => number,
  ) {}

  parse(params: [string, string][]): DynamicQuery | undefined {
    const parsed = parseDynamicQuery(new URLSearchParams(params), this.schema, { presets: null });
    return parsed.ok ? parsed.query : undefined;
  }

  /** The items the query selects (in the oracle's order), or undefined when the query is refused. */
  run(params: [string, string][], twist?: (q: DynamicQuery) => DynamicQuery): Obj[] | undefined {
    const q = this.parse(params);
    if (!q) return undefined;
    try {
      return runDynamicQuery(
        this.items,
        twist ? twist(q) : q,
        this.compareStrings ? { compareStrings: this.compareStrings } : {},
      );
    } catch {
      return undefined;
    }
  }

  count(params: [string, string][]): number | undefined {
    return this.run(params)?.length;
  }

  /** Some items match and some do not. */
  separates(params: [string, string][]): boolean {
    const n = this.count(params);
    return n !== undefined && n > 0 && n < this.items.length;
  }
}

export const swapCase = (s: string) =>
  [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
export const key = (path: string[], op?: string, neg = false) =>
  `filter{${neg ? '-' : ''}${path.join('.')}${op ? `.${op}` : ''}}`;
export const clean = (v: unknown): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= 80 && !/[\n\r,]/.test(v);

/** Distinct values of a path, most common first (ties: first seen). */
export function valuesOf(items: Obj[], path: string[]): unknown[] {
  const counts = new Map<string, { v: unknown; n: number }>();
  for (const i of items)
    for (const v of new Set(at(i, path).map((x) => JSON.stringify(x ?? null)))) {
      const e = counts.get(v);
      if (e) e.n++;
      else counts.set(v, { v: JSON.parse(v) as unknown, n: 1 });
    }
  return [...counts.values()]
    .sort((a, b) => b.n - a.n)
    .map((e) => e.v)
    .filter((v) => v !== null && v !== undefined);
}

/** Case generation for one list. */
export type Add = (kind: FieldKind, lookup: string, params: [string, string][], mustSeparate?: boolean) => boolean;

/** Fragments of the values: words of 3+ letters, in the case they have and swapped. */
export function fragments(values: string[]): string[] {
  const words = new Set<string>();
  for (const v of values.slice(0, 60)) for (const w of v.match(/[\p{L}]{3,}/gu) ?? []) words.add(w);
  return [...words].slice(0, 40);
}

/** The query with every to-many condition on its own related row (what a server that joins per condition answers). */
export function splitRows(q: DynamicQuery): DynamicQuery {
  return { ...q, where: q.where && mapWhere(q.where, (c) => ({ ...c, manyAt: -1 })) };
}
