/**
 * The ecosystem's OpenAPI linters over both contracts: Spectral (`spectral:oas`, `.spectral.yaml`) and Redocly CLI
 * (`recommended`, `redocly.yaml` + `.redocly.lint-ignore.yaml`). Each runs as a child process per contract with JSON
 * output; any error or warning fails. `npm run lint` runs it after `geostub lint`; test/contracts-lint.test.ts runs it
 * in the test suite, so CI enforces it.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { CONTRACT_FILES, loadContract, PACKAGE_ROOT, type JsonObject } from '../src/contracts/load.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

export type Linter = 'spectral' | 'redocly';

export interface LintProblem {
  linter: Linter;
  /** the contract file, relative to the package root */
  file: string;
  rule: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  /** JSON pointer-ish location (`paths./api/v2/x/.get`) */
  where: string;
  line?: number;
}

export interface LintReport {
  problems: LintProblem[];
  /** errors and warnings per linter and contract: `{"spectral contracts/geonode-v2.yaml": {errors, warnings}}` */
  counts: Record<string, { errors: number; warnings: number }>;
}

/** The JS entry of a package's CLI (run with this Node: no shell, no PATH lookup, works the same on every OS). */
function cliOf(pkg: string, bin: string): string {
  const manifest = require.resolve(`${pkg}/package.json`, { paths: [PACKAGE_ROOT] });
  const bins = (require(manifest) as { bin: Record<string, string> }).bin;
  return join(dirname(manifest), bins[bin]);
}

