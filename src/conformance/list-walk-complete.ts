/**
 * The completeness walk of the pagination cases (list-cases.ts): the whole list read page by page, every record
 * once and the announced total reached.
 */
import type { Operation } from '../contracts/route-table.js';
import { call, type RunContext } from './context.js';
import type { CaseRecorder } from './recorder.js';
import { shorten } from './recorder.js';
import { identity } from './checks/paging.js';
import type { CheckedExchange, Problem } from './types.js';

/** Pages of the completeness walk: large, so a list of up to 1,000 records is walked in at most 10 requests. */
const FULL_PAGE = 100;
const FULL_PAGES = 10;

export interface PageReader {
  items(x: CheckedExchange): unknown[] | undefined;
  next(x: CheckedExchange): string | undefined;
  total(x: CheckedExchange): number | undefined;
}

/**
 * `pagination_complete`: walk the whole list (pages of 100, following the next links) and compare its union with
 * the announced total: every record appears once (not twice, on one page or two) and none is missing. The other
 * pagination checks look at each page's arithmetic; this one sees a server whose pages are each well formed but
 * together do not hold the list (an unstable order repeats one record and never shows another).
 */
export async function walkComplete(
  ctx: RunContext,
  rec: CaseRecorder,
  op: Operation,
  base: string,
  where: string,
  read: PageReader,
): Promise<void> {
  let x = await call(ctx, rec, op.api, { method: 'GET', path: `${base}?page_size=${FULL_PAGE}`, op });
  const total = read.total(x);
  if (total === undefined || total > FULL_PAGE * FULL_PAGES) return; // no total, or too long to walk in a run
  const seen = new Set<string>();
  const twice: string[] = [];
  for (let page = 1; ; page++) {
    const items = read.items(x);
    if (!items) {
      rec.record(
        'pagination_complete',
        [
          {
            expected: `page ${page} of the walk (${FULL_PAGE} a page) answers 200 with a list`,
            actual: `${x.response.status} ${shorten(x.response.text, 200)}`,
            contractPath: where,
          },
        ],
        x,
      );
      return;
    }
    for (const id of items.map(identity)) {
      if (seen.has(id)) twice.push(id);
      seen.add(id);
    }
    const next = read.next(x);
    if (!next) break;
    const pages = Math.max(1, Math.ceil(total / FULL_PAGE));
    if (page >= pages) {
      rec.record(
        'pagination_complete',
        [
          {
            expected: `the walk ends after ${pages} pages of ${FULL_PAGE} (${total} records)`,
            actual: `page ${page} links to a next page: ${next}`,
            contractPath: where,
          },
        ],
        x,
      );
      return;
    }
    x = await call(ctx, rec, op.api, { method: 'GET', path: next, op });
  }
  const problems: Problem[] = [];
  if (twice.length)
    problems.push({
      expected: `each of the ${total} records once over the walk of ${FULL_PAGE} a page`,
      actual: `${twice.length} records came twice, e.g. ${twice.slice(0, 5).join(', ')}`,
      contractPath: where,
    });
  if (seen.size !== total)
    problems.push({
      expected: `${total} distinct records over the whole walk (the announced total)`,
      actual: `${seen.size} distinct records`,
      contractPath: where,
    });
  rec.record('pagination_complete', problems, x);
}
