/**
 * Raw query strings. GeoNode's query language lives in the keys (`include[]`, `filter{owner.username}`), so keys
 * are kept exactly as sent: `include[]` is not `include`. Values keep their order; repeated keys keep every value.
 */

/** Parse the query part of a URL (without `?`) into URLSearchParams, keeping raw keys. */
export function parseRawQuery(search: string): URLSearchParams {
  return new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
}

/** All values of a key, also accepting the axios form `key[]` for keys that are not already bracketed. */
export function values(params: URLSearchParams, key: string): string[] {
  return params.getAll(key);
}

/** Python's `quote_plus`: everything but `A-Za-z0-9_.-~` is percent-encoded, spaces become `+`. */
export function quotePlus(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/**
 * Django REST framework's `replace_query_param` / `remove_query_param`: set (or drop) one key, then re-encode every
 * parameter sorted by key, values of one key in their original order.
 */
export function drfQueryString(params: URLSearchParams, key: string, value: string | undefined): string {
  const byKey = new Map<string, string[]>();
  for (const [k, v] of params) {
    if (k === key) continue;
    const list = byKey.get(k);
    if (list) list.push(v);
    else byKey.set(k, [v]);
  }
  if (value !== undefined) byKey.set(key, [value]);
  const keys = [...byKey.keys()].sort();
  const parts: string[] = [];
  for (const k of keys) for (const v of byKey.get(k)!) parts.push(`${quotePlus(k)}=${quotePlus(v)}`);
  return parts.join('&');
}

/** Keys that would let a request reach into Object.prototype. */
export const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The first forbidden key found anywhere in a parsed JSON value, or undefined. */
export function findForbiddenKey(value: unknown, depth = 0): string | undefined {
  if (depth > 64 || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (const v of value) {
      const hit = findForbiddenKey(v, depth + 1);
      if (hit) return hit;
    }
    return undefined;
  }
  for (const k of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(k)) return k;
    const hit = findForbiddenKey((value as Record<string, unknown>)[k], depth + 1);
    if (hit) return hit;
  }
  return undefined;
}
