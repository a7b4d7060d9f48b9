/**
 * Query-behaviour checks over the items a live server returned: every item satisfies the filter that was asked
 * for, sorts are really sorted, `include[]`/`exclude[]`/`api_preset` select the documented fields. The filter and
 * sort semantics are the mock's own pure modules (`src/query/dynamic-rest`), evaluated on the returned items.
 */
import {
  applySort,
  codeUnitCompareStrings,
  compileQueryPredicate,
  isFieldSelected,
  localeCompareStrings,
  type DynamicQuery,
  type FieldSchema,
  type RequestFields,
  type SortTerm,
} from '../../query/dynamic-rest/index.js';
import type { Problem } from '../types.js';
import { show } from '../recorder.js';
import { identity } from './paging.js';

/** `filter_honoured`: each returned item satisfies the query's filter{}, search and extent. */
export function filterProblems(items: unknown[], query: DynamicQuery, asked: string, where: string): Problem[] {
  const keep = compileQueryPredicate(query);
  const wrong = items.filter((i) => !keep(i as object));
  if (!wrong.length) return [];
  return [
    {
      expected: `every item satisfies ${asked}`,
      actual: `${wrong.length} of ${items.length} do not, e.g. ${show(wrong[0], 240)}`,
      contractPath: where,
    },
  ];
}

/** `filter_honoured` for a plain field filter: each item's value at `path` is one of `values`. */
export function fieldFilterProblems(
  items: unknown[],
  path: string,
  values: unknown[],
  asked: string,
  where: string,
): Problem[] {
  const at = (i: unknown) =>
    path
      .split('.')
      .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), i);
  const wrong = items.filter((i) => !values.some((v) => String(v) === String(at(i))));
  if (!wrong.length) return [];
  return [
    {
      expected: `every item has ${path} in [${values.join(', ')}] (${asked})`,
      actual: `${wrong.length} of ${items.length} do not, e.g. ${identity(wrong[0])} has ${path} = ${show(at(wrong[0]))}`,
      contractPath: where,
    },
  ];
}

/** Whether `items` is in the order `terms` ask for (ties in any order), under C or linguistic string collation. */
export function isSorted(items: unknown[], terms: SortTerm[]): boolean {
  return [codeUnitCompareStrings, localeCompareStrings].some((compareStrings) =>
    items.every(
      (a, i) =>
        i === 0 || applySort([items[i - 1] as object, a as object], terms, { compareStrings })[0] === items[i - 1],
    ),
  );
}

/** `sort_honoured`: the items are in the order `sort[]` asked for. */
export function sortProblems(items: unknown[], terms: SortTerm[], asked: string, where: string): Problem[] {
  if (isSorted(items, terms)) return [];
  const field = terms[0].path.join('.');
  const values = items.slice(0, 8).map((i) =>
    show(
      terms[0].path.reduce<unknown>(
        (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
        i,
      ),
      40,
    ),
  );
  return [
    {
      expected: `items ordered by ${asked}`,
      actual: `${field}: ${values.join(', ')}${items.length > 8 ? ', …' : ''}`,
      contractPath: where,
    },
  ];
}

/** `sort_honoured` for a key function: `keys` non-decreasing (`desc`: non-increasing). */
export function keyOrderProblems(keys: string[], desc: boolean, asked: string, where: string): Problem[] {
  const ok = (cmp: (a: string, b: string) => number) =>
    keys.every((k, i) => i === 0 || (desc ? cmp(keys[i - 1], k) >= 0 : cmp(keys[i - 1], k) <= 0));
  if (ok((a, b) => (a < b ? -1 : a > b ? 1 : 0)) || ok(localeCompareStrings)) return [];
  return [
    {
      expected: `items ordered by ${asked}`,
      actual: keys
        .slice(0, 8)
        .map((k) => show(k, 40))
        .join(', '),
      contractPath: where,
    },
  ];
}

/**
 * `include_exclude` / `api_preset`: no item carries a field the request did not select, and every field the
 * request named explicitly is there.
 */
export function projectionProblems(
  items: unknown[],
  tree: RequestFields | null,
  schema: FieldSchema,
  explicit: string[],
  asked: string,
  where: string,
): Problem[] {
  const out: Problem[] = [];
  for (const item of items) {
    if (!item || typeof item !== 'object') continue;
    const keys = Object.keys(item);
    const extra = keys.filter((k) => schema.fields[k] && !isFieldSelected(k, tree, schema));
    const missing = explicit.filter((f) => schema.fields[f] && !keys.includes(f));
    if (extra.length)
      out.push({
        expected: `only the fields ${asked} selects`,
        actual: `${identity(item)} also has ${extra.join(', ')}`,
        contractPath: where,
      });
    if (missing.length)
      out.push({
        expected: `the fields ${asked} names`,
        actual: `${identity(item)} lacks ${missing.join(', ')}`,
        contractPath: where,
      });
    if (out.length) break;
  }
  return out;
}
