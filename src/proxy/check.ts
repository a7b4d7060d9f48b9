/**
 * The proxy's contract check of one answer: the same response checks the conformance runner applies (status
 * documented, content type, body schema, documented headers), run on whatever the front end asked for.
 */
import { matchRoute, type Method, type Route } from '../contracts/route-table.js';
import type { ContractValidators } from '../contracts/validators.js';
import { RESPONSE_CHECKS } from '../conformance/checks/response.js';
import type { CheckedExchange, Received } from '../conformance/types.js';

export interface Finding {
  check: string;
  /** `METHOD /path/template/` of the contract, or `-` when no operation matches */
  operation: string;
  expected: string;
  actual: string;
  /** JSON pointer into the contract */
  contractPath?: string;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

function received(a: Answer, ms: number): Received {
  const mediaType = (a.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  let json: unknown;
  if (a.text && /json/.test(mediaType)) {
    try {
      json = JSON.parse(a.text);
    } catch {
      json = undefined;
    }
  }
  return { status: a.status, headers: a.headers, mediaType, text: a.text, json, ms };
}

/** What is wrong with `answer` to `method url` according to the contracts (empty when nothing is). */
export function checkAnswer(
  routes: Route[],
  validators: ContractValidators,
  method: string,
  url: string,
  answer: Answer,
  ms = 0,
): Finding[] {
  const m = method.toUpperCase();
  if (m === 'OPTIONS') return []; // CORS preflights and DRF metadata: not in the contracts' scope
  const q = url.indexOf('?');
  const pathname = q >= 0 ? url.slice(0, q) : url;
  const match = matchRoute(routes, pathname);
  const route = match && !(match.route.slash === 'none' && match.slashed) ? match.route : undefined;
  if (route && route.slash === 'required' && !match!.slashed && answer.status >= 300 && answer.status < 400) return []; // the slash redirect
  const op = route?.operations.get((m === 'HEAD' ? 'get' : m.toLowerCase()) as Method);
  if (!op) {
    if (answer.status >= 400) return []; // an unknown path or method refused: nothing the contracts promise
    return [
      {
        check: 'operation_documented',
        operation: route ? `${m} ${route.path}` : '-',
        expected: route
          ? `one of the documented methods ${[...route.operations.keys()].map((x) => x.toUpperCase()).join(', ')}`
          : 'a path of the contracts',
        actual: `${m} ${pathname} answered ${answer.status}`,
      },
    ];
  }
  const exchange: CheckedExchange = { request: { method: m, url, headers: {} }, response: received(answer, ms), op };
  const findings: Finding[] = [];
  for (const check of RESPONSE_CHECKS) {
    for (const p of check.run(exchange, { validators })) {
      findings.push({
        check: check.name,
        operation: `${m} ${op.path}`,
        expected: p.expected,
        actual: p.actual,
        contractPath: p.contractPath,
      });
    }
  }
  return findings;
}

export const describeFinding = (f: Finding) => `${f.check}: expected ${f.expected}; got ${f.actual}`;
