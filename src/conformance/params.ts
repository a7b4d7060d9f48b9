/**
 * Path parameters for a live target, without its store: read a list the contract documents, take an id
 * (`samples.ts` says which list and which field). Lists are read once per run and shared by every case.
 */
import type { Operation } from '../contracts/route-table.js';
import type { HttpClient } from './http.js';
import type { ApiName } from './types.js';
import { listItems, listShape, pathParameterNames, queryParameter } from './contract-view.js';
import { LOOKUP_PAGE_SIZE, MISSING_IDS, NOT_IDS, PARAM_SOURCES, type ParamSource } from './samples.js';

export type Resolved = { ok: true; params: Record<string, string> } | { ok: false; reason: string };

export function getPath(value: unknown, path: string): unknown {
  if (path === '' || path === '.') return value;
  let cur: unknown = value;
  for (const seg of path.split('.')) {
    if (cur === null || cur === undefined) return undefined;
    if (Array.isArray(cur)) cur = /^-?\d+$/.test(seg) ? cur.at(Number(seg)) : seg === 'length' ? cur.length : undefined;
    else if (typeof cur === 'object') cur = (cur as Record<string, unknown>)[seg];
    else return undefined;
  }
  return cur;
}

export function expandPath(template: string, params: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? `{${name}}`));
}

export class ParamResolver {
  private lists = new Map<string, Promise<unknown[] | string>>();

  constructor(
    private readonly http: HttpClient,
    private readonly ops: Operation[],
  ) {}

  /** Values for every path parameter of an operation, read from the target. */
  async resolve(op: Operation): Promise<Resolved> {
    const params: Record<string, string> = {};
    for (const name of pathParameterNames(op.path)) {
      const source = PARAM_SOURCES[op.path]?.[name] ?? PARAM_SOURCES['*'][name] ?? this.defaultSource(op, name, params);
      if (typeof source === 'string') return { ok: false, reason: source };
      const value = await this.valueOf(op.api, source, name, params);
      if (typeof value !== 'string') return { ok: false, reason: value.reason };
      params[name] = value;
    }
    return { ok: true, params };
  }

  /** Path parameters that point at nothing (for 404 and 405 probes): the last id gets a missing value. */
  async missing(op: Operation): Promise<Resolved & { replaced?: string }> {
    const names = pathParameterNames(op.path);
    const last = [...names].reverse().find((n) => !NOT_IDS.has(n));
    if (!last) return { ok: false, reason: 'the path has no id parameter' };
    const before = names.slice(0, names.indexOf(last));
    const params: Record<string, string> = {};
    if (before.some((n) => !NOT_IDS.has(n))) {
      const found = await this.resolve(op);
      if (!found.ok) return found;
      Object.assign(params, found.params);
    } else for (const n of before) params[n] = String((PARAM_SOURCES['*'][n] as { value?: string })?.value ?? 'x');
    for (const n of names.slice(names.indexOf(last) + 1))
      params[n] = String((PARAM_SOURCES['*'][n] as { value?: string })?.value ?? 'x');
    params[last] = missingValue(op, last);
    return { ok: true, params, replaced: last };
  }

  private defaultSource(op: Operation, name: string, known: Record<string, string>): ParamSource | string {
    const at = op.path.indexOf(`{${name}}`);
    const template = op.path.slice(0, at);
    const list = this.ops.find((o) => o.method === 'get' && o.api === op.api && o.path === template);
    if (!list)
      return `no list operation at ${template} to read {${name}} from (add a source to src/conformance/samples.ts)`;
    const size = queryParameter(list, 'page_size') ? `?page_size=${LOOKUP_PAGE_SIZE}` : '';
    return { list: expandPath(template, known) + size };
  }

  private async valueOf(
    api: ApiName,
    source: ParamSource,
    name: string,
    known: Record<string, string>,
  ): Promise<string | { reason: string }> {
    if ('value' in source) return source.value;
    const path = expandPath(source.list, known);
    const items = await this.read(api, path, source.headers);
    if (typeof items === 'string') return { reason: items };
    for (const item of items) {
      if (source.where && !String(getPath(item, source.where.field) ?? '').includes(source.where.contains)) continue;
      const value = source.field !== undefined ? getPath(item, source.field) : defaultField(item, name);
      if (value !== undefined && value !== null && value !== '') return String(value);
    }
    return {
      reason: `no record to read {${name}} from: ${path} lists none${source.where ? ` whose ${source.where.field} contains ${source.where.contains}` : ''}`,
    };
  }

  private read(api: ApiName, path: string, headers?: Record<string, string>): Promise<unknown[] | string> {
    const key = `${api} ${path} ${JSON.stringify(headers ?? {})}`;
    let p = this.lists.get(key);
    if (!p) {
      p = this.http.send(api, { method: 'GET', path, headers }).then((x) => {
        if (x.response.status !== 200) return `${path} answered ${x.response.status}`;
        const op = this.ops.find(
          (o) =>
            o.method === 'get' &&
            o.api === api &&
            new RegExp(`^${o.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path.split('?')[0]),
        );
        const shape = op && listShape(op);
        const items = shape ? listItems(shape, x.response.json) : anyArray(x.response.json);
        return items ?? `${path} did not answer a list`;
      });
      this.lists.set(key, p);
    }
    return p;
  }
}

function defaultField(item: unknown, name: string): unknown {
  if (typeof item === 'string' || typeof item === 'number') return item;
  const rec = (item ?? {}) as Record<string, unknown>;
  return rec[name] ?? rec.pk ?? rec.id;
}

function anyArray(body: unknown): unknown[] | undefined {
  if (Array.isArray(body)) return body;
  if (body && typeof body === 'object') for (const v of Object.values(body)) if (Array.isArray(v)) return v;
  return undefined;
}

/** A value of the parameter's kind that names nothing. */
export function missingValue(op: Operation, name: string): string {
  const p = op.parameters.find((x) => x.in === 'path' && x.name === name);
  const schema = (p?.schema ?? {}) as { type?: string; format?: string };
  if (/exec|execution|uuid/.test(name) || schema.format === 'uuid') return MISSING_IDS.uuid;
  if (schema.type === 'integer' || name === 'id' || name.endsWith('_id')) return MISSING_IDS.int;
  return MISSING_IDS.text;
}
