/** Helpers for HTTP tests of the GeoNode query language and bulk behaviours against a running geostub. */
import { expect } from 'vitest';
import { startTestServer, type BASIC, type TestResponse, type TestServer } from './server.js';

export type As = keyof typeof BASIC | null;
export type Item = Record<string, any>;

/** Every item of a GeoNode list (one big page), failing the test on anything but 200. */
export async function listAll(s: TestServer, path: string, as: As = 'admin', key?: string): Promise<Item[]> {
  const sep = path.includes('?') ? '&' : '?';
  const res = await s.request('GET', `${path}${sep}page_size=100000`, { as });
  expect(res.status, `${path}: ${res.text.slice(0, 300)}`).toBe(200);
  const plural = key ?? Object.keys(res.json).find((k) => Array.isArray(res.json[k]))!;
  expect(res.json.total).toBe(res.json[plural].length);
  return res.json[plural];
}

export const pks = (items: Item[]) => items.map((i) => String(i.pk ?? i.id));

/** Run a request that must be refused, and check the store did not change. */
export async function refused(s: TestServer, run: () => Promise<TestResponse>): Promise<TestResponse> {
  const before = s.store.snapshot();
  const res = await run();
  expect(s.store.snapshot(), 'the store changed on a refused request').toBe(before);
  return res;
}

/** A GeoNode error body: status, code, and a message matching `message`. */
export function expectGeonodeError(res: TestResponse, status: number, code: string, message: string | RegExp): void {
  expect(res.status, res.text).toBe(status);
  expect(res.json).toMatchObject({ success: false, code });
  expect(res.json.errors).toHaveLength(1);
  if (typeof message === 'string') expect(res.json.errors[0]).toBe(message);
  else expect(res.json.errors[0]).toMatch(message);
}

/** The filtered result must be exactly the independently computed subset, which must be a proper, non-empty subset. */
export function expectSubset(got: Item[], all: Item[], predicate: (i: Item) => boolean, label: string): void {
  const expected = all.filter(predicate);
  expect(expected.length, `${label}: the fixtures have no match (the test would prove nothing)`).toBeGreaterThan(0);
  expect(expected.length, `${label}: nothing is excluded (the test would prove nothing)`).toBeLessThan(all.length);
  expect(pks(got), label).toEqual(pks(expected));
}

export const q = (params: Record<string, string | string[]>) => {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) out.append(k, x);
  return out.toString();
};

/** Every fixture resource, advertised or not: the list the query tests compare answers with. */
export const ALL_RESOURCES = '/api/v2/resources?advertised=all';

/** A server on the seed fixtures and its 300 resources, read through the API. */
export async function startWithAllResources(): Promise<{ s: TestServer; all: Item[] }> {
  const s = await startTestServer();
  const all = await listAll(s, ALL_RESOURCES);
  expect(all).toHaveLength(300);
  return { s, all };
}
