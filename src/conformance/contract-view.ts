/**
 * What the runner reads out of a contract operation: documented statuses, media types, headers and schemas, the
 * shape of a list, whether the operation needs credentials, and JSON pointers to quote in failures.
 */
import { resolveRef, type Json, type JsonObject } from '../contracts/load.js';
import type { Operation } from '../contracts/route-table.js';

const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** JSON pointer to a part of an operation: `pointer(op, 'responses', '200')`. */
export function pointer(op: Operation, ...segments: string[]): string {
  return ['#', 'paths', esc(op.path), op.method, ...segments.map(esc)].join('/');
}

export interface DocumentedResponse {
  /** the responses key that matched: '404', '4XX' or 'default' */
  key: string;
  node: JsonObject;
}

export function documentedResponse(op: Operation, status: number): DocumentedResponse | undefined {
  const r = op.responses;
  const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => r[k] !== undefined);
  return key ? { key, node: resolveRef<JsonObject>(op.contract.doc, r[key]) } : undefined;
}

/** The keys of the operation's `responses` as written: status codes, ranges such as `4XX`, and `default`. */
export function documentedResponseKeys(op: Operation): string[] {
  return Object.keys(op.responses);
}

/** The documented success status (the lowest 2xx), 200 when the contract lists none. */
export function successStatus(op: Operation): number {
  const codes = documentedResponseKeys(op)
    .filter((c) => /^2\d\d$/.test(c))
    .map(Number)
    .sort((a, b) => a - b);
  return codes[0] ?? 200;
}

export function mediaTypes(resp: DocumentedResponse): string[] {
  return Object.keys((resp.node.content ?? {}) as JsonObject);
}

export function isJsonMedia(type: string): boolean {
  return type === 'application/json' || /\+json$/.test(type);
}

/** The schema of a documented response for a media type (falls back to the first JSON one). */
export function responseSchema(resp: DocumentedResponse, mediaType: string): Json | undefined {
  const content = (resp.node.content ?? {}) as JsonObject;
  const media = (content[mediaType] ?? content['application/json'] ?? Object.values(content)[0]) as
    JsonObject | undefined;
  return media?.schema;
}

export interface DocumentedHeader {
  name: string;
  required: boolean;
  schema?: Json;
}

export function documentedHeaders(op: Operation, resp: DocumentedResponse): DocumentedHeader[] {
  const headers = (resp.node.headers ?? {}) as JsonObject;
  return Object.entries(headers).map(([name, raw]) => {
    const h = resolveRef<JsonObject>(op.contract.doc, raw);
    return { name, required: h.required === true, schema: h.schema };
  });
}

/** True when every security requirement of the operation names a scheme (none is the empty `{}`). */
export function requiresAuth(op: Operation): boolean {
  const security = (op.node.security ?? op.contract.doc.security) as Json[] | undefined;
  if (!Array.isArray(security) || security.length === 0) return false;
  return !security.some((s) => s && typeof s === 'object' && !Array.isArray(s) && Object.keys(s).length === 0);
}

export function queryParameter(op: Operation, name: string): JsonObject | undefined {
  return op.parameters.find((p) => p.in === 'query' && p.name === name);
}

export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
}

export type ListShape = { kind: 'envelope'; key: string; itemSchema?: string } | { kind: 'array'; itemSchema?: string };

const refName = (node: Json | undefined): string | undefined => {
  const ref = node && typeof node === 'object' && !Array.isArray(node) ? node.$ref : undefined;
  return typeof ref === 'string' ? ref.split('/').pop() : undefined;
};

/**
 * The shape of a list answer: a page envelope `{links, total, page, page_size, <key>: [...]}` or a bare array,
 * with the component schema of its items. Undefined when the success answer is not a list.
 */
export function listShape(op: Operation): ListShape | undefined {
  const resp = documentedResponse(op, successStatus(op));
  if (!resp) return undefined;
  const raw = responseSchema(resp, 'application/json');
  if (raw === undefined) return undefined;
  const schema = resolveRef<JsonObject>(op.contract.doc, raw);
  if (schema.type === 'array') return { kind: 'array', itemSchema: refName(schema.items) };
  const props = (schema.properties ?? {}) as JsonObject;
  if (!props.links || !props.total || !props.page || !props.page_size) return undefined;
  for (const [key, p] of Object.entries(props)) {
    const prop = resolveRef<JsonObject>(op.contract.doc, p);
    if (prop.type === 'array') return { kind: 'envelope', key, itemSchema: refName(prop.items) };
  }
  return undefined;
}

/** The items of a list answer, or undefined when the body does not have the shape. */
export function listItems(shape: ListShape, body: unknown): unknown[] | undefined {
  if (shape.kind === 'array') return Array.isArray(body) ? body : undefined;
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[shape.key] : undefined;
  return Array.isArray(v) ? v : undefined;
}

/** The component schema of an object. */
export function componentSchema(op: Operation, name: string): JsonObject | undefined {
  const schemas = ((op.contract.doc.components as JsonObject | undefined)?.schemas ?? {}) as JsonObject;
  return schemas[name] ? resolveRef<JsonObject>(op.contract.doc, schemas[name]) : undefined;
}
