/**
 * GeoNode's page-number pagination (`geonode/base/api/pagination.py:28-41` (4.4.3)), as pure functions: parse
 * `page`/`page_size`, slice, and build the `{links:{next,previous}, total, page, page_size}` envelope with DRF's link
 * rules.
 */
import { pythonInt } from './dynamic-rest/values.js';
import { drfQueryString } from './raw-query.js';

export const DEFAULT_PAGE_SIZE = 10;
/**
 * Most records geostub renders into one GeoNode page. GeoNode has no maximum (clients send `page_size=99999`), and
 * geostub honours any page_size whose page holds at most this many records; a page of 100,000 full resources
 * would be a JSON text of ~800 MB (past V8's longest string), so larger pages are refused with a clear 400.
 */
export const MAX_PAGE_RECORDS = 20_000;

export type PageRequest =
  | {
      ok: true;
      page: number;
      /** The page size used to slice (DRF's get_page_size). */
      pageSize: number;
      /** What the envelope's `page_size` says: GeoNode echoes int(page_size) as sent, 0 and negatives included. */
      echoedPageSize: number;
    }
  | { ok: false; problem: 'page' | 'page_size'; value: string };

/**
 * Read `page` and `page_size` from the query, as DRF 3.14's PageNumberPagination and GeoNode's
 * GeoNodeApiPagination do (the LAST value of a repeated parameter, Python's int()):
 * - `page`: Django's Paginator.validate_number — not an integer (the empty value too), or < 1 → "Invalid page."
 *   (a page past the end is found later, by the slice);
 * - `page_size`: DRF's _positive_int(strict=True) falls back to the default for 0 and negatives, and GeoNode echoes
 *   int(page_size) in the envelope (`page_size=0` → 10 records, `"page_size": 0`). A value int() cannot read
 *   (`abc`, `2.5`, empty) makes GeoNode's echo raise — a 500 there, a 400 naming page_size here.
 */
export function parsePageRequest(params: URLSearchParams, defaultPageSize = DEFAULT_PAGE_SIZE): PageRequest {
  const lastOf = (name: string) => {
    const all = params.getAll(name);
    return all.length ? all[all.length - 1]! : null;
  };
  const rawPage = lastOf('page');
  const rawSize = lastOf('page_size');
  let page = 1;
  if (rawPage !== null) {
    page = pythonInt(rawPage);
    if (!Number.isSafeInteger(page) || page < 1) return { ok: false, problem: 'page', value: rawPage };
  }
  if (rawSize === null) return { ok: true, page, pageSize: defaultPageSize, echoedPageSize: defaultPageSize };
  const size = pythonInt(rawSize);
  if (!Number.isSafeInteger(size)) return { ok: false, problem: 'page_size', value: rawSize };
  return { ok: true, page, pageSize: size > 0 ? size : defaultPageSize, echoedPageSize: size };
}

export interface PageSlice {
  start: number;
  end: number;
  /** false when the page is past the last one (page 1 of an empty set is valid) */
  inRange: boolean;
  lastPage: number;
}

export function pageSlice(total: number, page: number, pageSize: number): PageSlice {
  const lastPage = Math.max(1, Math.ceil(total / pageSize));
  const start = (page - 1) * pageSize;
  const end = Math.min(total, start + pageSize);
  return { start, end, inRange: page <= lastPage, lastPage };
}

export interface ListEnvelopeHead {
  links: { next: string | null; previous: string | null };
  total: number;
  page: number;
  page_size: number;
}

/**
 * The envelope head. `base` is the absolute URL of the list without its query string. The previous link of page 2
 * carries no `page` parameter at all (DRF's remove_query_param).
 */
export function listEnvelopeHead(
  base: string,
  params: URLSearchParams,
  total: number,
  page: number,
  pageSize: number,
  echoedPageSize = pageSize,
): ListEnvelopeHead {
  const { lastPage } = pageSlice(total, page, pageSize);
  const url = (qs: string) => (qs ? `${base}?${qs}` : base);
  const next = page < lastPage ? url(drfQueryString(params, 'page', String(page + 1))) : null;
  const previous = page > 1 ? url(drfQueryString(params, 'page', page - 1 === 1 ? undefined : String(page - 1))) : null;
  return { links: { next, previous }, total, page, page_size: echoedPageSize };
}
