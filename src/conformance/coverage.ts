/**
 * Coverage: which operations of the selected contracts got a request whose answer was checked, and for each one
 * that did not, why (writes not allowed, another shard, --only/--skip, no record to read an id from, the target
 * lacks the feature, no case exercises it).
 */
import type { Operation } from '../contracts/route-table.js';
import type { Case } from './context.js';
import type { Selection } from './cases.js';
import { opKey } from './http.js';
import type { ApiName, CaseResult, Coverage, CoverageEntry } from './types.js';

export function coverageOf(
  ops: Operation[],
  apis: ApiName[],
  cases: Case[],
  selection: Selection,
  results: CaseResult[],
): Coverage {
  const exercised = new Set(results.flatMap((r) => r.exercised));
  const reasons = new Map<string, string>();
  const byId = new Map(results.map((r) => [r.id, r]));
  for (const c of cases) {
    const why =
      selection.left.get(c.id) ??
      byId.get(c.id)?.reason ??
      (byId.get(c.id)?.status === 'failed' ? `${c.id} failed before reaching it` : undefined);
    if (!why) continue;
    for (const op of c.ops) if (!reasons.has(opKey(op))) reasons.set(opKey(op), `${why} (${c.id})`);
  }
  const entries: CoverageEntry[] = ops
    .filter((o) => apis.includes(o.api))
    .map((o) => {
      const key = opKey(o);
      const hit = exercised.has(key);
      return {
        operation: key,
        operationId: o.operationId,
        api: o.api,
        exercised: hit,
        ...(hit ? {} : { reason: reasons.get(key) ?? 'no case or scenario exercises it' }),
      };
    });
  const gets = entries.filter((e) => e.operation.startsWith('GET '));
  return {
    total: entries.length,
    exercised: entries.filter((e) => e.exercised).length,
    gets: { total: gets.length, exercised: gets.filter((e) => e.exercised).length },
    operations: entries,
  };
}
