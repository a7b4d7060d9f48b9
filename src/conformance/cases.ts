/**
 * Case generation: every read operation of the selected contracts gets its generated cases, every path a 405
 * probe, every scenario file one case. Ids are stable, so `--only`, `--skip` and `--shard` select the same cases
 * on every run.
 */
import type { Operation } from '../contracts/route-table.js';
import type { Case } from './context.js';
import { paginationCase } from './list-cases.js';
import { listQueryCases } from './list-query-cases.js';
import { anonymousCase, anonymousMethodCase, invalidParamCase, methodNotAllowedCase, missingIdCase, requestCase } from './op-cases.js';
import type { Scenario } from './scenario-load.js';
import { scenarioCase } from './scenario-run.js';
import type { ApiName } from './types.js';

export function buildCases(ops: Operation[], scenarios: Scenario[], apis: ApiName[]): Case[] {
  const selected = ops.filter((o) => apis.includes(o.api));
  const cases: Case[] = [];
  for (const op of selected.filter((o) => o.method === 'get')) {
    cases.push(requestCase(op));
    for (const c of [anonymousCase(op), missingIdCase(op), invalidParamCase(op), paginationCase(op)]) if (c) cases.push(c);
    cases.push(...listQueryCases(op));
  }
  const byPath = new Map<string, Operation[]>();
  for (const op of selected) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op]);
  for (const [path, pathOps] of byPath) {
    for (const c of [methodNotAllowedCase(pathOps[0].api, path, pathOps), anonymousMethodCase(pathOps[0].api, path, pathOps)]) if (c) cases.push(c);
  }
  for (const s of scenarios.filter((x) => apis.includes(x.api))) cases.push(scenarioCase(s, ops));
  return cases.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** `*` matches anything; a pattern without `*` matches as a case-insensitive substring. */
export function matchesPattern(id: string, pattern: string): boolean {
  const p = pattern.toLowerCase();
  const s = id.toLowerCase();
  if (!p.includes('*')) return s.includes(p);
  const re = new RegExp(`^${p.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(s);
}

export interface Selection {
  run: Case[];
  /** case id → why it does not run */
  left: Map<string, string>;
}

export function selectCases(cases: Case[], o: { allowWrites: boolean; only?: string[]; skip?: string[]; shard?: { index: number; count: number } }): Selection {
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
