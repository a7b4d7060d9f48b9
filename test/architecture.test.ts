/** House rules frozen as tests: pure layers stay framework-free, generic code never names a GeoNode type. */
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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

/**
 * The layers of src/, lowest first. A file may import from its own layer or a lower one, never a higher one (type-only
 * and dynamic imports included). The APIs' pure query modules (`src/apis/<api>/query/`) sit with src/query: the
 * fixture generators and the conformance cases read their types and parsers. The core's behaviour types name the
 * store and the contract, so the core sits above them.
 */
const LAYERS: [name: string, files: RegExp][] = [
  ['query (pure)', /^src\/(query|apis\/[^/]+\/query)\//],
  ['store, contracts', /^src\/(store|contracts)\//],
  ['core', /^src\/core\//],
  ['fixtures', /^src\/fixtures\//],
  ['apis', /^src\/apis\//],
  ['server', /^src\/server\//],
  ['cli, conformance, inspector, proxy, recording', /^src\/(cli|conformance|inspector|proxy|recording)\//],
  ['programmatic API', /^src\/index\.ts$/],
];

/** The src/ files a file imports: static, type-only, re-exports and dynamic `import('…')`. */
function importsOf(f: string, text: string): string[] {
  const specs = [
    ...text.matchAll(/^(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/gm),
    ...text.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g),
  ];
  return specs.map((m) => join(dirname(f), m[1]).replace(/\.js$/, '.ts'));
}

/** The imports of src/ that run against the layer rule, as `from → to (layer → layer)`. */
async function upwardImports(): Promise<string[]> {
  const layerOf = (f: string) => LAYERS.findIndex(([, re]) => re.test(f));
  const found: string[] = [];
  for (const f of await files('src')) {
    const from = layerOf(f);
    if (from < 0) {
      found.push(`${f} is in no layer: add its folder to LAYERS`);
      continue;
    }
    for (const d of importsOf(f, await readFile(f, 'utf8'))) {
      const to = layerOf(d);
      if (to > from) found.push(`${f} → ${d} (${LAYERS[from][0]} → ${LAYERS[to][0]})`);
      const [fromApi, toApi] = [f, d].map((p) => /^src\/apis\/([^/]+)\//.exec(p)?.[1]);
      if (fromApi && toApi && fromApi !== toApi) found.push(`${f} → ${d} (one API imports another)`);
    }
  }
  return found;
}

describe('architecture', () => {
  it('no upward import between the layers of src/, and no API imports another', async () => {
    expect(await upwardImports()).toEqual([]);
  });

  it("src/query, src/core and the APIs' pure query modules do not import express or node:http", async () => {
    for (const f of [
      ...(await files('src/query')),
      ...(await files('src/core')),
      ...(await files('src/apis/koordinates/query')),
    ]) {
      const text = await readFile(f, 'utf8');
      expect(text, f).not.toMatch(/from ['"](express|node:http|node:https)['"]/);
    }
  });

  it('generic machinery does not name GeoNode or catalogue types', async () => {
    const generic = [
      ...(await files('src/store')),
      ...(await files('src/contracts')),
      ...(await files('src/server')),
      ...(await files('src/core')),
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

  it('no exported name is declared in two modules of src/: one name, one thing', async () => {
    // `export { x } from` re-exports the same binding and is not a declaration; overloads repeat a name in one file.
    // The one exception: src/index.ts declares `runConformance` as the door that loads conformance/runner.ts's on
    // first use, so both public entries (geostub and geostub/conformance) keep the name.
    const DOORS = new Map([['runConformance', ['src/conformance/runner.ts', 'src/index.ts']]]);
    const declared =
      /^export\s+(?:declare\s+)?(?:async\s+)?(?:abstract\s+)?(?:function\*?|const|let|var|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm;
    const where = new Map<string, Set<string>>();
    for (const f of await files('src'))
      for (const m of (await readFile(f, 'utf8')).matchAll(declared))
        where.set(m[1], (where.get(m[1]) ?? new Set()).add(f));
    const twice = [...where]
      .filter(([name, fs]) => fs.size > 1 && String([...fs].sort()) !== String(DOORS.get(name)))
      .map(([name, fs]) => `${name}: ${[...fs].sort().join(', ')}`)
      .sort();
    expect(twice).toEqual([]);
  });

  it('outside src/store, src/, bin/ and scripts/ reach the store only through its entry, src/store/index.ts', async () => {
    // the store's own tests (test/store-*.test.ts, test/journal.test.ts) may test its parts directly
    const offenders: string[] = [];
    for (const f of [...(await files('src')), ...(await files('bin')), ...(await files('scripts'))]) {
      if (f.startsWith('src/store/')) continue;
      for (const d of importsOf(f, await readFile(f, 'utf8')))
        if (d.startsWith('src/store/') && d !== 'src/store/index.ts') offenders.push(`${f} → ${d}`);
    }
    expect(offenders).toEqual([]);
  });
});

describe('comments cite sources a reader can open', () => {
  async function allFiles(dir: string): Promise<string[]> {
    const out: string[] = [];
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) out.push(...(await allFiles(p)));
      else out.push(p);
    }
    return out;
  }

  it('no file in src, bin, scripts, test or the contracts cites the facts notes by section: they are not in the repository', async () => {
    // a section of the facts notes (§3.1, A.5) or one of their files by name, written so this file does not match
    const notes = new RegExp(
      [
        'facts [§A]',
        'facts ' + 'geonode-',
        'dynamic-rest-sem' + 'antics',
        'geonode-(api|releases|clients)\\.md',
        'koordinates-catalog\\.md',
      ].join('|'),
    );
    const offenders: string[] = [];
    for (const dir of ['src', 'bin', 'scripts', 'test'])
      for (const f of await allFiles(dir)) if (notes.test(await readFile(f, 'utf8'))) offenders.push(f);
    // the contracts and their scenarios too: their descriptions reach users on the API reference page, where a bare
    // section number (§6.1) points nowhere either
    for (const f of await allFiles('contracts')) {
      const text = await readFile(f, 'utf8');
      if (notes.test(text) || text.includes('§')) offenders.push(f);
    }
    expect(offenders).toEqual([]);
  });
});

describe('tests wait by polling and count instead of timing', () => {
  it('no test sleeps for a fixed time or measures how long something took (test/helpers/poll.ts is the one wait)', async () => {
    const clockUse =
      /\bsetTimeout\(|\bsetInterval\(|performance\.now\(|timers\/promises|Date\.now\(\)\s*-|-\s*Date\.now\(\)|\bms\)\.toBeLessThan\(/;
    const offenders: string[] = [];
    for (const f of await files('test'))
      if (f !== join('test', 'helpers', 'poll.ts') && clockUse.test(await readFile(f, 'utf8'))) offenders.push(f);
    expect(offenders).toEqual([]);
  });
});
