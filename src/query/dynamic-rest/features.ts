/**
 * dynamic-rest's single-valued request features (viewsets.py): `patch-all`, `sideloading`, `debug`. Each reads the
 * LAST value of its parameter (Django's QueryDict.get).
 */
import { QueryError } from './types.js';
import { isTruthy } from './values.js';

export type PatchAllMode = 'loop' | 'query';

/** The last value of a parameter, as Django's `QueryDict.get` returns it (URLSearchParams.get gives the first). */
export function lastParam(params: URLSearchParams, name: string): string | null {
  const all = params.getAll(name);
  return all.length ? all[all.length - 1]! : null;
}
const last = lastParam;

/**
 * `patch-all`: absent or empty → null (no patch-all); `query` → one UPDATE statement; any other truthy value
 * (`true`, `1`, `yes`, even `maybe`) → the save loop; a falsy value (`0`, `false`) is a ParseError
 * `"false" is not valid for patch-all` (lower-cased, as get_request_patch_all lower-cases before checking).
 */
export function parsePatchAll(params: URLSearchParams): PatchAllMode | null {
  const raw = last(params, 'patch-all');
  if (!raw) return null;
  const value = raw.toLowerCase();
  if (value === 'query') return 'query';
  if (isTruthy(value)) return 'loop';
  throw new QueryError('parse_error', `"${value}" is not valid for patch-all`);
}

/** `sideloading`: null when absent, else dynamic-rest's truthy rule. */
export function parseSideloading(params: URLSearchParams): boolean | null {
  const raw = last(params, 'sideloading');
  return raw === null ? null : isTruthy(raw);
}
