/**
 * Usage errors in the user's words: each message names the flag, the value given and what would work, and the CLI
 * exits 2 with it (never a stack trace, never a bare errno code). Shared by every command, and by both ways `serve`
 * is parsed (the fast path and yargs).
 */
import { access, constants, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** A mistake on the command line: printed as one sentence, exit code 2. */
export class UsageError extends Error {}

export const isUsageError = (err: unknown): err is Error => err instanceof UsageError;

/** What an errno code means, in words a person reads (undefined for codes that are not about files). */
const FS_WORDS: Record<string, string> = {
  ENOENT: 'does not exist',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'goes through a file as if it were a folder',
  EACCES: 'cannot be written or read here (permission denied)',
  EPERM: 'cannot be written or read here (not permitted)',
  EEXIST: 'already exists',
  EROFS: 'is on a read-only file system',
  ENOSPC: 'cannot be written: the disk is full',
  EMFILE: 'cannot be opened: too many files are open',
  ENAMETOOLONG: 'has a name that is too long',
  ELOOP: 'has a loop of symbolic links',
};

/** What a node file-system error says, in words ("does not exist"), or undefined when it is not one. */
export function fileWords(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException;
  return e && typeof e.code === 'string' ? FS_WORDS[e.code] : undefined;
}

/** `err` (a node file-system error) as "PATH does not exist"-style words, or undefined when it is not one. */
export function fileProblem(err: unknown): string | undefined {
  const words = fileWords(err);
  if (!words) return undefined;
  const path = (err as NodeJS.ErrnoException).path;
  return path ? `${path} ${words}` : words;
}

/** The text the user typed for an option (`--port abc`, `--port=abc`, `-p abc`), for messages; parsers lose it (NaN). */
export function givenText(argv: readonly string[], name: string, alias?: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === `--${name}` || (alias && a === `-${alias}`)) return argv[i + 1];
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return undefined;
}

const shown = (v: unknown, raw?: string) =>
  JSON.stringify(raw ?? (typeof v === 'number' && Number.isNaN(v) ? 'not a number' : String(v)));

/** A whole number in [min, max], else a UsageError naming the flag, the value and the range. */
export function wholeNumber(
  flag: string,
  value: unknown,
  raw: string | undefined,
  min: number,
  max: number | undefined,
  what: string,
): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && (max === undefined || value <= max))
    return value;
  const range = max === undefined ? `, ${min} or more` : ` from ${min} to ${max}`;
  throw new UsageError(`--${flag} must be a whole number${range} (${what}); got ${shown(value, raw)}`);
}

/** A number ≥ min (fractions allowed), else a UsageError. */
export function numberAtLeast(
  flag: string,
  value: unknown,
  raw: string | undefined,
  min: number,
  what: string,
): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= min) return value;
  throw new UsageError(`--${flag} must be a number, ${min} or more (${what}); got ${shown(value, raw)}`);
}

export function portNumber(flag: string, value: unknown, raw: string | undefined): number {
  return wholeNumber(flag, value, raw, 0, 65535, '0 picks any free port');
}

/** An http(s) URL, else a UsageError. */
export function httpUrl(flag: string, value: string | undefined, example: string): string {
  if (!value) throw new UsageError(`--${flag} is required: give the server's address, e.g. --${flag} ${example}`);
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(
      `--${flag} "${value}" is not an http:// or https:// URL: give the server's address, e.g. --${flag} ${example}`,
    );
  }
  return value;
}

/** An existing, readable file, else a UsageError: "cannot read the NOUN --flag PATH: it does not exist; give …". */
export async function readableFile(flag: string, path: string, noun: string, what: string): Promise<void> {
  const lead = `cannot read the ${noun} --${flag} ${path}`;
  const s = await stat(path).catch((err: unknown) => {
    throw new UsageError(`${lead}: it ${fileWords(err) ?? (err as Error).message}; give ${what}`);
  });
  if (s.isDirectory()) throw new UsageError(`${lead}: it is a folder, not a file; give ${what}`);
  await access(path, constants.R_OK).catch(() => {
    throw new UsageError(`${lead}: permission denied; give ${what}`);
  });
}

/** The nearest part of `path` that exists, when it is a file (a folder cannot be made under it). */
async function fileInTheWay(path: string): Promise<string | undefined> {
  for (let p = resolve(path); ; p = dirname(p)) {
    const s = await stat(p).catch(() => undefined);
    if (s) return s.isDirectory() ? undefined : p;
    if (dirname(p) === p) return undefined;
  }
}

/**
 * A folder that can be created (or exists) and written to, for output: a file in the way, a path through a file or
 * a read-only place are usage errors. Creates the folder.
 */
