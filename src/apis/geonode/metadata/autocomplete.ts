/**
 * GeoNode 5's metadata editor API, part 3: the editor's 8 autocompletes (5.0.2 metadata/api/urls.py:35-70,
 * metadata/api/views.py:160-330). The plain Django views (thesaurus keywords, categories, licenses) answer every
 * match as `{"results": [{id, label}]}`; the django-autocomplete-light views answer pages of 10 with
 * `pagination.more`.
 */
import { json, type Behaviour, type BehaviourRequest } from '../../../core/types.js';
import type { StoredRecord } from '../../../store/index.js';
import { isAdmin } from '../context.js';
import { thesauri, userEntry, type Obj } from './schema.js';
import { levelFor } from '../permissions/levels.js';

const PAGE = 10; // django-autocomplete-light's BaseQuerySetView.paginate_by
const q = (req: BehaviourRequest) => (req.query.get('q') ?? '').toLowerCase();
const has = (v: unknown, needle: string) =>
  !needle ||
  String(v ?? '')
    .toLowerCase()
    .includes(needle);

/**
 * dal's Select2QuerySetView answer: a page of 10 and `pagination.more`. Django's ListView paging: a `page` that is
 * not a number, below 1, or past the last page (page 1 may be empty) is an Http404 — `{"detail": "Not found."}` here
 * (Django would answer its HTML page).
 */
function select2(req: BehaviourRequest, all: unknown[]) {
  const raw = req.query.get('page') || '1';
  const page = /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!(page >= 1) || (page > 1 && (page - 1) * PAGE >= all.length)) return json(404, { detail: 'Not found.' });
  const results = all.slice((page - 1) * PAGE, page * PAGE);
  return json(200, { results, pagination: { more: all.length > page * PAGE } });
}

const byText = (f: (r: StoredRecord) => unknown) => (a: StoredRecord, b: StoredRecord) =>
  String(f(a)).localeCompare(String(f(b)));

export const metadataAutocomplete: Behaviour = (req, env) => {
  const kind = String(req.op.ext.action);
  const needle = q(req);
  const coll = (n: string) => env.store.collection(n).list();
  switch (kind) {
    case 'categories':
      return json(200, {
        results: [...coll('categories')]
          .filter((c) => has(c.gn_description, needle))
          .sort(byText((c) => c.gn_description))
          .map((c) => ({ id: c.identifier, label: c.gn_description })),
      });
    case 'licenses':
      return json(200, {
        results: [...coll('licenses')]
          .filter((l) => has(l.name, needle))
          .sort(byText((l) => l.name))
          .map((l) => ({ id: l.identifier, label: l.name })),
      });
    case 'thesaurus': {
      const id = req.params.thesaurusid ?? '';
      const t = thesauri(env).find((x) => String(x.id) === id || x.slug === id);
      const keywords = t ? coll('tkeywords').filter((k) => (k.thesaurus as Obj | undefined)?.slug === t.slug) : [];
      const label = (k: StoredRecord) => (k.i18n as Obj | undefined)?.en;
      const translated = keywords
        .filter((k) => typeof label(k) === 'string')
        .filter((k) => has(label(k), needle))
        .sort(byText((k) => label(k)));
      const untranslated = keywords.filter((k) => typeof label(k) !== 'string').sort(byText((k) => k.name));
      return json(200, {
        results: [
          ...translated.map((k) => ({ id: k.uri, label: label(k) })),
          ...untranslated.map((k) => ({ id: k.uri, label: `! ${String(k.name)}` })),
        ],
      });
    }
    case 'users': {
      const users = req.user
        ? [...coll('users')].filter(
            (u) =>
              has(u.username, needle) || has(u.email, needle) || has(u.first_name, needle) || has(u.last_name, needle),
          )
        : [];
      return select2(
        req,
        users.sort((a, b) => Number(a.pk) - Number(b.pk)).map((u) => userEntry(u)),
      );
    }
    case 'resources': {
      const list = [...coll('resources')]
        .filter((r) => has(r.title, needle) && levelFor(env.store, r, req.user) !== 'none')
        .sort(byText((r) => r.title));
      return select2(
        req,
        list.map((r) => ({ id: String(r.pk), label: `${String(r.title)} [${String(r.resource_type)}]` })),
      );
    }
    case 'regions':
      return select2(
        req,
        [...coll('regions')]
          .filter((r) => has(r.name, needle))
          .sort((a, b) => Number(a.id) - Number(b.id))
          .map((r) => ({ id: String(r.id), label: r.name })),
      );
    case 'hkeywords':
      return select2(
        req,
        [...coll('keywords')]
          .filter((k) => has(k.slug, needle))
          .sort((a, b) => Number(a.id) - Number(b.id))
          .map((k) => k.name),
      );
    case 'groups': {
      const user = req.user;
      const mine = user
        ? new Set(
            coll('memberships')
              .filter((m) => m.user === user.pk)
              .map((m) => m.group),
          )
        : new Set();
      const groups = [...coll('groups')]
        .filter((g) => (isAdmin(user) || mine.has(g.pk)) && has(g.title, needle))
        .sort(byText((g) => g.title));
      return select2(
        req,
        groups.map((g) => ({ id: String(g.pk), label: g.title })),
      );
    }
    default:
      return json(404, { detail: 'Not found.' });
  }
};
