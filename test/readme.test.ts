/**
 * The README stays true: every contract path is in its endpoint tables, every serve option in its CLI section.
 * Sections written for the README but not merged yet wait in docs/readme/*.md and count as part of it.
 */
import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadContracts } from '../src/contracts/load.js';
import { SERVE_OPTIONS } from '../src/cli/serve-options.js';

async function readmeText(): Promise<string> {
  const pending = await readdir('docs/readme').catch(() => [] as string[]);
  const sections = await Promise.all(pending.filter((f) => f.endsWith('.md')).map((f) => readFile(`docs/readme/${f}`, 'utf8')));
  return [await readFile('README.md', 'utf8'), ...sections].join('\n');
}

describe('README', () => {
  it('lists every path of both contracts', async () => {
    const readme = await readmeText();
    for (const c of await loadContracts()) {
      for (const path of Object.keys(c.doc.paths as object)) expect(readme, path).toContain(`\`${path}\``);
    }
  });

  it('documents every serve option', async () => {
    const readme = await readmeText();
    for (const name of Object.keys(SERVE_OPTIONS)) expect(readme, name).toMatch(new RegExp(`--(no-)?${name}\\b`));
  });
});
