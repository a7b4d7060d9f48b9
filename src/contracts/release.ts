/**
 * Release profiles: one contract describes every release of an API, and `forRelease` cuts out what one release
 * serves (`geostub serve --geonode 4|5`). Three marks in the contract say what differs:
 *
 * - `x-geostub-releases: [5]` on a path item, an operation or a schema property: it exists only in those releases;
 * - `x-geostub-release-5: {key: value, …}` on any node: that release's values of those keys of the node
 *   (`{x-geostub-auth-first: basic}` at the root, `{version: 5.0.2}` in `info`); other releases ignore it;
 * - when a release makes Basic the first authentication class of a path that had Session first, every operation
 *   of the path that documents 403 also documents 401 (DRF answers an anonymous caller 401 + `WWW-Authenticate`
 *   when the first authentication class sends a challenge).
 *
 * The result is an ordinary contract: routes, validators, rendering and the docs pages read it as they read any.
 */
import { stringify } from 'yaml';
import type { Contract, Json, JsonObject } from './types.js';

export const GEONODE_RELEASES = [4, 5] as const;
export type GeonodeRelease = (typeof GEONODE_RELEASES)[number];
export const DEFAULT_GEONODE_RELEASE: GeonodeRelease = 4;

export function isGeonodeRelease(v: unknown): v is GeonodeRelease {
  return (GEONODE_RELEASES as readonly unknown[]).includes(v);
}

const isObject = (v: Json | undefined): v is JsonObject => !!v && typeof v === 'object' && !Array.isArray(v);
const OVERRIDES = /^x-geostub-release-(\d+)$/;

/** Whether a node marked `x-geostub-releases` exists in a release (unmarked nodes exist in every release). */
function existsIn(node: Json | undefined, release: number): boolean {
  if (!isObject(node)) return true;
  const marks = node['x-geostub-releases'];
  return !Array.isArray(marks) || marks.includes(release);
}

/** A deep copy of a node for one release: suffixed keys resolved, marked children of other releases dropped. */
function cut(node: Json, release: number): Json {
  if (Array.isArray(node)) return node.filter((n) => existsIn(n, release)).map((n) => cut(n, release));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (OVERRIDES.test(key) || key === 'x-geostub-releases') continue;
    if (!existsIn(value, release)) continue;
    out[key] = cut(value, release);
  }
  const overrides = node[`x-geostub-release-${release}`];
  if (isObject(overrides)) for (const [key, value] of Object.entries(overrides)) out[key] = cut(value, release);
  // a property that does not exist in this release is not required either
  if (Array.isArray(out.required) && isObject(out.properties)) {
    const props = out.properties;
    const required = node.required as Json[];
    out.required = required.filter(
      (r) => typeof r !== 'string' || r in props || !isObject(node.properties) || !(r in node.properties),
    );
  }
  return out;
}

const OPERATION_KEYS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** Paths whose first authentication class the release turned from Session into Basic document 401 beside 403. */
function documentChallenges(before: JsonObject, after: JsonObject): void {
  const rootBefore = before['x-geostub-auth-first'] === 'basic' ? 'basic' : 'session';
  const rootAfter = after['x-geostub-auth-first'] === 'basic' ? 'basic' : 'session';
  const paths = isObject(after.paths) ? after.paths : {};
  const oldPaths = isObject(before.paths) ? before.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    const old = oldPaths[path];
    const was =
      isObject(old) && typeof old['x-geostub-auth-first'] === 'string' ? old['x-geostub-auth-first'] : rootBefore;
    const now = typeof item['x-geostub-auth-first'] === 'string' ? item['x-geostub-auth-first'] : rootAfter;
    if (was === now || now !== 'basic') continue;
    for (const method of OPERATION_KEYS) {
      const op = item[method];
      if (!isObject(op) || !isObject(op.responses)) continue;
      const responses = op.responses;
      if ('403' in responses && !('401' in responses))
        responses['401'] = { $ref: '#/components/responses/Unauthorized' };
    }
  }
}

/** The contract as one GeoNode release serves it. A contract without release marks is returned as it is. */
export function forRelease(contract: Contract, release: GeonodeRelease): Contract {
  if (contract.api !== 'geonode') return contract;
  const doc = cut(contract.doc, release) as JsonObject;
  documentChallenges(contract.doc, doc);
  let text: string | undefined;
  const out: Contract = { api: contract.api, file: contract.file, doc, release, text: '' };
  // the YAML served at /api/v2/schema/ is written only when somebody asks for it
  Object.defineProperty(out, 'text', { enumerable: true, get: () => (text ??= stringify(doc, { lineWidth: 0 })) });
  return out;
}
