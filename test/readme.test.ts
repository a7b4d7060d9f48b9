/**
 * The docs stay true: docs/endpoints.md is exactly what the generator makes from the contracts (so it lists every
 * contract path), and docs/cli.md names every serve option.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadContracts } from '../src/contracts/load.js';
import { SERVE_OPTIONS } from '../src/cli/serve-options.js';
import { ENDPOINTS_PAGE, endpointTables, withTables } from '../scripts/docs-endpoints.js';

describe('docs/endpoints.md and docs/cli.md', () => {
  it('lists every path of both contracts', async () => {
    const page = await readFile(ENDPOINTS_PAGE, 'utf8');
    for (const c of await loadContracts()) {
      for (const path of Object.keys(c.doc.paths as object)) expect(page, path).toContain(`| \`${path}\` |`);
    }
  });

  it('holds exactly the tables the generator makes from the contracts (npm run docs:endpoints rewrites them)', async () => {
    const page = await readFile(ENDPOINTS_PAGE, 'utf8');
    expect(withTables(page, await endpointTables())).toBe(page);
  });

  it('the generator would notice a table out of step', async () => {
    const page = await readFile(ENDPOINTS_PAGE, 'utf8');
    const stale = page.replace('| `/api/v2/resources/` |', '| `/api/v2/resourcez/` |');
    expect(stale).not.toBe(page);
    expect(withTables(stale, await endpointTables())).not.toBe(stale);
    expect(() => withTables('# Endpoints\n', '')).toThrow(/markers/);
  });

  it('documents every serve option in docs/cli.md', async () => {
    const cli = await readFile('docs/cli.md', 'utf8');
    for (const name of Object.keys(SERVE_OPTIONS)) expect(cli, name).toMatch(new RegExp(`--(no-)?${name}\\b`));
  });
});
