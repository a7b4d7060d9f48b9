/**
 * DRF SearchFilter as GeoNode wires it (`geonode/base/api/filters.py:35-37` (4.4.3)): fields come from the request
 * (`search_fields`, repeatable, never comma-split), terms from the last `search` value split on whitespace and commas;
 * every term must match at least one field. Without fields or terms, nothing is filtered.
 */
import { resolveSearchPath } from './schema.js';
import { anyAlongPath } from './compile.js';
import {
  QueryError,
  type AnyRecord,
  type FieldSchema,
  type Predicate,
  type SearchField,
  type SearchMode,
  type SearchQuery,
} from './types.js';
import { asText, escapeRegExp } from './values.js';

const PREFIXES: Readonly<Record<string, SearchMode>> = {
  '^': 'istartswith',
  '=': 'iexact',
  '@': 'search',
  $: 'iregex',
};

export function searchTerms(text: string): string[] {
  return text
    .replace(/\0/g, '')
    .replace(/,/g, ' ')
    .split(/\s+/)
    .filter((t) => t !== '');
}

export function parseSearchField(raw: string): SearchField {
  const mode = PREFIXES[raw.charAt(0)];
  const name = mode ? raw.slice(1) : raw;
  return { raw, path: name.split(/__|\./), mode: mode ?? 'icontains' };
}

/**
 * The search part of a query. An unknown search field is a Django FieldError (a 500 on a real server);
 * here it is an `invalid` error, and only when there is something to search, as DRF only then builds the query.
 */
export function parseSearch(params: URLSearchParams, schema: FieldSchema): SearchQuery {
  const all = params.getAll('search');
  const text = all.length > 0 ? all[all.length - 1]! : null;
  const fields = params.getAll('search_fields').map(parseSearchField);
  const terms = text === null ? [] : searchTerms(text);
  if (terms.length > 0) {
    for (const field of fields) {
      if (!resolveSearchPath(schema, field.path)) {
        throw new QueryError('invalid', `Cannot resolve keyword '${field.path.join('__')}' into field.`);
      }
    }
  }
  return { text, terms, fields };
}

function termTest(term: string, mode: SearchMode): (v: unknown) => boolean {
  let re: RegExp | null;
  switch (mode) {
    case 'iexact':
      re = new RegExp(`^${escapeRegExp(term)}$`, 'i');
      break;
    case 'istartswith':
      re = new RegExp(`^${escapeRegExp(term)}`, 'i');
      break;
    case 'iregex':
      try {
        re = new RegExp(term, 'i');
      } catch {
        re = null;
      }
      break;
    // `@` is Postgres full-text search; approximated by a case-insensitive substring match.
    default:
      re = new RegExp(escapeRegExp(term), 'i');
  }
  if (!re) return () => false;
  const pattern = re;
  return (v) => {
    const s = asText(v);
    return s !== null && pattern.test(s);
  };
}

/** One predicate for the whole search, or null when the search filters nothing. */
export function compileSearch(search: SearchQuery): Predicate | null {
  if (search.terms.length === 0 || search.fields.length === 0) return null;
  const perTerm = search.terms.map((term) => {
    const alternatives = search.fields.map((f) => anyAlongPath(f.path, termTest(term, f.mode)));
    return (r: AnyRecord) => {
      for (const alt of alternatives) if (alt(r)) return true;
      return false;
    };
  });
  return (r) => {
    for (const t of perTerm) if (!t(r)) return false;
    return true;
  };
}

export function applySearch<T extends AnyRecord>(records: readonly T[], search: SearchQuery): T[] {
  const predicate = compileSearch(search);
  return predicate ? records.filter(predicate) : records.slice();
}
