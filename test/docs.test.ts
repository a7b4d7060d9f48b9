/**
 * The docs a newcomer navigates: README.md stays short (≤ 15 KB), every relative link in README.md and docs/*.md
 * leads to a file that exists and, with a #fragment, to a heading of that file (GitHub's anchor rules), and every
 * page under docs/ can be reached from README.md by following links.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

const README_MAX_BYTES = 15 * 1024;

/** The text outside fenced code blocks, line by line (headings and links inside code are not headings or links). */
function prose(markdown: string): string[] {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const m = /^\s*(`{3,}|~{3,})/.exec(line);
    if (m) {
      if (fence === null) fence = m[1][0];
      else if (m[1][0] === fence) fence = null;
      continue;
    }
    if (fence === null) out.push(line);
  }
  return out;
}

/** GitHub's heading anchors: rendered text, lower case, punctuation dropped, spaces to '-', repeats get -1, -2 … */
function headingAnchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of prose(markdown)) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const text = m[1].replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*]/g, '');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** The link and image targets of a page, outside code blocks and code spans. */
function linkTargets(markdown: string): string[] {
  const targets: string[] = [];
  for (const line of prose(markdown)) {
    const text = line.replace(/`[^`]*`/g, '');
    for (const m of text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(m[1]);
  }
  return targets;
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

/** Problems with the relative links of `file` (a path from the repository root), and the .md pages it links to. */
interface Files {
  read(file: string): Promise<string>;
  exists(file: string): boolean;
  isDirectory(file: string): boolean;
}

async function checkLinks(file: string, files: Files): Promise<{ problems: string[]; pages: string[] }> {
  const { read } = files;
  const problems: string[] = [];
  const pages: string[] = [];
  const text = await read(file);
  for (const target of linkTargets(text)) {
    if (isExternal(target)) continue;
    const [pathPart, fragment] = target.split('#', 2) as [string, string | undefined];
    const to = pathPart === '' ? file : normalize(join(dirname(file), decodeURI(pathPart)));
    if (to.startsWith('..')) {
      problems.push(`${file}: ${target} leaves the repository`);
      continue;
    }
    if (!files.exists(to)) {
      problems.push(`${file}: ${target} → ${to} does not exist`);
      continue;
    }
    if (to.endsWith('.md')) pages.push(to);
    if (fragment !== undefined) {
      if (!to.endsWith('.md') || files.isDirectory(to)) {
        problems.push(`${file}: ${target} has an anchor on a file that is not a markdown page`);
        continue;
      }
      if (!headingAnchors(await read(to)).has(decodeURIComponent(fragment)))
        problems.push(`${file}: ${target}: ${to} has no heading #${fragment}`);
    }
  }
  return { problems, pages };
}

const readText = (f: string) => readFile(f, 'utf8');
const disk: Files = { read: readText, exists: existsSync, isDirectory: (f) => statSync(f).isDirectory() };

async function docsPages(): Promise<string[]> {
  return (await readdir('docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f));
}

describe('docs', () => {
  it(`README.md is at most ${README_MAX_BYTES} bytes`, async () => {
    expect((await readFile('README.md')).byteLength).toBeLessThanOrEqual(README_MAX_BYTES);
  });

  it('every relative link in README.md and docs/*.md leads to a file and heading that exist', async () => {
    const problems: string[] = [];
    for (const file of ['README.md', ...(await docsPages())]) problems.push(...(await checkLinks(file, disk)).problems);
    expect(problems).toEqual([]);
  });

  it('every page under docs/ is reachable from README.md', async () => {
    const reached = new Set<string>(['README.md']);
    const queue = ['README.md'];
    while (queue.length > 0) {
      for (const page of (await checkLinks(queue.shift()!, disk)).pages) {
        if (!reached.has(page)) {
          reached.add(page);
          queue.push(page);
        }
      }
    }
    const unreached = (await docsPages()).filter((p) => !reached.has(p));
    expect(unreached, `not reachable from README.md: ${unreached.join(', ')}`).toEqual([]);
  });

  it('the link check catches a missing file, a missing heading and a link out of the repository', async () => {
    const pages: Record<string, string> = {
      'docs/a.md':
        '# A page\n\n## Second part: `x` {…}\n\nSee [b](b.md), [gone](gone.md), [part](#second-part-x-), [nope](b.md#nope), [up](../../x.md).\n\n```\n[in code](missing.md)\n```\n',
      'docs/b.md': '# B\n',
    };
    const planted: Files = {
      read: async (f) => pages[f] ?? readText(f),
      exists: (f) => f in pages || existsSync(f),
      isDirectory: () => false,
    };
    const { problems } = await checkLinks('docs/a.md', planted);
    expect(problems.some((p) => p.includes('b.md#nope') && p.includes('no heading #nope'))).toBe(true);
    expect(problems.some((p) => p.includes('gone.md') && p.includes('does not exist'))).toBe(true);
    expect(problems.some((p) => p.includes('../../x.md') && p.includes('leaves the repository'))).toBe(true);
    expect(problems.some((p) => p.includes('#second-part-x-'))).toBe(false);
    expect(problems.some((p) => p.includes('missing.md'))).toBe(false);
    expect(problems).toHaveLength(3);
    expect(headingAnchors('# Install\n## Install\n## `--auth off`\n## The inspector: `/__geostub/`\n')).toEqual(
      new Set(['install', 'install-1', '--auth-off', 'the-inspector-__geostub']),
    );
    const real = await checkLinks('README.md', {
      ...disk,
      read: async (f) => (f === 'README.md' ? '[x](docs/cli.md#no-such-heading)' : readText(f)),
    });
    expect(real.problems).toEqual([
      'README.md: docs/cli.md#no-such-heading: docs/cli.md has no heading #no-such-heading',
    ]);
  });
});
