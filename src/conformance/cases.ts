/**
 * Case generation: every read operation of the selected contracts gets its generated cases, every path a 405
 * probe, every scenario file one case. Ids are stable, so `--only`, `--skip` and `--shard` select the same cases
 * on every run.
 */
import type { Operation } from '../contracts/route-table.js';
import type { Case } from './context.js';
import { paginationCase } from './list-cases.js';
import { listQueryCases } from './list-query-cases.js';
import { queryDepthCase } from './query-depth.js';
import { koordinatesDepthCase } from './koordinates-depth.js';
import { anonymousCase, invalidParamCase, missingIdCase, requestCase } from './op-cases.js';
import { anonymousMethodCase, methodNotAllowedCase } from './method-cases.js';
import type { Scenario } from './scenario-load.js';
import { scenarioCase } from './scenario-run.js';
import type { ApiName } from './types.js';

export function buildCases(ops: Operation[], scenarios: Scenario[], apis: ApiName[]): Case[] {
  const selected = ops.filter((o) => apis.includes(o.api));
  const cases: Case[] = [];
  for (const op of selected.filter((o) => o.method === 'get')) {
    cases.push(requestCase(op));
    for (const c of [anonymousCase(op), missingIdCase(op), invalidParamCase(op), paginationCase(op)])
      if (c) cases.push(c);
    cases.push(...listQueryCases(op));
    const depth = queryDepthCase(op) ?? koordinatesDepthCase(op);
    if (depth) cases.push(depth);
  }
  const byPath = new Map<string, Operation[]>();
  for (const op of selected) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op]);
  for (const [path, pathOps] of byPath) {
    for (const c of [
      methodNotAllowedCase(pathOps[0].api, path, pathOps),
      anonymousMethodCase(pathOps[0].api, path, pathOps),
    ])
      if (c) cases.push(c);
  }
  for (const s of scenarios.filter((x) => apis.includes(x.api))) cases.push(scenarioCase(s, ops));
  return cases.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** `*` matches anything; a pattern without `*` matches as a case-insensitive substring. */
export function matchesPattern(id: string, pattern: string): boolean {
  const p = pattern.toLowerCase();
  const s = id.toLowerCase();
  if (!p.includes('*')) return s.includes(p);
  const re = new RegExp(
    `^${p
      .split('*')
      .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(s);
}

export interface Selection {
  run: Case[];
  /** case id → why it does not run */
  left: Map<string, string>;
}

export function selectCases(
  cases: Case[],
  o: { allowWrites: boolean; only?: string[]; skip?: string[]; shard?: { index: number; count: number } },
): Selection {
  const left = new Map<string, string>();
  const eligible: Case[] = [];
  for (const c of cases) {
    if (c.writes && !o.allowWrites) left.set(c.id, 'it writes: run with --allow-writes');
    else if (o.only?.length && !o.only.some((p) => matchesPattern(c.id, p))) left.set(c.id, 'not selected by --only');
    else if (o.skip?.some((p) => matchesPattern(c.id, p))) left.set(c.id, 'excluded by --skip');
    else eligible.push(c);
  }
  if (!o.shard) return { run: eligible, left };
  const run: Case[] = [];
  eligible.forEach((c, i) => {
    if (i % o.shard!.count === o.shard!.index - 1) run.push(c);
    else left.set(c.id, `in shard ${(i % o.shard!.count) + 1}/${o.shard!.count}`);
  });
  return { run, left };
}

/** `--only`/`--skip` patterns that select nothing, or an empty selection: a run that checks nothing must not pass. */
export class SelectionError extends Error {}

/** The patterns of `--only` and `--skip` that match no case id at all (whatever --allow-writes or --shard leave). */
export function unmatchedPatterns(
  cases: Case[],
  o: { only?: string[]; skip?: string[] },
): { flag: '--only' | '--skip'; pattern: string }[] {
  const none = (p: string) => !cases.some((c) => matchesPattern(c.id, p));
  return [
    ...(o.only ?? []).filter(none).map((pattern) => ({ flag: '--only' as const, pattern })),
    ...(o.skip ?? []).filter(none).map((pattern) => ({ flag: '--skip' as const, pattern })),
  ];
}

/** A sentence on what case ids look like, with real examples from `cases`, for a selection that matched nothing. */
export function caseIdHint(cases: Case[]): string {
  const pick = (f: (id: string) => boolean) => cases.find((c) => f(c.id))?.id;
  const examples = [
    pick((id) => id.endsWith(' · filter')),
    pick((id) => id.endsWith(' · pagination')),
    pick((id) => id.startsWith('scenario ')),
  ]
    .filter((x): x is string => !!x)
    .map((x) => `"${x}"`);
  const kinds = [
    ...new Set(
      cases
        .filter((c) => c.kind === 'operation')
        .map((c) => c.id.split(' · ')[1]?.replace(/^invalid parameter .*/, 'invalid parameter …'))
        .filter(Boolean),
    ),
  ];
  return `Case ids look like ${examples.join(', ')}; after " · " come ${kinds.join(', ')}. A pattern without * matches any part of an id, ignoring case (--only /api/v2/datasets/, --only "· sort", --only scenario); with * it must match the whole id.`;
}

/** Throw a SelectionError when a pattern matches nothing or nothing is left to run. */
export function assertSelection(
  cases: Case[],
  selection: Selection,
  o: { allowWrites: boolean; only?: string[]; skip?: string[] },
): void {
  const unmatched = unmatchedPatterns(cases, o);
  if (unmatched.length) {
    const list = unmatched.map((u) => `${u.flag} "${u.pattern}"`).join(', ');
    throw new SelectionError(
      `${list} ${unmatched.length === 1 ? 'matches' : 'match'} no case id: a run would check less than it says (or nothing). ${caseIdHint(cases)}`,
    );
  }
  if (selection.run.length === 0) {
    const why = [...new Set(selection.left.values())].map((w) => w.replace(/^in shard .*/, 'in another shard'));
    throw new SelectionError(
      `no case is left to run (${why.join('; ')}), so nothing would be checked.${why.some((w) => w.includes('--allow-writes')) && !o.allowWrites ? ' Add --allow-writes to run the cases that write.' : ''}`,
    );
  }
}
