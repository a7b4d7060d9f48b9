/**
 * The source is formatted by Prettier and clean under typescript-eslint, checked here so that `npm test` (and with it
 * `.ci/run`) enforces what `npm run lint` reports. The 300-line rule in architecture.test.ts counts the formatted lines.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';

const SOURCE_DIRS = ['src', 'bin', 'scripts', 'test'];

async function sourceFiles(): Promise<string[]> {
  const out: string[] = [];
  for (const dir of SOURCE_DIRS)
    for (const f of await readdir(dir, { recursive: true })) if (/\.(ts|mjs|js)$/.test(f)) out.push(join(dir, f));
  return out.sort();
}

async function isFormatted(path: string, text: string): Promise<boolean> {
  const options = (await prettier.resolveConfig(path)) ?? {};
  return prettier.check(text, { ...options, filepath: path });
}

const eslint = new ESLint({ cwd: resolve('.') });

function problems(results: ESLint.LintResult[]): string[] {
  return results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line}:${m.column} ${m.ruleId}: ${m.message}`));
}

describe('the source under Prettier and typescript-eslint', () => {
  it('every source file is formatted', async () => {
    const files = await sourceFiles();
    expect(files.length).toBeGreaterThan(200);
    const bad: string[] = [];
    for (const f of files) if (!(await isFormatted(f, await readFile(f, 'utf8')))) bad.push(f);
    expect(bad, 'run `npm run format`').toEqual([]);
  }, 120_000);

  it('ESLint reports no problem', async () => {
    expect(problems(await eslint.lintFiles(SOURCE_DIRS))).toEqual([]);
  }, 120_000);

  it('both fail on a file that breaks them, naming it', async () => {
    const path = 'src/not-a-real-file.ts';
    const text = 'const unused   = 1;\nexport const x: any = "a"\n';
    expect(await isFormatted(path, text)).toBe(false);
    const found = problems(await eslint.lintText(text, { filePath: resolve(path) }));
    expect(found.some((p) => p.includes('not-a-real-file.ts') && p.includes('no-unused-vars'))).toBe(true);
    expect(found.some((p) => p.includes('no-explicit-any'))).toBe(true);
  });
});
