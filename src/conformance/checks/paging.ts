/**
 * Pagination checks, as pure functions over what came back: GeoNode's page envelope (`total`, `page`,
 * `page_size`, `links.next/previous`) and the catalogue's headers (`X-Resource-Range`, `X-Paginate-By`, `Link`).
 * The expected values come from the same pure modules the mock uses (`src/query/pagination.ts`, `src/apis/koordinates/query/page.ts`).
 */
import { pageSlice } from '../../query/pagination.js';
import {
  koordinatesPage,
  lastPage,
  parseLinkHeader,
  resourceRange,
  type KoordinatesLink,
} from '../../apis/koordinates/query/index.js';
import type { Problem } from '../types.js';
import { show } from '../recorder.js';

export interface PageAsked {
  page: number;
  pageSize: number;
}

const ABSOLUTE = /^https?:\/\/[^/]+\//i;

interface Envelope {
  links?: { next?: unknown; previous?: unknown };
  total?: unknown;
  page?: unknown;
  page_size?: unknown;
}

/** `pagination_envelope`: echoes, item count, and `total` consistent with where the page is. */
export function envelopeProblems(body: unknown, items: unknown[], asked: PageAsked, where: string): Problem[] {
  const b = (body ?? {}) as Envelope;
  const out: Problem[] = [];
  if (b.page !== asked.page)
    out.push({
      expected: `page = ${asked.page} (echo of the query)`,
      actual: `page = ${show(b.page)}`,
      contractPath: where,
    });
  if (b.page_size !== asked.pageSize)
    out.push({
      expected: `page_size = ${asked.pageSize} (echo of the query)`,
      actual: `page_size = ${show(b.page_size)}`,
      contractPath: where,
    });
  if (typeof b.total !== 'number' || !Number.isInteger(b.total) || b.total < 0) {
    out.push({ expected: 'total: a whole number ≥ 0', actual: `total = ${show(b.total)}`, contractPath: where });
    return out;
  }
  const slice = pageSlice(b.total, asked.page, asked.pageSize);
  const count = slice.inRange ? slice.end - slice.start : 0;
  if (items.length !== count) {
    out.push({
      expected: `${count} items on page ${asked.page} of ${asked.pageSize} when total = ${b.total}`,
      actual: `${items.length} items`,
      contractPath: where,
    });
  }
  return out;
}

/** `pagination_links`: `links.next` iff a later page exists, `links.previous` iff not on page 1, both absolute. */
export function envelopeLinkProblems(body: unknown, asked: PageAsked, where: string): Problem[] {
  const b = (body ?? {}) as Envelope;
  if (typeof b.total !== 'number') return [];
  const out: Problem[] = [];
  const hasNext = asked.page * asked.pageSize < b.total;
  const next = b.links?.next ?? null;
  const previous = b.links?.previous ?? null;
  if (hasNext && next === null)
    out.push({
      expected: `links.next on page ${asked.page} (${b.total} records, ${asked.pageSize} a page)`,
      actual: 'links.next = null',
      contractPath: where,
    });
  if (!hasNext && next !== null)
    out.push({
      expected: `links.next = null on the last page ${asked.page}`,
      actual: `links.next = ${show(next)}`,
      contractPath: where,
    });
  if (asked.page > 1 && previous === null)
    out.push({
      expected: `links.previous on page ${asked.page}`,
      actual: 'links.previous = null',
      contractPath: where,
    });
  if (asked.page === 1 && previous !== null)
    out.push({
      expected: 'links.previous = null on page 1',
      actual: `links.previous = ${show(previous)}`,
      contractPath: where,
    });
  for (const [name, link] of [
    ['next', next],
    ['previous', previous],
  ] as const) {
    if (link === null) continue;
    if (typeof link !== 'string' || !ABSOLUTE.test(link))
      out.push({ expected: `links.${name}: an absolute URL`, actual: show(link), contractPath: where });
    else if (name === 'next' && new URL(link).searchParams.get('page') !== String(asked.page + 1)) {
      out.push({ expected: `links.next names page ${asked.page + 1}`, actual: link, contractPath: where });
    }
  }
  return out;
}

