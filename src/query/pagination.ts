/**
 * GeoNode's page-number pagination (facts §1.3), as pure functions: parse `page`/`page_size`, slice, and build the
 * `{links:{next,previous}, total, page, page_size}` envelope with DRF's link rules.
 */
import { drfQueryString } from './raw-query.js';

export const DEFAULT_PAGE_SIZE = 10;
/**
 * Most records geostub renders into one GeoNode page. GeoNode has no maximum (clients send `page_size=99999`), and
 * geostub honours any page_size whose page holds at most this many records; a page of 100,000 full resources
 * would be a JSON text of ~800 MB (past V8's longest string), so larger pages are refused with a clear 400.
 */
export const MAX_PAGE_RECORDS = 20_000;

export type PageRequest = { ok: true; page: number; pageSize: number } | { ok: false; problem: 'page' | 'page_size'; value: string };

const POSITIVE_INT = /^\+?\d+$/;

/** Read `page` and `page_size` from the query. An empty value means the default, as in DRF. */
export function parsePageRequest(params: URLSearchParams, defaultPageSize = DEFAULT_PAGE_SIZE): PageRequest {
  // Django's QueryDict.get and DRF's query_params[...] read the LAST value of a repeated parameter
  const lastOf = (name: string) => {
    const all = params.getAll(name);
    return all.length ? all[all.length - 1]! : null;
  };
  const rawPage = lastOf('page');
  const rawSize = lastOf('page_size');
  let page = 1;
  let pageSize = defaultPageSize;
  if (rawPage !== null && rawPage !== '') {
    if (!POSITIVE_INT.test(rawPage.trim()) || Number(rawPage) < 1 || !Number.isSafeInteger(Number(rawPage))) {
      return { ok: false, problem: 'page', value: rawPage };
    }
    page = Number(rawPage);
  }
  if (rawSize !== null && rawSize !== '') {
    if (!POSITIVE_INT.test(rawSize.trim()) || Number(rawSize) < 1 || !Number.isSafeInteger(Number(rawSize))) {
      return { ok: false, problem: 'page_size', value: rawSize };
    }
    pageSize = Number(rawSize);
  }
  return { ok: true, page, pageSize };
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
export function listEnvelopeHead(base: string, params: URLSearchParams, total: number, page: number, pageSize: number): ListEnvelopeHead {
  const { lastPage } = pageSlice(total, page, pageSize);
  const url = (qs: string) => (qs ? `${base}?${qs}` : base);
  const next = page < lastPage ? url(drfQueryString(params, 'page', String(page + 1))) : null;
  const previous = page > 1 ? url(drfQueryString(params, 'page', page - 1 === 1 ? undefined : String(page - 1))) : null;
  return { links: { next, previous }, total, page, page_size: pageSize };
}
