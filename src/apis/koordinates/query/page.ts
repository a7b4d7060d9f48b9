/**
 * Catalogue pagination: the page window, `X-Resource-Range` and the RFC 5988 `Link` header (the `catalogList`
 * operation's headers in contracts/koordinates-catalog.yaml).
 * Pure: no HTTP framework.
 */

/**
 * The 0-based, end-exclusive window of a 1-based page. A page past the last one is empty and clamped to the
 * total (`start == end == total`), so `end - start` is always the number of records returned.
 */
export function koordinatesPage(total: number, page: number, pageSize: number): { start: number; end: number } {
  const start = Math.min((page - 1) * pageSize, total);
  const end = Math.min(start + pageSize, total);
  return { start, end };
}

/** `X-Resource-Range` value: `start-end/total`, 0-based, end exclusive (`0-0/0` when empty). */
export function resourceRange(start: number, end: number, total: number): string {
  return `${start}-${end}/${total}`;
}

/** Number of the last page (1 when the list is empty). */
export function lastPage(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

export type KoordinatesLink = { rel: string; url: string };

/**
 * The links of a catalogue list response, in header order: `sort-name`, `sort-name-desc` (current parameters,
 * `sort` replaced, no `page`), `page-previous` (not on page 1), `page-next` (not on the last page), `page-last`.
 * Every link keeps every current parameter (filters, `page_size`, `key`, `format`, …).
 *
 * @param baseUrl absolute URL of the list view, e.g. `https://host/services/api/v1/data/` (a query is dropped)
 */
export function koordinatesLinkList(
  baseUrl: string,
  params: URLSearchParams,
  page: number,
  pageSize: number,
  total: number,
): KoordinatesLink[] {
  const base = baseUrl.split(/[?#]/)[0];
  const href = (mutate: (p: URLSearchParams) => void) => {
    const p = new URLSearchParams(params);
    mutate(p);
    const qs = p.toString();
    return qs ? `${base}?${qs}` : base;
  };
  const sortLink = (sort: string) =>
    href((p) => {
      p.delete('page');
      p.set('sort', sort);
    });
  const pageLink = (n: number) => href((p) => p.set('page', String(n)));
  const last = lastPage(total, pageSize);
  const links: KoordinatesLink[] = [
    { rel: 'sort-name', url: sortLink('name') },
    { rel: 'sort-name-desc', url: sortLink('-name') },
  ];
  if (page > 1) links.push({ rel: 'page-previous', url: pageLink(Math.min(page - 1, last)) });
  if (page < last) links.push({ rel: 'page-next', url: pageLink(page + 1) });
  links.push({ rel: 'page-last', url: pageLink(last) });
  return links;
}

/** The `Link` header value: `<url>; rel="name", …`. */
export function koordinatesLinks(
  baseUrl: string,
  params: URLSearchParams,
  page: number,
  pageSize: number,
  total: number,
): string {
  return koordinatesLinkList(baseUrl, params, page, pageSize, total)
    .map((l) => `<${l.url}>; rel="${l.rel}"`)
    .join(', ');
}

/** Parses a `Link` header back into links (for tests and the conformance runner). */
export function parseLinkHeader(header: string): KoordinatesLink[] {
  const out: KoordinatesLink[] = [];
  const re = /<([^>]*)>\s*;\s*rel="([^"]*)"/g;
  for (let m = re.exec(header); m; m = re.exec(header)) out.push({ rel: m[2], url: m[1] });
  return out;
}
