/**
 * The contracts under the ecosystem's OpenAPI linters (Spectral `spectral:oas`, Redocly `recommended`), run as child
 * processes exactly as `npm run lint` runs them: 0 errors and 0 warnings on both contracts. Rules switched off, and
 * single locations ignored, are in .spectral.yaml, redocly.yaml and .redocly.lint-ignore.yaml, each with its reason.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/contracts/load.js';
import { failed, formatReport, lintContracts } from '../scripts/lint-contracts.js';

const LINT_TIMEOUT = 240_000; // four linter processes on a shared machine

const temps: string[] = [];
afterAll(async () => {
  for (const t of temps) await rm(t, { recursive: true, force: true });
});

describe('the contracts under Spectral and Redocly', () => {
  it(
    'report no error and no warning on either contract',
    async () => {
      const report = await lintContracts();
      expect(Object.keys(report.counts).sort()).toEqual([
        'redocly contracts/geonode-v2.yaml',
        'redocly contracts/koordinates-catalog.yaml',
        'spectral contracts/geonode-v2.yaml',
        'spectral contracts/koordinates-catalog.yaml',
      ]);
      // the message lists every operation and tag lacking a description, then every other problem
      expect(failed(report), `\n${formatReport(report)}`).toBe(false);
    },
    LINT_TIMEOUT,
  );

  it(
    'fail on a contract that breaks them, naming the operation and tag without a description',
    async () => {
      const root = await mkdtemp(join(tmpdir(), 'geostub-lint-'));
      temps.push(root);
      for (const f of ['contracts', '.spectral.yaml', 'redocly.yaml', '.redocly.lint-ignore.yaml']) {
        await cp(join(PACKAGE_ROOT, f), join(root, f), { recursive: true });
      }
      const file = join(root, 'contracts/geonode-v2.yaml');
      const lines = (await readFile(file, 'utf8')).split('\n');
      // planted: retrieveUpload loses its description, the owners tag its description, a property its `items`
      const op = lines.indexOf('      operationId: retrieveUpload');
      const desc = lines.findIndex((l, i) => i > op && l.startsWith('      description: '));
      let end = desc + 1;
      while (lines[end].startsWith('        ')) end++;
      lines.splice(desc, end - desc);
      const tag = lines.indexOf('  - name: owners');
      expect(lines[tag + 1]).toMatch(/^ {4}description: /);
      end = tag + 2;
      while (lines[end].startsWith('      ')) end++;
      lines.splice(tag + 1, end - tag - 1);
      const perms = lines.findIndex((l) => l === '        perms: {type: array, items: {type: string}}');
      lines[perms] = '        perms: {type: array}';
      await writeFile(file, lines.join('\n'));

      const report = await lintContracts({ root, apis: ['geonode'] });
      expect(failed(report)).toBe(true);
      expect(report.counts['spectral contracts/geonode-v2.yaml'].errors).toBeGreaterThan(0);
      const text = formatReport(report);
      expect(text).toContain('contracts/geonode-v2.yaml: operations without a description');
      expect(text).toContain('  - GET /api/v2/uploads/{id}/');
      expect(text).toContain('  - tag owners');
      expect(text).toMatch(/array-items/);
    },
    LINT_TIMEOUT,
  );
});