export async function writableFolder(flag: string, path: string, what: string): Promise<void> {
  const s = await stat(path).catch(() => undefined);
  if (s && !s.isDirectory()) throw new UsageError(`--${flag} ${path} is a file, not a folder; give ${what}`);
  const file = await fileInTheWay(path);
  if (file) throw new UsageError(`--${flag} ${path}: ${file} is a file, so no folder can be made in it; give ${what}`);
  try {
    await mkdir(path, { recursive: true });
    await access(path, constants.W_OK);
  } catch (err) {
    throw new UsageError(
      `--${flag} ${path}: cannot make or write this folder (${fileProblem(err) ?? (err as Error).message}); give ${what}`,
    );
  }
}

/** A file path whose folder can be created and written, and which is not itself a folder. */
export async function writableFilePath(flag: string, path: string, what: string): Promise<void> {
  const s = await stat(path).catch(() => undefined);
  if (s?.isDirectory())
    throw new UsageError(
      `--${flag} ${path} is a folder; give a file path such as ${resolve(path, 'db.json')} (${what})`,
    );
  const dir = dirname(resolve(path));
  const file = await fileInTheWay(dir);
  if (file) throw new UsageError(`--${flag} ${path}: ${file} is a file, so no folder can be made in it; give ${what}`);
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (err) {
    throw new UsageError(
      `--${flag} ${path}: its folder ${dir} cannot be made or written (${fileProblem(err) ?? (err as Error).message}); give ${what}`,
    );
  }
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** The closest of `known` to `word`, when close enough to be a typo (or a prefix). */
export function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = k.startsWith(word) && word.length >= 3 ? 0.5 : distance(word, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** yargs option specs with `requiresArg` on every option that takes a value, so `--port` alone is a usage error. */
export function requireValues<T extends Record<string, { type?: string; array?: boolean }>>(options: T): T {
  return Object.fromEntries(
    Object.entries(options).map(([k, o]) => [k, o.type === 'boolean' || o.array ? o : { ...o, requiresArg: true }]),
  ) as T;
}

/** The names a command accepts on its command line (long names, `no-` forms of booleans, aliases). */
export function knownOptionNames(options: Record<string, { type?: string; alias?: string }>): {
  long: string[];
  short: string[];
} {
  const long = ['help', 'version'];
  const short = ['h'];
  for (const [name, o] of Object.entries(options)) {
    long.push(name);
    if (o.type === 'boolean') long.push(`no-${name}`);
    if (o.alias) (o.alias.length === 1 ? short : long).push(o.alias);
  }
  return { long, short };
}

/**
 * The options on `argv` (after the command) that a command does not know, each with a suggestion when one is close:
 * `--in-memroy` → `--in-memory`.
 */
export function unknownOptions(
  argv: readonly string[],
  known: { long: string[]; short: string[] },
): { given: string; suggestion?: string }[] {
  const out: { given: string; suggestion?: string }[] = [];
  for (const a of argv) {
    if (a === '--') break;
    let m = /^--([^=]+)/.exec(a);
    if (m) {
      if (!known.long.includes(m[1])) {
        const s = closest(m[1], known.long);
        out.push({ given: `--${m[1]}`, ...(s ? { suggestion: `--${s}` } : {}) });
      }
      continue;
    }
    m = /^-([A-Za-z])/.exec(a);
    if (m && !known.short.includes(m[1])) out.push({ given: `-${m[1]}` });
  }
  return out;
}

/** A switch given a value other than true or false (`--allow-writes=sure`), which parsers read silently. */
export function switchValueProblem(
  argv: readonly string[],
  options: Record<string, { type?: string }>,
): string | undefined {
  for (const a of argv) {
    const m = /^--(?:no-)?([^=]+)=(.*)$/.exec(a);
    if (m && options[m[1]]?.type === 'boolean' && !/^(true|false)$/i.test(m[2])) {
      return `--${m[1]} is a switch: give --${m[1]} or --no-${m[1]} (or =true / =false), not "${m[2]}"`;
    }
  }
  return undefined;
}

/** "unknown option --in-memroy (did you mean --in-memory?)" lines for a command, or undefined when all are known. */
export function describeUnknownOptions(
  command: string,
  argv: readonly string[],
  options: Record<string, { type?: string; alias?: string }>,
): string | undefined {
  const unknown = unknownOptions(argv, knownOptionNames(options));
  if (!unknown.length) return undefined;
  return unknown
    .map((u) => `${command}: unknown option ${u.given}${u.suggestion ? `; did you mean ${u.suggestion}?` : ''}`)
    .join('\n');
}
