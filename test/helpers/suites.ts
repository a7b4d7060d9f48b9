/**
 * Which test files `npm run test:fast` runs, decided by what each file does rather than by a list kept by hand: a file
 * that starts a server, runs a child process, drives a browser, fuzzes or runs the linters is slow and stays in
 * `npm test` only; every other file (the pure modules, the store on real files, behaviours called in-process) is
 * fast. A single heavy case inside a fast file is tagged `slow` (`it(name, { tags: ['slow'] }, …)`).
 *
 * The classification cannot drift silently: the fast project's set-up (fast-guard.ts) makes opening a port or
 * starting a process throw, so a file that does either without one of the signs below fails `npm run test:fast`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** What makes a test file slow, as a sign in its text and the reason given for it. */
export const SLOW_SIGNS: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /\bstart\w*(Server|Servers|Geostub)\b|\bstartWith\w+|\bbothProfiles\b|\bcreateServer\b|\.listen\(/,
    'starts a server on a real port',
  ],
  [/node:child_process|helpers\/child|\brunCli\b|lint-contracts/, 'runs child processes'],
  [/helpers\/browser|playwright/, 'drives a browser'],
  [/fast-check|helpers\/fuzz/, 'fuzzes'],
  [/from 'eslint'|from 'prettier'/, 'runs the linters over the whole source'],
];

/** Why a test file is slow (every reason its text shows), or undefined when it is fast. */
export function slowReason(text: string): string | undefined {
  const reasons = SLOW_SIGNS.filter(([sign]) => sign.test(text)).map(([, reason]) => reason);
  return reasons.length ? reasons.join(', ') : undefined;
}

/** Every test file under `dir`, as a path relative to the repository root (`test/x.test.ts`). */
export function testFiles(dir = 'test'): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join(dir, f))
    .sort();
}

/** The test files `npm run test:fast` runs. */
export function fastTestFiles(dir = 'test'): string[] {
  return testFiles(dir).filter((f) => slowReason(readFileSync(f, 'utf8')) === undefined);
}
