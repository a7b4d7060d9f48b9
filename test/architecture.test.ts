/** House rules frozen as tests: pure layers stay framework-free, generic code never names a GeoNode type. */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await files(p)));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

describe('architecture', () => {
  it('src/query and src/behaviours do not import express or node:http', async () => {
    for (const f of [...(await files('src/query')), ...(await files('src/behaviours'))]) {
      const text = await readFile(f, 'utf8');
      expect(text, f).not.toMatch(/from ['"](express|node:http|node:https)['"]/);
    }
  });

  it('generic machinery does not name GeoNode or catalogue types', async () => {
    const generic = [...(await files('src/store')), ...(await files('src/contracts')), ...(await files('src/server')), ...(await files('src/behaviours'))];
    for (const f of generic) {
      if (f.endsWith('start.ts')) continue; // the one place that plugs the APIs in
      const text = (await readFile(f, 'utf8')).replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(text, f).not.toMatch(/['"](resources|datasets|maps|documents|geoapps|group_profiles|kx_items)['"]/);
      expect(text, f).not.toMatch(/apis\/(geonode|koordinates)/);
    }
  });

  it('every source file stays under 300 lines, or says why', async () => {
    for (const f of [...(await files('src')), ...(await files('bin'))]) {
      const text = await readFile(f, 'utf8');
      const lines = text.split('\n').length;
      if (lines > 300) expect(text, `${f} has ${lines} lines`).toMatch(/longer than 300 lines because/);
    }
  });
});
