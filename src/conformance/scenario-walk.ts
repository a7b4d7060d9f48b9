/**
 * `walk:` of a scenario step: follow a list's next page (a `Link` rel or a body path) until there is none, and
 * check that every page answers, every page brings new items, and the items add up to the announced total.
 */
import type { Operation } from '../contracts/route-table.js';
import { call, type RunContext } from './context.js';
import { identity, linkTo, parseRange } from './checks/paging.js';
import { getPath } from './params.js';
import type { CaseRecorder } from './recorder.js';
import { shorten } from './recorder.js';
import type { Step, Walk } from './scenario-load.js';
import type { ApiName, CheckedExchange } from './types.js';

const DEFAULT_MAX_PAGES = 50;

function nextOf(walk: Walk, x: CheckedExchange): string | undefined {
  if ('link' in walk.next) return linkTo(x.response.headers, walk.next.link);
  const v = getPath(x.response.json, walk.next.body);
  return typeof v === 'string' && v ? v : undefined;
}

function totalOf(walk: Walk, x: CheckedExchange): number | undefined {
  if (!walk.total) return undefined;
  if ('header' in walk.total) {
    const raw = x.response.headers[walk.total.header.toLowerCase()];
    return parseRange(raw)?.total ?? (raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined);
  }
  const v = getPath(x.response.json, walk.total.body);
  return typeof v === 'number' ? v : undefined;
}

export async function walkPages(
  ctx: RunContext,
  rec: CaseRecorder,
  api: ApiName,
  op: Operation,
  step: Step,
  first: CheckedExchange,
): Promise<void> {
  const walk = step.walk!;
  const check = step.expect?.check ?? 'page_walk';
  const where = `walk of ${step.send}`;
  const max = walk['max-pages'] ?? DEFAULT_MAX_PAGES;
  const total = totalOf(walk, first);
  const seen = new Set<string>();
  let x = first;
  for (let page = 1; ; page++) {
    const items = getPath(x.response.json, walk.items);
    if (x.response.status !== 200 || !Array.isArray(items)) {
      rec.record(
        check,
        [
          {
            expected: `page ${page} answers 200 with a list`,
            actual: `${x.response.status} ${shorten(x.response.text, 200)}`,
            contractPath: where,
          },
        ],
        x,
        undefined,
        step.name,
      );
      return;
    }
    const repeated = items.map(identity).filter((id) => seen.has(id));
    if (repeated.length) {
      rec.record(
        check,
        [
          {
            expected: `page ${page} brings items not seen before`,
            actual: `already seen: ${repeated.slice(0, 5).join(', ')}`,
            contractPath: where,
          },
        ],
        x,
        undefined,
        step.name,
      );
      return;
    }
    for (const i of items) seen.add(identity(i));
    const next = nextOf(walk, x);
    if (!next) break;
    if (page >= max) return; // a long list: the walk stops without a verdict on the total
    x = await call(ctx, rec, api, { method: 'GET', path: next, op, headers: step.headers }, { step: step.name });
  }
  const problems =
    total === undefined || seen.size === total
      ? []
      : [
          {
            expected: `${total} distinct items over the whole walk (the announced total)`,
            actual: `${seen.size} items`,
            contractPath: where,
          },
        ];
  rec.record(check, problems, x, undefined, step.name);
}
