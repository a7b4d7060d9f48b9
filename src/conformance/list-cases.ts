/**
 * Behaviour cases for list operations, generated from the contract: pagination (page envelope or
 * X-Resource-Range/Link headers, following next links until the end), and — through list-query-cases.ts —
 * filters, sorts and field selection.
 */
import type { Operation } from '../contracts/route-table.js';
import { call, type Case, type RunContext } from './context.js';
import {
  documentedHeaders,
  documentedResponse,
  listItems,
  listShape,
  pointer,
  queryParameter,
  requiresAuth,
  type ListShape,
} from './contract-view.js';
import { opKey } from './http.js';
import { expandPath } from './params.js';
import type { CaseRecorder } from './recorder.js';
import { shorten } from './recorder.js';
import {
  envelopeLinkProblems,
  envelopeProblems,
  identity,
  linkProblems,
  linkTo,
  parseRange,
  rangeProblems,
} from './checks/paging.js';
import type { CheckedExchange } from './types.js';
import { walkComplete } from './list-walk-complete.js';

const PAGE = 2;
const WALK_PAGES = 4;

/** The list's path with ids filled, or a reason it cannot be read; records a failure when the first page is not 200. */
export async function firstPage(
  ctx: RunContext,
  rec: CaseRecorder,
  op: Operation,
  query: string,
  headers?: Record<string, string>,
  schema = true,
): Promise<{ base: string; x: CheckedExchange; items: unknown[] } | undefined> {
  if (requiresAuth(op) && !ctx.http.hasCredentials(op.api))
    return void (rec.skipped = 'the contract requires credentials and none were given');
  const resolved = await ctx.resolver.resolve(op);
  if (!resolved.ok) return void (rec.skipped = resolved.reason);
  const base = expandPath(op.path, resolved.params);
  const x = await call(
    ctx,
    rec,
    op.api,
    { method: 'GET', path: `${base}${query ? `?${query}` : ''}`, op, headers },
    { schema },
  );
  if (x.response.status !== 200) {
    rec.record(
      'status_code_expected',
      [
        {
          expected: '200 for a valid list request',
          actual: `${x.response.status} ${shorten(x.response.text, 200)}`,
          contractPath: pointer(op, 'responses', '200'),
        },
      ],
      x,
    );
    return undefined;
  }
  const items = listItems(listShape(op)!, x.response.json);
  if (!items) return undefined; // response_schema has said why
  return { base, x, items };
}

function paginated(op: Operation): boolean {
  return !!queryParameter(op, 'page') && !!queryParameter(op, 'page_size');
}

export function paginationCase(op: Operation): Case | undefined {
  const shape = listShape(op);
  if (!shape || !paginated(op)) return undefined;
  const ok = documentedResponse(op, 200);
  const ranged = ok && documentedHeaders(op, ok).some((h) => h.name.toLowerCase() === 'x-resource-range');
  if (shape.kind === 'array' && !ranged) return undefined;
  return {
    id: `${opKey(op)} · pagination`,
    kind: 'operation',
    api: op.api,
    ops: [op],
    writes: false,
    run: (ctx, rec) => (shape.kind === 'envelope' ? walkEnvelope(ctx, rec, op, shape) : walkRanges(ctx, rec, op)),
  };
}

