/**
 * Reading request bodies: JSON, URL-encoded forms, multipart (handed over raw), or nothing. An operation marked
 * `x-geostub-body: form-or-json` in its contract (GeoNode's resource-service actions, which parse the raw body as a
 * form whatever the Content-Type) takes a JSON object or a form under any content type.
 */
import { apiError } from '../core/errors.js';
import { matchRoute, type Method, type Route } from '../contracts/route-table.js';
import { findForbiddenKey } from '../query/raw-query.js';

export interface ParsedBody {
  present: boolean;
  value: unknown;
}

export type BodyMode = 'form-or-json';

function parseForm(text: string): Record<string, unknown> {
  const form = new URLSearchParams(text);
  const out: Record<string, unknown> = Object.create(null);
  for (const [k, v] of form) out[k] = v;
  const bad = [...form.keys()].find((k) => k === '__proto__' || k === 'constructor' || k === 'prototype');
  if (bad) throw apiError('parseError', `The key "${bad}" is not allowed in a request body.`);
  return { ...out };
}

/** A JSON object or array when the text is one, else the text read as a URL-encoded form. */
function parseFormOrJson(text: string): unknown {
  const t = text.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(t) as unknown;
    } catch {
      // not JSON after all: a form, as GeoNode reads it
    }
  }
  return parseForm(text);
}

/** Parse a raw body by its content type (or by the operation's body mode). Throws catalogued 4xx errors; never a 5xx. */
export function parseBody(raw: Buffer | undefined, contentType: string | undefined, mode?: BodyMode): ParsedBody {
  if (!raw || raw.length === 0) return { present: false, value: undefined };
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const text = raw.toString('utf8');
  let value: unknown;
  if (type === 'multipart/form-data') {
    // multipart uploads (documents, thumbnails) are read by the behaviours that take them
    return { present: true, value: { __multipart: true, contentType, raw } };
  } else if (mode === 'form-or-json') {
    value = parseFormOrJson(text);
  } else if (type === '' || type === 'application/json' || type.endsWith('+json') || type === 'text/plain') {
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw apiError('parseError', `JSON parse error - ${(err as Error).message}`);
    }
  } else if (type === 'application/x-www-form-urlencoded') {
    value = parseForm(text);
  } else {
    throw apiError('unsupportedMediaType', type);
  }
  const forbidden = findForbiddenKey(value);
  if (forbidden) throw apiError('parseError', `The key "${forbidden}" is not allowed in a request body.`);
  return { present: true, value };
}

const marked = new WeakMap<Route[], Route[]>();

/** The `x-geostub-body` mode of the operation a request goes to; looked up only for requests that carry a body. */
export function bodyModeFor(routes: Route[], method: string, url: string): BodyMode | undefined {
  let lenient = marked.get(routes);
  if (!lenient) {
    lenient = routes.filter((r) => [...r.operations.values()].some((op) => op.ext.body !== undefined));
    marked.set(routes, lenient);
  }
  if (lenient.length === 0) return undefined;
  const q = url.indexOf('?');
  const pathname = q >= 0 ? url.slice(0, q) : url;
  const bare = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  if (!lenient.some((r) => r.regex.test(bare))) return undefined;
  const op = matchRoute(routes, pathname)?.route.operations.get(method.toLowerCase() as Method);
  return op?.ext.body === 'form-or-json' ? 'form-or-json' : undefined;
}
