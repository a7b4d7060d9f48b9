/** Collects what the checks of one case found, as CheckRecords with full Failures. */
import { opKey } from './http.js';
import type { CheckRecord, CheckedExchange, Failure, Problem } from './types.js';

export class CaseRecorder {
  readonly checks: CheckRecord[] = [];
  readonly exercised = new Set<string>();
  /** a reason the case stopped early without failing (the target lacks an optional feature, …) */
  skipped?: string;
  /** query cases run (`--query-depth`), by `kind lookup` */
  readonly queryCases: Record<string, number> = {};

  constructor(readonly caseId: string) {}

  /** Record one check: passed when `problems` is empty, else one failure per problem. */
  record(check: string, problems: Problem[], x?: CheckedExchange, operation?: string, step?: string): boolean {
    const op = operation ?? (x?.op ? opKey(x.op) : '-');
    if (problems.length === 0) {
      this.checks.push({ check, operation: op, ok: true });
      return true;
    }
    for (const p of problems) {
      const failure: Failure = {
        check,
        case: this.caseId,
        operation: op,
        expected: p.expected,
        actual: p.actual,
        ...(p.contractPath ? { contractPath: p.contractPath } : {}),
        ...(x
          ? {
              request: {
                method: x.request.method,
                url: x.request.url,
                ...(x.request.body !== undefined ? { body: shorten(x.request.body, 600) } : {}),
              },
            }
          : {}),
        ...(step ? { step } : {}),
      };
      this.checks.push({ check, operation: op, ok: false, failure });
    }
    return false;
  }

  /** Count one query case of a field kind and lookup. */
  tally(kind: string, lookup: string): void {
    const k = `${kind} ${lookup}`;
    this.queryCases[k] = (this.queryCases[k] ?? 0) + 1;
  }

  get failed(): boolean {
    return this.checks.some((c) => !c.ok);
  }
}

export function shorten(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}

/** A short rendering of a value for `actual`/`expected`. */
export function show(value: unknown, max = 300): string {
  if (value === undefined) return '(absent)';
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return shorten(text, max);
}