async function walkEnvelope(ctx: RunContext, rec: CaseRecorder, op: Operation, shape: ListShape): Promise<void> {
  const first = await firstPage(ctx, rec, op, `page_size=${PAGE}`);
  if (!first) return;
  const where = pointer(op, 'responses', '200');
  const seen = new Set<string>();
  let x = first.x;
  let items = first.items;
  let page = 1;
  for (;;) {
    rec.record('pagination_envelope', envelopeProblems(x.response.json, items, { page, pageSize: PAGE }, where), x);
    rec.record('pagination_links', envelopeLinkProblems(x.response.json, { page, pageSize: PAGE }, where), x);
    const repeated = items.map(identity).filter((id) => seen.has(id));
    rec.record(
      'pagination_links',
      repeated.length
        ? [
            {
              expected: `page ${page} (reached through links.next) brings new items`,
              actual: `items seen on an earlier page: ${repeated.join(', ')}`,
              contractPath: where,
            },
          ]
        : [],
      x,
    );
    for (const i of items) seen.add(identity(i));
    const next = (x.response.json as { links?: { next?: unknown } })?.links?.next;
    if (typeof next !== 'string' || page >= WALK_PAGES) break;
    x = await call(ctx, rec, op.api, { method: 'GET', path: next, op });
    page++;
    const got = x.response.status === 200 ? listItems(shape, x.response.json) : undefined;
    if (!got) {
      rec.record(
        'pagination_links',
        [
          {
            expected: `links.next of page ${page - 1} answers 200 with a list`,
            actual: `${x.response.status} ${shorten(x.response.text, 200)}`,
            contractPath: where,
          },
        ],
        x,
      );
      return;
    }
    items = got;
  }
  const total = (first.x.response.json as { total?: unknown }).total;
  if (typeof total !== 'number') return;
  const last = Math.max(1, Math.ceil(total / PAGE));
  if (last > page) {
    const lx = await call(ctx, rec, op.api, {
      method: 'GET',
      path: `${first.base}?page=${last}&page_size=${PAGE}`,
      op,
    });
    const li = lx.response.status === 200 ? listItems(shape, lx.response.json) : undefined;
    if (!li)
      rec.record(
        'pagination_envelope',
        [
          {
            expected: `200 for the last page (${last}) of ${total} records`,
            actual: `${lx.response.status} ${shorten(lx.response.text, 200)}`,
            contractPath: where,
          },
        ],
        lx,
      );
    else {
      rec.record(
        'pagination_envelope',
        envelopeProblems(lx.response.json, li, { page: last, pageSize: PAGE }, where),
        lx,
      );
      rec.record('pagination_links', envelopeLinkProblems(lx.response.json, { page: last, pageSize: PAGE }, where), lx);
    }
  }
  const past = await call(ctx, rec, op.api, {
    method: 'GET',
    path: `${first.base}?page=${last + 1}&page_size=${PAGE}`,
    op,
  });
  await walkComplete(ctx, rec, op, first.base, where, {
    items: (x) => (x.response.status === 200 ? listItems(shape, x.response.json) : undefined),
    next: (x) => {
      const n = (x.response.json as { links?: { next?: unknown } })?.links?.next;
      return typeof n === 'string' ? n : undefined;
    },
    total: (x) => {
      const t = (x.response.json as { total?: unknown })?.total;
      return typeof t === 'number' ? t : undefined;
    },
  });
  const documented = documentedResponse(op, past.response.status);
  rec.record(
    'pagination_envelope',
    past.response.status >= 400 && past.response.status < 500 && documented
      ? []
      : [
          {
            expected: `a documented 4xx for page ${last + 1}, past the last page`,
            actual: `${past.response.status} ${shorten(past.response.text, 200)}`,
            contractPath: pointer(op, 'parameters'),
          },
        ],
    past,
  );
}

async function walkRanges(ctx: RunContext, rec: CaseRecorder, op: Operation): Promise<void> {
  const first = await firstPage(ctx, rec, op, `page_size=${PAGE}`);
  if (!first) return;
  const where = pointer(op, 'responses', '200', 'headers');
  const total = parseRange(first.x.response.headers['x-resource-range'])?.total;
  const seen = new Set<string>();
  let x = first.x;
  let items = first.items;
  let page = 1;
  for (;;) {
    rec.record('resource_range', rangeProblems(x.response.headers, items, { page, pageSize: PAGE }, where), x);
    if (total !== undefined)
      rec.record('link_header', linkProblems(x.response.headers, { page, pageSize: PAGE }, total, where), x);
    const repeated = items.map(identity).filter((id) => seen.has(id));
    rec.record(
      'pagination_links',
      repeated.length
        ? [
            {
              expected: `page ${page} (reached through rel="page-next") brings new items`,
              actual: `items seen on an earlier page: ${repeated.join(', ')}`,
              contractPath: where,
            },
          ]
        : [],
      x,
    );
    for (const i of items) seen.add(identity(i));
    const next = linkTo(x.response.headers, 'page-next');
    if (!next || page >= WALK_PAGES) break;
    x = await call(ctx, rec, op.api, { method: 'GET', path: next, op });
    page++;
    if (x.response.status !== 200 || !Array.isArray(x.response.json)) {
      rec.record(
        'pagination_links',
        [
          {
            expected: `rel="page-next" of page ${page - 1} answers 200 with a list`,
            actual: `${x.response.status} ${shorten(x.response.text, 200)}`,
            contractPath: where,
          },
        ],
        x,
      );
      return;
    }
    items = x.response.json;
  }
  if (total === undefined) return;
  const lastUrl = linkTo(first.x.response.headers, 'page-last');
  const last = Math.max(1, Math.ceil(total / PAGE));
  if (lastUrl && last > page) {
    const lx = await call(ctx, rec, op.api, { method: 'GET', path: lastUrl, op });
    if (Array.isArray(lx.response.json)) {
      rec.record(
        'resource_range',
        rangeProblems(lx.response.headers, lx.response.json, { page: last, pageSize: PAGE }, where),
        lx,
      );
      rec.record('link_header', linkProblems(lx.response.headers, { page: last, pageSize: PAGE }, total, where), lx);
    }
  }
  await walkComplete(ctx, rec, op, first.base, where, {
    items: (x) => (x.response.status === 200 && Array.isArray(x.response.json) ? x.response.json : undefined),
    next: (x) => linkTo(x.response.headers, 'page-next'),
    total: (x) => parseRange(x.response.headers['x-resource-range'])?.total,
  });
  const past = await call(ctx, rec, op.api, {
    method: 'GET',
    path: `${first.base}?page=${last + 1}&page_size=${PAGE}`,
    op,
  });
  if (Array.isArray(past.response.json))
    rec.record(
      'resource_range',
      rangeProblems(past.response.headers, past.response.json, { page: last + 1, pageSize: PAGE }, where),
      past,
    );
}
