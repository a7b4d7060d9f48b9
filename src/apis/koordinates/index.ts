/**
 * The Koordinates catalogue binding: `/data/` and `/data/latest/` with their filters, sorts and headers, and the
 * detail objects the items' `url` fields point at (contracts/koordinates-catalog.yaml). Query logic lives in `query/`
 * (pure).
 */
import { apiError } from '../../core/errors.js';
import { json, type Behaviour, type BehaviourRequest, type Env } from '../../core/types.js';
import type { CollectionSpec, StoredRecord } from '../../store/index.js';
import type { ApiBinding } from '../../core/binding.js';
import { sameSecret } from '../../core/secret.js';
import {
  applyKoordinatesQuery,
  koordinatesLinks,
  koordinatesPage,
  koordinatesRefs,
  expandsList,
  latestVersion,
  parseKoordinatesQuery,
  publishedVersion,
  renderKoordinatesDetail,
  renderKoordinatesItem,
  renderGroupRef,
  renderLicense,
  renderUserRef,
  renderVersionList,
  resourceRange,
  type KoordinatesRefs,
  type KoordinatesView,
  type KoordinatesItem,
  type KoordinatesLicense,
  type KoordinatesVersion,
} from './query/index.js';

// The collection keys keep their `kx_` names: they are data in users' db files and fixture files.
export const KOORDINATES_STORE: Record<string, CollectionSpec> = {
  kx_items: { idField: 'id', idKind: 'int', onDisk: { inMemory: [] } }, // filters read derived keys, kept elsewhere
  kx_groups: { idField: 'id', idKind: 'int' },
  kx_licenses: { idField: 'id', idKind: 'int' },
  kx_users: { idField: 'id', idKind: 'int' },
  kx_keys: { idField: 'key', idKind: 'given' },
};

const KOORDINATES_COLLECTIONS = ['kx_items', 'kx_licenses', 'kx_groups', 'kx_users'] as const;

/** Lookups over the catalogue collections, rebuilt when any of them changes. */
function refsOf(env: Env): KoordinatesRefs {
  return env.store.memo('catalog:refs', KOORDINATES_COLLECTIONS, () =>
    koordinatesRefs(Object.fromEntries(KOORDINATES_COLLECTIONS.map((n) => [n, env.store.collection(n).list()]))),
  );
}

const items = (env: Env) => env.store.collection('kx_items').list() as unknown as KoordinatesItem[];

/**
 * The lookups a rendering may use for this caller: an anonymous caller's sets list only public members, so every
 * URL in a response can be followed by whoever received it.
 */
function visibleRefs(req: BehaviourRequest, refs: KoordinatesRefs): KoordinatesRefs {
  if (req.user) return refs;
  return {
    ...refs,
    item: (id) => {
      const i = refs.item(id);
      return i?.public ? i : undefined;
    },
  };
}

/** `x-geostub-scopes`: a key needs one of the operation's scopes (anonymous callers see public items instead). */
function requireScope(req: BehaviourRequest): void {
  const wanted = req.op.ext.scopes;
  if (!req.user || !Array.isArray(wanted) || wanted.length === 0) return;
  const held = Array.isArray(req.user.scopes) ? (req.user.scopes as string[]) : [];
  if (!wanted.some((s) => held.includes(String(s)))) throw apiError('catalogForbidden', wanted.map(String));
}

const scoped =
  (behaviour: Behaviour): Behaviour =>
  (req, env) => {
    requireScope(req);
    return behaviour(req, env);
  };

const koordinatesList: Behaviour = (req, env) => {
  const view = String(req.op.ext.view) as KoordinatesView;
  const parsed = parseKoordinatesQuery(req.query, view);
  if (!parsed.ok) throw apiError('catalogInvalid', parsed.errors);
  const refs = refsOf(env);
  const { filters, sort } = parsed.query;
  // repeated queries (a client walking pages) reuse the matching, sorted list until the catalogue changes
  const found = env.store.memo(
    `catalog:${view}:${req.user ? 'key' : 'anonymous'}:${JSON.stringify([filters, sort])}`,
    KOORDINATES_COLLECTIONS,
    () => applyKoordinatesQuery(items(env), parsed.query, { view, isAnonymous: !req.user, refs }),
  );
  const { page, pageSize } = parsed.query;
  const { start, end } = koordinatesPage(found.length, page, pageSize);
  const expand = expandsList(req.headers.expand);
  const shown = visibleRefs(req, refs);
  return json(
    200,
    found.slice(start, end).map((i) => renderKoordinatesItem(i, view, expand, req.origin, shown)),
    {
      'X-Paginate-By': String(pageSize),
      'X-Resource-Range': resourceRange(start, end, found.length),
      Link: koordinatesLinks(req.origin + req.pathname, req.query, page, pageSize, found.length),
    },
  );
};