export function parseRange(header: string | undefined): { start: number; end: number; total: number } | undefined {
  const m = /^(\d+)-(\d+)\/(\d+)$/.exec(header ?? '');
  return m ? { start: Number(m[1]), end: Number(m[2]), total: Number(m[3]) } : undefined;
}

/** `resource_range`: `X-Resource-Range` arithmetic and `X-Paginate-By` for a page of a bare-array list. */
export function rangeProblems(
  headers: Record<string, string>,
  items: unknown[],
  asked: PageAsked,
  where: string,
): Problem[] {
  const out: Problem[] = [];
  const raw = headers['x-resource-range'];
  const range = parseRange(raw);
  if (!range) return [{ expected: 'X-Resource-Range: start-end/total', actual: show(raw), contractPath: where }];
  const { start, end } = koordinatesPage(range.total, asked.page, asked.pageSize);
  const want = resourceRange(start, end, range.total);
  if (raw !== want)
    out.push({
      expected: `X-Resource-Range: ${want} (page ${asked.page} of ${asked.pageSize}, ${range.total} records)`,
      actual: `X-Resource-Range: ${raw}`,
      contractPath: where,
    });
  if (range.end - range.start !== items.length)
    out.push({
      expected: `${range.end - range.start} items, as X-Resource-Range ${raw} says`,
      actual: `${items.length} items`,
      contractPath: where,
    });
  const by = headers['x-paginate-by'];
  if (by !== String(asked.pageSize))
    out.push({
      expected: `X-Paginate-By: ${asked.pageSize}`,
      actual: `X-Paginate-By: ${show(by)}`,
      contractPath: where,
    });
  return out;
}

/** `link_header`: the rels present are the right ones for the page, every URL absolute, next/last point where they should. */
export function linkProblems(
  headers: Record<string, string>,
  asked: PageAsked,
  total: number,
  where: string,
): Problem[] {
  const raw = headers.link;
  if (!raw) return [{ expected: 'a Link header', actual: '(absent)', contractPath: where }];
  const links = parseLinkHeader(raw);
  const out: Problem[] = [];
  const rels = new Map<string, KoordinatesLink>(links.map((l) => [l.rel, l]));
  const last = lastPage(total, asked.pageSize);
  const want: [string, boolean][] = [
    ['sort-name', true],
    ['sort-name-desc', true],
    ['page-previous', asked.page > 1],
    ['page-next', asked.page < last],
    ['page-last', true],
  ];
  for (const [rel, present] of want) {
    if (present && !rels.has(rel))
      out.push({
        expected: `rel="${rel}" on page ${asked.page} of ${last}`,
        actual: `Link: ${raw}`,
        contractPath: where,
      });
    if (!present && rels.has(rel))
      out.push({
        expected: `no rel="${rel}" on page ${asked.page} of ${last}`,
        actual: `Link: ${raw}`,
        contractPath: where,
      });
  }
  for (const l of links)
    if (!ABSOLUTE.test(l.url))
      out.push({ expected: `rel="${l.rel}": an absolute URL`, actual: l.url, contractPath: where });
  const pageOf = (rel: string) => {
    const l = rels.get(rel);
    return l && ABSOLUTE.test(l.url) ? new URL(l.url).searchParams.get('page') : undefined;
  };
  if (rels.has('page-next') && pageOf('page-next') !== String(asked.page + 1))
    out.push({
      expected: `rel="page-next" names page ${asked.page + 1}`,
      actual: rels.get('page-next')!.url,
      contractPath: where,
    });
  if (rels.has('page-last') && pageOf('page-last') !== String(last))
    out.push({
      expected: `rel="page-last" names page ${last}`,
      actual: rels.get('page-last')!.url,
      contractPath: where,
    });
  return out;
}

export function linkTo(headers: Record<string, string>, rel: string): string | undefined {
  return parseLinkHeader(headers.link ?? '').find((l) => l.rel === rel)?.url;
}

/** An item's identity for page walks: its id field, else its JSON. */
export function identity(item: unknown): string {
  if (item && typeof item === 'object') {
    const r = item as Record<string, unknown>;
    const id = r.pk ?? r.id ?? r.exec_id ?? r.unique_identifier;
    if (id !== undefined && id !== null) return String(id);
  }
  return JSON.stringify(item);
}
