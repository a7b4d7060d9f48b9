/** House rules frozen as tests: pure layers stay framework-free, generic code never names a GeoNode type. */
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
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
    const generic = [
      ...(await files('src/store')),
      ...(await files('src/contracts')),
      ...(await files('src/server')),
      ...(await files('src/behaviours')),
    ];
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

  it('no import cycles in src/ (type-only imports included)', async () => {
    const graph = new Map<string, string[]>();
    for (const f of await files('src')) {
      const text = await readFile(f, 'utf8');
      const deps = [...text.matchAll(/^(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/gm)].map((m) =>
        join(dirname(f), m[1]).replace(/\.js$/, '.ts'),
      );
      graph.set(f, deps);
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') return void cycles.push([...path.slice(path.indexOf(f)), f].join(' → '));
      state.set(f, 'open');
      for (const d of graph.get(f) ?? []) if (graph.has(d)) visit(d, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of graph.keys()) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('outside src/store, src/, bin/ and scripts/ reach the store only through its entry, src/store/index.ts', async () => {
    // the store's own tests (test/store-*.test.ts, test/journal.test.ts) may test its parts directly
    const store = join('src', 'store') + sep;
    const offenders: string[] = [];
    for (const f of [...(await files('src')), ...(await files('bin')), ...(await files('scripts'))]) {
      if (f.startsWith(store)) continue;
      const text = await readFile(f, 'utf8');
      // static imports and re-exports, side-effect imports and dynamic import()s
      for (const m of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*)['"](\.[^'"]+)['"]/g)) {
        const target = join(dirname(f), m[1]);
        if (target.startsWith(store) && target !== join('src', 'store', 'index.js')) offenders.push(`${f}: ${m[1]}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