function itemOf(req: BehaviourRequest, env: Env, type: string): KoordinatesItem {
  const raw = req.params.id ?? '';
  const item = /^\d{1,12}$/.test(raw)
    ? (env.store.collection('kx_items').get(Number(raw)) as unknown as KoordinatesItem | undefined)
    : undefined;
  if (!item || item.type !== type || (!req.user && !item.public)) throw apiError('catalogNotFound');
  return item;
}

/** The published version, or the draft: the latest version when it is newer than the published one. */
function namedVersion(item: KoordinatesItem, name: 'published' | 'draft'): KoordinatesVersion | undefined {
  const published = publishedVersion(item);
  if (name === 'published') return published;
  const latest = latestVersion(item);
  return latest && latest !== published && !latest.published ? latest : undefined;
}

const koordinatesDetail: Behaviour = (req, env) => {
  const kind = String(req.op.ext.kind);
  const refs = refsOf(env);
  if (kind === 'license' || kind === 'group' || kind === 'user') {
    const raw = req.params.id ?? '';
    const id = /^\d{1,12}$/.test(raw) ? Number(raw) : NaN;
    if (kind === 'license') {
      const l = env.store.collection('kx_licenses').get(id) as unknown as KoordinatesLicense | undefined;
      if (!l) throw apiError('catalogNotFound');
      return json(200, renderLicense(l, req.origin));
    }
    const body = kind === 'group' ? renderGroupRef(id, req.origin, refs) : renderUserRef(id, req.origin, refs);
    if (!body) throw apiError('catalogNotFound');
    return json(200, body);
  }
  const type = kind === 'version' ? String(req.op.ext.parent) : kind;
  const item = itemOf(req, env, type);
  const named = req.op.ext.version; // `versions/published/`, `versions/draft/` (python-koordinates get_published, get_draft)
  const versionId =
    named === 'published' || named === 'draft'
      ? (namedVersion(item, named)?.id ?? -1)
      : kind === 'version'
        ? /^\d{1,12}$/.test(req.params.version_id ?? '')
          ? Number(req.params.version_id)
          : -1
        : undefined;
  const body = renderKoordinatesDetail(item, req.origin, visibleRefs(req, refs), versionId);
  if (body === undefined) throw apiError('catalogNotFound');
  return json(200, body);
};

const koordinatesVersions: Behaviour = (req, env) =>
  json(200, renderVersionList(itemOf(req, env, String(req.op.ext.kind)), req.origin));

// Keyed by the contract's `x-geostub-behaviour` names (contracts/koordinates-catalog.yaml), which stay as written.
export const KOORDINATES_BEHAVIOURS: Record<string, Behaviour> = {
  catalogList: scoped(koordinatesList),
  catalogDetail: scoped(koordinatesDetail),
  catalogVersions: scoped(koordinatesVersions),
};

/**
 * `Authorization: key <token>` or `?key=<token>` (the contract's `keyHeader` and `keyQuery` schemes); an unknown key is
 * a 401. The caller is the key's user with the key's `scopes` (a copy: the stored user is untouched).
 */
export const koordinatesBinding: ApiBinding = {
  behaviours: KOORDINATES_BEHAVIOURS,
  identify(env, { headers, query }) {
    if (env.settings.auth === 'off') {
      const full = env.store
        .collection('kx_keys')
        .list()
        .find((k) => (k.scopes as string[]).includes('catalog'));
      return {
        user: full
          ? {
              ...(env.store.collection('kx_users').get(full.user) ?? { id: full.user }),
              scopes: [...(full.scopes as string[])],
            }
          : null,
      };
    }
    const header = headers.authorization?.trim() ?? '';
    const m = /^key\s+(\S+)$/i.exec(header);
    const token = m?.[1] ?? query.get('key') ?? undefined;
    if (!token) return { user: null };
    let owner: StoredRecord | undefined;
    for (const k of env.store.collection('kx_keys').list()) if (sameSecret(String(k.key), token)) owner = k;
    if (!owner) return { user: null, error: apiError('catalogUnauthorized') };
    const user = env.store.collection('kx_users').get(owner.user) ?? { id: owner.user };
    return { user: { ...user, scopes: Array.isArray(owner.scopes) ? [...owner.scopes] : [] } };
  },
  methodNotAllowed: (method) => apiError('catalogMethodNotAllowed', method),
  invalidBody: (message, field) => apiError('catalogInvalid', { [field ?? 'non_field_errors']: [message] }),
  injectedError: (status) => apiError('injectedCatalog', status),
};
