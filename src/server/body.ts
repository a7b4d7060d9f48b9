/**
 * Reading request bodies: JSON, URL-encoded forms, multipart (handed over raw), or nothing. An operation marked
 * `x-geostub-body: form-or-json` in its contract (GeoNode's resource-service actions, which parse the raw body as a
 * form whatever the Content-Type) takes a JSON object or a form under any content type.
 */
import { apiError } from '../core/errors.js';
import { findForbiddenKey } from '../query/raw-query.js';
import type { ParsedBody, RoutedRequest } from './request.js';

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

/** Stage 2: the routed request's raw body, read by its content type or by its operation's body mode. */
export function readBody(raw: Buffer | undefined, req: RoutedRequest): ParsedBody {
  if (!raw || raw.length === 0) return req.body;
  // a HEAD request has no operation of its own for a body mode (the mode is its method's, as sent)
  const mode = req.method !== 'HEAD' && req.op?.ext.body === 'form-or-json' ? 'form-or-json' : undefined;
  return parseBody(raw, req.headers['content-type'], mode);
}
