/**
 * A documented response as an answer: the contract's own example when it has one, else a body made from the
 * response schema (its examples, defaults and first enum values; otherwise a plain value of each type). Used by
 * `Prefer: status=N`, which answers any status an operation documents, as Prism's `Prefer: code=` does.
 */
import { resolveRef, type Json, type JsonObject } from './load.js';

export interface DocumentedAnswer {
  status: number;
  body: unknown;
  contentType?: string;
  headers: Record<string, string>;
}

const isObj = (v: unknown): v is JsonObject => !!v && typeof v === 'object' && !Array.isArray(v);

/** The statuses an operation's `responses` document, as numbers (`default` and ranges such as `4XX` left out). */
export function documentedStatuses(responses: JsonObject): number[] {
  return Object.keys(responses)
    .filter((k) => /^\d{3}$/.test(k))
    .map(Number)
    .sort((a, b) => a - b);
}

/** The answer the contract documents for `status`, or undefined when the operation does not document it. */
export function documentedAnswer(doc: JsonObject, responses: JsonObject, status: number): DocumentedAnswer | undefined {
  const node = responses[String(status)];
  if (node === undefined) return undefined;
  const response = resolveRef<JsonObject>(doc, node);
  const headers: Record<string, string> = {};
  for (const [name, h] of Object.entries(isObj(response.headers) ? response.headers : {})) {
    const header = resolveRef<JsonObject>(doc, h);
    const value = header.example ?? (isObj(header.schema) ? exampleOf(doc, header.schema, 0, new Set()) : undefined);
    if (value !== undefined && value !== null && typeof value !== 'object') headers[name] = String(value);
  }
  const content = isObj(response.content) ? response.content : undefined;
  if (!content || !Object.keys(content).length) return { status, body: undefined, headers };
  const type = 'application/json' in content ? 'application/json' : Object.keys(content)[0];
  const media = resolveRef<JsonObject>(doc, content[type]);
  let body: unknown;
  if (media.example !== undefined) body = media.example;
  else if (isObj(media.examples) && Object.keys(media.examples).length)
    body = resolveRef<JsonObject>(doc, Object.values(media.examples)[0]).value;
  else body = isObj(media.schema) ? exampleOf(doc, media.schema, 0, new Set()) : undefined;
  return { status, body, contentType: type === 'application/json' ? undefined : type, headers };
}

const FORMATS: Record<string, string> = {
  'date-time': '2024-01-01T00:00:00Z',
  date: '2024-01-01',
  uri: 'https://example.org/',
  url: 'https://example.org/',
  email: 'user@example.org',
  uuid: '00000000-0000-4000-8000-000000000000',
};

/** A value that satisfies `schema` (as far as a plain value can): examples first, then the type's simplest value. */
export function exampleOf(doc: JsonObject, schemaNode: Json, depth: number, seen: Set<string>): unknown {
  if (!isObj(schemaNode)) return null;
  const ref = typeof schemaNode.$ref === 'string' ? schemaNode.$ref : undefined;
  if (ref && (seen.has(ref) || depth > 8)) return schemaNode.nullable ? null : {};
  const schema = resolveRef<JsonObject>(doc, schemaNode);
  const inner = ref ? new Set([...seen, ref]) : seen;
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  if (Array.isArray(schema.allOf)) {
    const parts = schema.allOf.map((s) => exampleOf(doc, s, depth + 1, inner));
    return parts.every(isObj) ? Object.assign({}, ...parts) : parts[0];
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options) && options.length) return exampleOf(doc, options[0], depth + 1, inner);
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return (typeof schema.format === 'string' && FORMATS[schema.format]) || 'string';
    case 'integer':
      return typeof schema.minimum === 'number' ? Math.ceil(schema.minimum) : 1;
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 0;
    case 'boolean':
      return false;
    case 'array':
      return depth > 6 ? [] : [exampleOf(doc, schema.items ?? {}, depth + 1, inner)];
    default: {
      const out: Record<string, unknown> = {};
      for (const [name, prop] of Object.entries(isObj(schema.properties) ? schema.properties : {}))
        out[name] = exampleOf(doc, prop, depth + 1, inner);
      // a map that must hold an entry (field-keyed errors: {"<field>": ["…"]})
      if (
        !Object.keys(out).length &&
        typeof schema.minProperties === 'number' &&
        schema.minProperties > 0 &&
        isObj(schema.additionalProperties)
      ) {
        out.field = exampleOf(doc, schema.additionalProperties, depth + 1, inner);
      }
      if (
        !Object.keys(out).length &&
        !isObj(schema.properties) &&
        type !== 'object' &&
        !isObj(schema.additionalProperties)
      )
        return null;
      return out;
    }
  }
}
