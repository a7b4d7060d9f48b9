/** Reading request bodies: JSON, URL-encoded forms (GeoNode's resource-service actions), or nothing. */
import { apiError } from '../errors/catalogue.js';
import { findForbiddenKey } from '../query/raw-query.js';

export interface ParsedBody {
  present: boolean;
  value: unknown;
}

/** Parse a raw body by its content type. Throws catalogued 4xx errors; never a 5xx. */
export function parseBody(raw: Buffer | undefined, contentType: string | undefined): ParsedBody {
  if (!raw || raw.length === 0) return { present: false, value: undefined };
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const text = raw.toString('utf8');
  let value: unknown;
  if (type === '' || type === 'application/json' || type.endsWith('+json') || type === 'text/plain') {
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw apiError('parseError', `JSON parse error - ${(err as Error).message}`);
    }
  } else if (type === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams(text);
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, v] of form) out[k] = v;
    value = { ...out };
    const bad = [...form.keys()].find((k) => k === '__proto__' || k === 'constructor' || k === 'prototype');
    if (bad) throw apiError('parseError', `The key "${bad}" is not allowed in a request body.`);
  } else if (type === 'multipart/form-data') {
    // multipart uploads (documents, thumbnails) are read by the behaviours that take them
    return { present: true, value: { __multipart: true, contentType, raw } };
  } else {
    throw apiError('unsupportedMediaType', type);
  }
  const forbidden = findForbiddenKey(value);
  if (forbidden) throw apiError('parseError', `The key "${forbidden}" is not allowed in a request body.`);
  return { present: true, value };
}
