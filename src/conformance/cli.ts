/**
 * `geostub conform`: parse the options, run, print the console report, write the requested files, and answer the
 * exit status (0 all passed, 1 a check failed, 2 usage error, 3 target unreachable, or not an API asked for).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { conformOptionsFrom, UsageError, type ConformArgs } from './options.js';
import { progressLine, renderConsole, type Out } from './reporters/console.js';
import { renderJson } from './reporters/json.js';
import { renderJunit } from './reporters/junit.js';
import { exitCode, runConformance } from './runner.js';
import { SelectionError } from './cases.js';

export async function conformCommand(
  args: ConformArgs,
  out: Out = process.stdout,
  err: Out = process.stderr,
): Promise<number> {
  let parsed: ReturnType<typeof conformOptionsFrom>;
  try {
    parsed = conformOptionsFrom(args);
  } catch (e) {
    if (e instanceof UsageError) {
      err.write(`geostub conform: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  let report: Awaited<ReturnType<typeof runConformance>>;
  try {
    report = await runConformance({ ...parsed.options, onProgress: progressLine(err) });
  } catch (e) {
    if (e instanceof SelectionError) {
      err.write(`geostub conform: ${e.message}\n`);
      return 2;
    }
    // a scenario file that does not parse, a contract that does not load: say what, without a stack trace
    err.write(`geostub conform: ${(e as Error).message}\n`);
    return 1;
  }
  if (parsed.options.showSecrets)
    err.write(
      'geostub conform: --show-secrets: credentials are kept in clear in this output and the report files (local debugging only)\n',
    );
  out.write(renderConsole(report));
  for (const r of parsed.reports) {
    await mkdir(dirname(r.file), { recursive: true });
    await writeFile(r.file, r.format === 'junit' ? renderJunit(report) : renderJson(report));
    out.write(`wrote the ${r.format === 'junit' ? 'JUnit' : 'JSON'} report to ${r.file}\n`);
  }
  return exitCode(report);
}
