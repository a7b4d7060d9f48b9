/**
 * The README stays true: every contract path is in its endpoint tables, every serve option in its CLI section.
 */
import { readFile, readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadContracts } from '../src/contracts/load.js';
import { SERVE_OPTIONS } from '../src/cli/serve-options.js';

/** README.md and the pages under docs/ (a flag may be documented on its subject's page) */
const readmeText = async () => [await readFile('README.md', 'utf8'), ...(await Promise.all((await readdir('docs')).filter((f) => f.endsWith('.md')).map((f) => readFile(`docs/${f}`, 'utf8'))))].join('\n');

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