/** A linter exits non-zero when it finds problems; its JSON report is still on stdout. */
async function jsonOf(root: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<unknown> {
  let stdout: string;
  try {
    ({ stdout } = await run(process.execPath, args, {
      cwd: root,
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    }));
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    if (!e.stdout?.trim())
      throw new Error(`${args.slice(0, 3).join(' ')} failed without a report: ${e.stderr || e.message}`);
    stdout = e.stdout;
  }
  return JSON.parse(stdout);
}

const SPECTRAL_SEVERITY = ['error', 'warning', 'info', 'hint'] as const;

async function spectral(root: string, file: string): Promise<LintProblem[]> {
  const args = [
    cliOf('@stoplight/spectral-cli', 'spectral'),
    'lint',
    file,
    '--ruleset',
    '.spectral.yaml',
    '--format',
    'json',
    '--fail-severity',
    'warn',
    '--quiet',
  ];
  const results = (await jsonOf(root, args)) as {
    code: string;
    message: string;
    severity: number;
    path: string[];
    range?: { start: { line: number } };
  }[];
  return results.map((r) => ({
    linter: 'spectral',
    file,
    rule: String(r.code),
    severity: SPECTRAL_SEVERITY[r.severity] ?? 'error',
    message: r.message,
    where: r.path.join('.'),
    line: r.range ? r.range.start.line + 1 : undefined,
  }));
}

async function redocly(root: string, api: string, file: string): Promise<LintProblem[]> {
  const args = [cliOf('@redocly/cli', 'redocly'), 'lint', api, '--format', 'json', '--max-problems', '10000'];
  const report = (await jsonOf(root, args, { REDOCLY_SUPPRESS_NOTIFICATIONS: 'true', REDOCLY_TELEMETRY: 'off' })) as {
    problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
  };
  return report.problems.map((p) => ({
    linter: 'redocly',
    file,
    rule: p.ruleId,
    severity: p.severity === 'warn' ? 'warning' : p.severity === 'error' ? 'error' : 'info',
    message: p.message,
    where: p.location[0]?.pointer ?? '',
  }));
}

export interface LintOptions {
  /** the directory holding contracts/ and the linters' configuration (default: the package root) */
  root?: string;
  /** which contracts (default: both) */
  apis?: (keyof typeof CONTRACT_FILES)[];
}

/** Run both linters over the contracts (the redocly.yaml api names are the CONTRACT_FILES keys). */
export async function lintContracts(options: LintOptions = {}): Promise<LintReport> {
  const root = options.root ?? PACKAGE_ROOT;
  const apis = options.apis ?? (Object.keys(CONTRACT_FILES) as (keyof typeof CONTRACT_FILES)[]);
  const jobs: Promise<LintProblem[]>[] = [];
  const counts: LintReport['counts'] = {};
  for (const api of apis) {
    const file = CONTRACT_FILES[api];
    jobs.push(spectral(root, file), redocly(root, api, file));
    counts[`spectral ${file}`] = { errors: 0, warnings: 0 };
    counts[`redocly ${file}`] = { errors: 0, warnings: 0 };
  }
  const problems = (await Promise.all(jobs)).flat();
  // name a tag instead of its index (`tags.9` → `tag owners`)
  const tagNames = new Map<string, string[]>();
  for (const api of apis) {
    const file = CONTRACT_FILES[api];
    const doc = (await loadContract(join(root, file))).doc;
    tagNames.set(
      file,
      ((doc.tags ?? []) as JsonObject[]).map((t) => String(t.name)),
    );
  }
  for (const p of problems) {
    const m = /^(?:#\/)?tags[./](\d+)/.exec(p.where);
    if (m) p.where = `tag ${tagNames.get(p.file)?.[Number(m[1])] ?? m[1]}`;
  }
  for (const p of problems) {
    const c = counts[`${p.linter} ${p.file}`];
    if (p.severity === 'error') c.errors++;
    else if (p.severity === 'warning') c.warnings++;
  }
  return { problems, counts };
}

const DESCRIPTION_RULES = new Set(['operation-description', 'operation-summary', 'tag-description']);

/** `paths./api/v2/x/.get` or `#/paths/~1api~1v2~1x~1/get` → `GET /api/v2/x/`. */
function operationName(where: string): string {
  const segs = where.startsWith('#/')
    ? where
        .slice(2)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    : where.split('.');
  if (segs[0] === 'paths' && segs.length >= 3) return `${segs[2].toUpperCase()} ${segs[1]}`;
  return where;
}

/** A readable report: counts, then the operations and tags lacking text, then every other problem. */
export function formatReport(report: LintReport): string {
  const lines = Object.entries(report.counts).map(([k, c]) => `${k}: ${c.errors} errors, ${c.warnings} warnings`);
  const missing = new Map<string, Set<string>>();
  const other: string[] = [];
  for (const p of report.problems) {
    if (p.severity !== 'error' && p.severity !== 'warning') continue;
    if (DESCRIPTION_RULES.has(p.rule)) {
      const key = `${p.file}: ${p.rule === 'operation-summary' ? 'operations without a summary' : p.rule === 'tag-description' ? 'tags without a description' : 'operations without a description'}`;
      if (!missing.has(key)) missing.set(key, new Set());
      missing.get(key)!.add(operationName(p.where));
    } else {
      other.push(
        `${p.file}${p.line ? `:${p.line}` : ''} ${p.linter} ${p.severity} ${p.rule}: ${p.message} (${p.where})`,
      );
    }
  }
  for (const [key, ops] of missing) {
    lines.push(`${key} (write 1–3 sentences from the real server's behaviour next to each):`);
    for (const op of [...ops].sort()) lines.push(`  - ${op}`);
  }
  return [...lines, ...other].join('\n');
}

export const failed = (report: LintReport) => Object.values(report.counts).some((c) => c.errors + c.warnings > 0);

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const report = await lintContracts().catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
  console.log(formatReport(report));
  if (failed(report)) {
    console.error(
      `contract lint failed (rules and reasons: ${relative(process.cwd(), join(PACKAGE_ROOT, '.spectral.yaml'))}, redocly.yaml, .redocly.lint-ignore.yaml)`,
    );
    process.exitCode = 1;
  }
}
