/**
 * Helpers for the catalogue's HTTP tests: keys, the stored items as the oracle, header parsing, the page-next walk a
 * real client does, and contract validation of any catalogue URL's answer.
 */
import { expect } from 'vitest';
import { loadContracts } from '../../src/contracts/load.js';
import { buildRouteTable, matchRoute, type Route } from '../../src/contracts/route-table.js';
import { ContractValidators, describeErrors } from '../../src/contracts/validators.js';
import type { KoordinatesItem, KoordinatesKey, KoordinatesLicense } from '../../src/apis/koordinates/query/types.js';
import type { TestServer } from './server.js';

export const DATA = '/services/api/v1/data/';
export const LATEST = '/services/api/v1/data/latest/';
/** every read scope */
export const FULL_KEY = 'geostub0koordinates0api0key00001';
/** `layers:read` only */
export const LAYERS_KEY = 'geostub0koordinates0api0key00002';
export const KEYED = { Authorization: `key ${FULL_KEY}` };

/** A key whose only scope is `catalog` (from the fixtures). */
export function koordinatesOnlyKey(s: TestServer): string {
  const k = (s.store.collection('kx_keys').list() as unknown as KoordinatesKey[]).find(
    (x) => x.scopes.length === 1 && x.scopes[0] === 'catalog',
  );
  if (!k) throw new Error('the fixtures have no catalog-only key');
  return k.key;
}

export const stored = (s: TestServer) => s.store.collection('kx_items').list() as unknown as KoordinatesItem[];
export const storedLicense = (s: TestServer, id: number | null) =>
  id == null ? undefined : (s.store.collection('kx_licenses').get(id) as unknown as KoordinatesLicense | undefined);
export const isPublished = (i: KoordinatesItem) => i.versions.some((v) => v.published);

/** Ids of the stored items a view lists for a keyed caller, filtered by `pred`. */
export function oracle(
  s: TestServer,
  pred: (i: KoordinatesItem) => boolean,
  view: 'published' | 'latest' = 'published',
): number[] {
  return stored(s)
    .filter((i) => (view === 'latest' || isPublished(i)) && pred(i))
    .map((i) => i.id)
    .sort((a, b) => a - b);
}

export const sortedIds = (body: { id: number }[]) => body.map((e) => e.id).sort((a, b) => a - b);

export interface Fetched {
  status: number;
  headers: Headers;
  json: any;
  text: string;
}

/** GET an absolute URL (redirects not followed). */
export async function getUrl(url: string, headers: Record<string, string> = {}): Promise<Fetched> {
  const res = await fetch(url, { headers: { Accept: 'application/json', ...headers }, redirect: 'manual' });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

export type Range = { start: number; end: number; total: number };

/** `X-Resource-Range: start-end/total`, as the Python client reads it (`^\d+-\d+/(\d+)$`). */
export function parseRange(header: string | null): Range {
  const m = /^(\d+)-(\d+)\/(\d+)$/.exec(header ?? '');
  if (!m) throw new Error(`X-Resource-Range is not start-end/total: ${header}`);
  return { start: Number(m[1]), end: Number(m[2]), total: Number(m[3]) };
}

/** The `Link` header as rel → URL (RFC 5988), parsed independently of the server's code. */
export function parseLinks(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(/,\s*(?=<)/)) {
    const m = /^<([^>]*)>\s*;\s*rel="([^"]+)"$/.exec(part.trim());
    if (m) out[m[2]] = m[1];
  }
  return out;
}

export interface Walk {
  items: any[];
  total: number;
  pages: { url: string; range: Range; count: number; links: Record<string, string>; paginateBy: number }[];
}

/**
 * What the official client does: request the first URL, then exactly the `page-next` URL of each answer until there
 * is none. Every answer must be a 200 whose X-Resource-Range adds up: contiguous, `end - start` records, one total,
 * the last `end` equal to the total.
 */
export async function walkPages(firstUrl: string, headers: Record<string, string> = {}): Promise<Walk> {
  const walk: Walk = { items: [], total: -1, pages: [] };
  let url: string | undefined = firstUrl;
  while (url) {
    expect(walk.pages.length, 'the walk never ends').toBeLessThan(500);
    const res = await getUrl(url, headers);
    expect(res.status, `${url}: ${res.text.slice(0, 300)}`).toBe(200);
    expect(Array.isArray(res.json), url).toBe(true);
    const range = parseRange(res.headers.get('x-resource-range'));
    const links = parseLinks(res.headers.get('link'));
    const paginateBy = Number(res.headers.get('x-paginate-by'));
    if (walk.total < 0) walk.total = range.total;
    expect(range.total, `${url}: the total changed during the walk`).toBe(walk.total);
    expect(range.start, `${url}: ranges are contiguous`).toBe(walk.items.length);
    expect(res.json.length, `${url}: end - start records`).toBe(range.end - range.start);
    expect(res.json.length, `${url}: at most X-Paginate-By records`).toBeLessThanOrEqual(paginateBy);
    walk.pages.push({ url, range, count: res.json.length, links, paginateBy });
    walk.items.push(...res.json);
    url = links['page-next'];
    if (url) expect(url, 'page-next is absolute').toMatch(/^https?:\/\/[^/]+\/services\/api\/v1\//);
    else expect(range.end, `${res.headers.get('x-resource-range')}: the last page ends at the total`).toBe(range.total);
  }
  return walk;
}

/** Contract validation of whatever a catalogue URL answered, by matching the URL against the contract's routes. */
export class KoordinatesContract {
  private constructor(
    private readonly routes: Route[],
    private readonly validators: ContractValidators,
  ) {}

  static async load(): Promise<KoordinatesContract> {
    const contracts = await loadContracts();
    return new KoordinatesContract(buildRouteTable(contracts), new ContractValidators(contracts));
  }

  /** Problems of `body` against the documented response of GET `url` with `status` ([] when valid). */
  problems(url: string, status: number, body: unknown): string[] {
    const path = new URL(url, 'http://x').pathname;
    const match = matchRoute(this.routes, path);
    if (!match) return [`no contract route for ${path}`];
    const op = match.route.operations.get('get');
    const schema = op && this.validators.responseSchema(op, status);
    if (!op || schema === undefined) return [`${path}: the contract documents no ${status} body`];
    const validate = this.validators.forSchema(op.api, schema);
    return validate(body) ? [] : describeErrors(validate.errors).map((p) => `${path}${p.path}: ${p.message}`);
  }

  /** Problems of `body` against a named component schema of the catalogue contract. */
  schemaProblems(name: string, body: unknown): string[] {
    const validate = this.validators.forSchema('koordinates', { $ref: `#/components/schemas/${name}` });
    return validate(body) ? [] : describeErrors(validate.errors).map((p) => `${name}${p.path}: ${p.message}`);
  }

  /** The operationId that answers GET `url`. */
  operationId(url: string): string | undefined {
    const match = matchRoute(this.routes, new URL(url, 'http://x').pathname);
    return match?.route.operations.get('get')?.operationId;
  }
}
