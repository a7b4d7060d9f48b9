/**
 * JUnit XML: one <testsuite> per case, one <testcase> per check and operation (its failures in one <failure>),
 * a skipped case as a skipped testcase, an unreachable target as one failing testcase. CI systems render it.
 */
import type { CheckRecord, RunReport } from '../types.js';

const esc = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // eslint-disable-next-line no-control-regex -- XML 1.0 forbids these control characters: they are dropped on purpose
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

function testcase(name: string, classname: string, body = ''): string {
  return `    <testcase name="${esc(name)}" classname="${esc(classname)}"${body ? `>\n${body}\n    </testcase>` : ' />'}`;
}

export function renderJunit(report: RunReport): string {
  const suites: string[] = [];
  const stopped = report.unreachable ?? report.unrecognised;
  if (stopped) {
    const check = report.unreachable ? 'target_reachable' : 'target_recognised';
    const body = `      <failure message="${esc(stopped)}" type="${check}">${esc(stopped)}</failure>`;
    suites.push(
      `  <testsuite name="reachability" tests="1" failures="1" skipped="0" time="0">\n${testcase(check, report.target, body)}\n  </testsuite>`,
    );
  }
  for (const c of report.cases) {
    const groups = new Map<string, CheckRecord[]>();
    for (const r of c.checks)
      groups.set(`${r.check}\u0000${r.operation}`, [...(groups.get(`${r.check}\u0000${r.operation}`) ?? []), r]);
    const cases: string[] = [];
    let failures = 0;
    for (const [key, records] of groups) {
      const [check, operation] = key.split('\u0000');
      const failed = records.filter((r) => !r.ok);
      if (!failed.length) {
        cases.push(testcase(check, operation));
        continue;
      }
      failures++;
      const text = failed
        .map((r) => r.failure!)
        .map((f) =>
          [
            f.step && `step: ${f.step}`,
            f.request && `request: ${f.request.method} ${f.request.url}`,
            `expected: ${f.expected}`,
            `actual: ${f.actual}`,
            f.contractPath && `contract: ${f.contractPath}`,
          ]
            .filter(Boolean)
            .join('\n'),
        )
        .join('\n\n');
      cases.push(
        testcase(
          check,
          operation,
          `      <failure message="${esc(failed[0].failure!.expected)}" type="${esc(check)}">${esc(text)}</failure>`,
        ),
      );
    }
    if (c.status === 'skipped' && c.reason)
      cases.push(testcase('run', c.id, `      <skipped message="${esc(c.reason)}" />`));
    const skipped = c.status === 'skipped' && c.reason ? 1 : 0;
    suites.push(
      `  <testsuite name="${esc(c.id)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}" time="${(c.ms / 1000).toFixed(3)}">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  const tests = suites.reduce((n, s) => n + Number(/tests="(\d+)"/.exec(s)![1]), 0);
  const failures = suites.reduce((n, s) => n + Number(/failures="(\d+)"/.exec(s)![1]), 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="geostub conform ${esc(report.target)}" tests="${tests}" failures="${failures}" time="${(report.ms / 1000).toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
