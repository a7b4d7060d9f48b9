/**
 * The console reporter: a live progress line while the run goes, then the summary table (per operation and per
 * check), every failure with its request, expectation, answer and contract path, the coverage and the verdict.
 */
import type { Failure, Progress, RunReport } from '../types.js';

export interface Out {
  write(text: string): void;
  isTTY?: boolean;
}

/** A progress callback drawing one line (rewritten in place on a terminal, every 10% otherwise). */
export function progressLine(out: Out): (p: Progress) => void {
  let lastTenth = -1;
  return (p) => {
    const line = `[${String(p.done).padStart(String(p.total).length)}/${p.total}] ${p.failed} failed · ${p.current}`;
    if (out.isTTY) {
      const cols = 110;
      out.write(
        `\r${line.length > cols ? `${line.slice(0, cols - 1)}…` : line.padEnd(cols)}${p.done === p.total ? '\n' : ''}`,
      );
      return;
    }
    const tenth = Math.floor((p.done / Math.max(1, p.total)) * 10);
    if (tenth !== lastTenth || p.done === p.total) {
      lastTenth = tenth;
      out.write(`${line}\n`);
    }
  };
}

/** Columns padded to one width: the first (and with `textLast` the last) left-aligned, the others right-aligned. */
function table(rows: string[][], head: string[], textLast = false): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const left = (i: number) => i === 0 || (textLast && i === head.length - 1);
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (left(i) ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [fmt(head), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

/** The widest a per-lookup line gets before the list goes on on the next line (the catalogue lists many names). */
const LOOKUP_WIDTH = 64;

/** `parts` joined by ', ' into lines of at most `width` characters (a part longer than that alone on its line). */
function wrap(parts: string[], width: number): string[] {
  const lines: string[] = [];
  for (const p of parts) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 2 + p.length + 1 <= width) lines[last] += `, ${p}`;
    else lines.push(p);
  }
  return lines.map((l, i) => (i < lines.length - 1 ? `${l},` : l));
}

function failureText(f: Failure, n: number): string {
  const lines = [`${n}. ${f.check} — ${f.operation}`, `   case:     ${f.case}${f.step ? ` · step "${f.step}"` : ''}`];
  if (f.request) lines.push(`   request:  ${f.request.method} ${f.request.url}`);
  if (f.request?.body) lines.push(`   body:     ${f.request.body}`);
  lines.push(`   expected: ${f.expected}`, `   actual:   ${f.actual}`);
  if (f.contractPath) lines.push(`   contract: ${f.contractPath}`);
  return lines.join('\n');
}

export function renderConsole(report: RunReport): string {
  // nothing was checked: one line that says what was found, for a CI log
  if (report.unreachable) return `UNREACHABLE: ${report.unreachable}; nothing was checked.\n`;
  if (report.unrecognised) return `NOT RECOGNISED: ${report.unrecognised}; nothing was checked.\n`;
  const parts: string[] = [];
  parts.push(
    `geostub conform ${report.target} (${report.apis.join(', ')}${report.allowWrites ? ', writes allowed' : ', read-only'}${report.shard ? `, shard ${report.shard.index}/${report.shard.count}` : ''})`,
  );
  if (report.geonode && !report.unreachable) {
    const g = report.geonode;
    parts.push(
      `checked as GeoNode ${g.release === 5 ? '5.x' : '4.x'} (${g.how === 'given' ? `--geonode ${g.release}` : `--geonode auto: ${g.evidence.join('; ')}`})`,
    );
  }
  for (const n of report.notes ?? []) parts.push(`NOTE: ${n}`);
  const byOp = new Map<string, { run: number; failed: number; checks: Set<string> }>();
  const byCheck = new Map<string, { run: number; failed: number }>();
  for (const c of report.cases.flatMap((r) => r.checks)) {
    const o = byOp.get(c.operation) ?? { run: 0, failed: 0, checks: new Set<string>() };
    o.run++;
    if (!c.ok) {
      o.failed++;
      o.checks.add(c.check);
    }
    byOp.set(c.operation, o);
    const k = byCheck.get(c.check) ?? { run: 0, failed: 0 };
    k.run++;
    if (!c.ok) k.failed++;
    byCheck.set(c.check, k);
  }
  parts.push(
    '',
    'Per operation',
    table(
      [...byOp]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([op, s]) => [op, String(s.run), String(s.failed), [...s.checks].join(', ') || '-']),
      ['operation', 'checks', 'failed', 'failing checks'],
    ),
  );
  parts.push(
    '',
    'Per check',
    table(
      [...byCheck]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([check, s]) => [check, String(s.run - s.failed), String(s.failed)]),
      ['check', 'passed', 'failed'],
    ),
  );
  if (report.failures.length)
    parts.push('', `Failures (${report.failures.length})`, ...report.failures.map((f, i) => failureText(f, i + 1)));
  const skipped = report.cases.filter((c) => c.status === 'skipped');
  if (skipped.length)
    parts.push('', `Skipped or cut short (${skipped.length})`, ...skipped.map((c) => `  ${c.id}: ${c.reason}`));
  const q = report.queryCases;
  if (q?.total) {
    parts.push(
      '',
      `Query cases (${q.total}, --query-depth ${q.depth})`,
      table(
        Object.entries(q.byKind)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .flatMap(([kind, by]) =>
            wrap(
              Object.entries(by).map(([l, n]) => `${l} ${n}`),
              LOOKUP_WIDTH,
            ).map((line, i) =>
              i ? ['', '', line] : [kind, String(Object.values(by).reduce((x, y) => x + y, 0)), line],
            ),
          ),
        ['kind', 'cases', 'per lookup'],
        true,
      ),
    );
  }
  const cov = report.coverage;
  parts.push(
    '',
    `Coverage: ${cov.exercised}/${cov.total} operations exercised (GET ${cov.gets.exercised}/${cov.gets.total})`,
  );
  const why = new Map<string, string[]>();
  for (const e of cov.operations.filter((x) => !x.exercised)) {
    const reason = (e.reason ?? '').replace(/ \([^()]*\)$/, '');
    why.set(reason, [...(why.get(reason) ?? []), e.operation]);
  }
  for (const [reason, ops] of why)
    parts.push(`  not exercised (${ops.length}) — ${reason}:`, ...ops.map((o) => `    ${o}`));
  if (report.leftovers.length)
    parts.push('', 'Left on the target (no operation removes them):', ...report.leftovers.map((l) => `  ${l}`));
  const s = report.summary;
  parts.push(
    '',
    `${s.checksFailed ? 'FAILED' : 'PASSED'}: ${s.checks - s.checksFailed}/${s.checks} checks passed in ${s.cases} cases (${s.casesFailed} failed, ${s.casesSkipped} skipped) in ${(report.ms / 1000).toFixed(1)} s`,
  );
  return parts.join('\n') + '\n';
}
