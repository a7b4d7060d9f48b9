/**
 * Loading the contracts. `loadContract` parses a YAML/JSON OpenAPI document (refs kept: validators resolve them
 * against the registered components, which keeps start-up fast); `lintContract` runs swagger-parser's full
 * validation for `geostub lint`.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';

import { DEFAULT_GEONODE_RELEASE, forRelease, type GeonodeRelease } from './release.js';
import type { Contract, Json, JsonObject } from './types.js';

export type { Contract, Json, JsonObject } from './types.js';

const here = dirname(fileURLToPath(import.meta.url));
/** the package root (works from src/ under vitest and from dist/src/ after the build) */
export const PACKAGE_ROOT =
  [resolve(here, '..', '..'), resolve(here, '..', '..', '..')].find((p) =>
    existsSync(join(p, 'contracts', 'geonode-v2.yaml')),
  ) ?? resolve(here, '..', '..');

export const CONTRACT_FILES = {
  geonode: 'contracts/geonode-v2.yaml',
  koordinates: 'contracts/koordinates-catalog.yaml',
} as const;

export function contractPath(api: keyof typeof CONTRACT_FILES, root = PACKAGE_ROOT): string {
  return join(root, CONTRACT_FILES[api]);
}

/**
 * Parsing 7,000 lines of YAML costs ~300 ms; `npm run build` writes a JSON copy of each contract beside the
 * compiled code (`dist/contracts/<name>.json`, keyed by the YAML's hash). A stale or missing copy is ignored.
 */
export function contractCacheFile(file: string): string {
  return join(PACKAGE_ROOT, 'dist', 'contracts', basename(file).replace(/\.ya?ml$/, '.json'));
}

export function contractHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function parseContractText(file: string, text: string): Promise<JsonObject> {
  const hash = contractHash(text);
  try {
    const cached = JSON.parse(await readFile(contractCacheFile(file), 'utf8')) as { hash: string; doc: JsonObject };
    if (cached.hash === hash) return cached.doc;
  } catch {
    /* no cache: parse the YAML */
  }
  const { parse } = await import('yaml');
  return parse(text, { merge: true, maxAliasCount: -1 }) as JsonObject;
}

export async function loadContract(file: string): Promise<Contract> {
  const text = await readFile(file, 'utf8');
  const doc = await parseContractText(file, text);
  const api = doc['x-geostub-api'];
  if (api !== 'geonode' && api !== 'koordinates') {
    throw new Error(`${file}: the root must say x-geostub-api: geonode | koordinates`);
  }
  return { api, file, text, doc };
}

/** Both contracts, GeoNode's cut for one release (`--geonode 4|5`, default 4: the seed's API). */
export async function loadContracts(
  root = PACKAGE_ROOT,
  release: GeonodeRelease = DEFAULT_GEONODE_RELEASE,
): Promise<Contract[]> {
  const all = await Promise.all(
    (Object.keys(CONTRACT_FILES) as (keyof typeof CONTRACT_FILES)[]).map((k) => loadContract(contractPath(k, root))),
  );
  return all.map((c) => forRelease(c, release));
}

/** Resolve a local `$ref` ("#/components/...") inside a document. */
export function resolveRef<T = Json>(doc: JsonObject, node: Json | undefined): T {
  let cur: Json | undefined = node;
  let guard = 0;
  while (cur && typeof cur === 'object' && !Array.isArray(cur) && typeof cur.$ref === 'string' && guard++ < 20) {
    const ref: string = cur.$ref;
    if (!ref.startsWith('#/')) throw new Error(`only local refs are supported: ${ref}`);
    cur = ref
      .slice(2)
      .split('/')
      .reduce<Json | undefined>(
        (acc, seg) =>
          acc && typeof acc === 'object' && !Array.isArray(acc)
            ? acc[seg.replace(/~1/g, '/').replace(/~0/g, '~')]
            : undefined,
        doc,
      );
    if (cur === undefined) throw new Error(`unresolved $ref ${ref}`);
  }
  return cur as T;
}

/**
 * Resolve a schema node as geostub reads it: `$ref`s are followed, and a one-element `allOf` wrapper — the OpenAPI
 * 3.0 way to put `readOnly`, `description` or an `x-geostub-*` extension beside a `$ref`, whose siblings 3.0 ignores —
 * reads as the schema it wraps (the wrapper's own keywords are read from the property node itself).
 */
export function resolveSchema<T = JsonObject>(doc: JsonObject, node: Json | undefined): T {
  let cur = resolveRef<Json>(doc, node);
  let guard = 0;
  while (isAllOfWrapper(cur) && guard++ < 20) cur = resolveRef<Json>(doc, cur.allOf[0]);
  return cur as T;
}

/** `{allOf: [X], …annotations}`: one subschema and no keyword of its own that would change the shape. */
function isAllOfWrapper(node: Json | undefined): node is JsonObject & { allOf: [Json] } {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return false;
  if (!Array.isArray(node.allOf) || node.allOf.length !== 1) return false;
  return !(
    'type' in node ||
    'properties' in node ||
    'items' in node ||
    'additionalProperties' in node ||
    'oneOf' in node ||
    'anyOf' in node ||
    'enum' in node
  );
}
