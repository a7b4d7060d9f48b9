/** Request logs (text, colours, JSON, --quiet) and watch mode (fixtures and contracts reloaded in a running server). */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { launch } from '../src/cli/serve.js';
import { fastServeArgs, type ServeArgs } from '../src/cli/serve-options.js';
import { formatExchange, useColor } from '../src/cli/log-format.js';
import { startGeostub } from '../src/index.js';
import { watchGeostub, type ReloadEvent } from '../src/server/watch.js';
import { readCollectionsFile, writeCollectionsFile } from '../src/store/index.js';
import { until } from './helpers/poll.js';

const ARGS: ServeArgs = fastServeArgs(['serve', '--port', '0', '--in-memory'])!;
const ADMIN = {
  Authorization: 'Basic ' + Buffer.from('admin:admin').toString('base64'),
  'Content-Type': 'application/json',
};

describe('request logs', () => {
  const exchange = {
    id: 1,
    at: '2025-06-01T12:00:00.123Z',
    method: 'GET',
    url: '/api/v2/resources/?page=2',
    status: 404,
    ms: 3.21,
    user: 'alice',
    error: 'invalidPage',
    violations: ['response_schema: expected x; got y'],
    requestHeaders: {},
    responseHeaders: {},
  };

  it('one line per request: time, method, path, status, duration, user, error, violations; coloured only when asked', () => {
    const plain = formatExchange(exchange, { format: 'text', color: false });
    expect(plain).toBe(
      '12:00:00.123 GET    /api/v2/resources/?page=2 404 3.2 ms alice invalidPage 1 violation\n    ✗ response_schema: expected x; got y',
    );
    const coloured = formatExchange(exchange, { format: 'text', color: true });
    expect(coloured).toContain('\x1b[33m404\x1b[0m');
    // eslint-disable-next-line no-control-regex -- the ANSI colour escape is what this test strips
    expect(coloured.replace(/\x1b\[[\d;]*m/g, '')).toBe(plain);
    expect(JSON.parse(formatExchange(exchange, { format: 'json', color: true }))).toEqual({
      time: exchange.at,
      method: 'GET',
      path: '/api/v2/resources/?page=2',
      status: 404,
      ms: 3.2,
      user: 'alice',
      error: 'invalidPage',
      violations: exchange.violations,
    });
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
  });

  it('serve prints a line per API request (not for /__geostub), JSON lines with --log-format json, nothing with --quiet', async () => {
    for (const [extra, expectLines] of [
      [{}, 'text'],
      [{ 'log-format': 'json' }, 'json'],
      [{ quiet: true }, 'none'],
    ] as const) {
      const lines: string[] = [];
      const running = await launch({ ...ARGS, ...extra }, (l) => lines.push(l));
      try {
        await (await fetch(`${running.url}/api/v2/regions/1/`)).text();
        await (await fetch(`${running.url}/__geostub/health`)).text();
        const logged = lines.filter((l) => l.includes('/api/v2/regions/1/') && !l.includes('listening'));
        if (expectLines === 'none') expect(logged).toEqual([]);
        else if (expectLines === 'json') {
          expect(JSON.parse(lines[0])).toMatchObject({ event: 'listening', url: running.url });
          expect(JSON.parse(logged[0])).toMatchObject({
            method: 'GET',
            path: '/api/v2/regions/1/',
            status: 200,
            violations: [],
          });
        } else expect(logged[0]).toMatch(/GET +\/api\/v2\/regions\/1\/ 200 \d+\.\d ms$/);
        expect(lines.some((l) => l.includes('/__geostub/health'))).toBe(false);
      } finally {
        await running.close();
      }
    }
  });

  it('serve refuses a bad --log-format, a bad --config and --watch-reset without --watch', async () => {
    await expect(launch({ ...ARGS, 'log-format': 'xml' })).rejects.toThrow(/--log-format takes text or json/);
    await expect(launch({ ...ARGS, config: '/nonexistent/rules.yaml' })).rejects.toThrow(/cannot read the config file/);
    await expect(launch({ ...ARGS, 'watch-reset': true })).rejects.toThrow(/--watch-reset goes with --watch/);
  });
});

/** A copy of the seed fixtures in a temporary directory, and a way to change one of their records. */
async function fixtureCopy() {
  const dir = await mkdtemp(join(tmpdir(), 'geostub-watch-'));
  await cp(join('fixtures', 'geonode.json'), join(dir, 'geonode.json'));
  await cp(join('fixtures', 'koordinates.json'), join(dir, 'koordinates.json'));
  const edit = async (change: (c: Record<string, Record<string, unknown>[]>) => void) => {
    const file = join(dir, 'geonode.json');
    const { head, collections } = await readCollectionsFile(file);
    change(collections);
    await writeCollectionsFile(file, head, Object.entries(collections));
  };
  return { dir, edit };
}

const title = async (url: string, pk: string) =>
  (await (await fetch(`${url}/api/v2/resources/${pk}/`, { headers: ADMIN })).json()).resource.title;

describe('watch mode', () => {
  it('takes fixture changes in and keeps what was written through the API', async () => {
    const { dir, edit } = await fixtureCopy();
    const lines: string[] = [];
    const running = await launch({ ...ARGS, fixtures: dir, watch: true }, (l) => lines.push(l));
    try {
      expect(lines.join('\n')).toMatch(/watching: .* \(writes are kept\)/);
      const patched = await fetch(`${running.url}/api/v2/resources/2/`, {
        method: 'PATCH',
        headers: ADMIN,
        body: JSON.stringify({ title: 'Written through the API' }),
      });
      expect(patched.status).toBe(200);
      const created = await fetch(`${running.url}/api/v2/users/`, {
        method: 'POST',
        headers: ADMIN,
        body: JSON.stringify({ username: 'written.user', email: 'w@example.org', password: 'x9-long-enough-pass' }),
      });
      expect(created.status).toBe(201);
      await edit((c) => {
        c.resources.find((r) => r.pk === '1')!.title = 'Changed in the fixture file';
        c.resources.find((r) => r.pk === '2')!.title = 'Also changed in the file';
        c.categories.push({ ...c.categories[0], id: 999, identifier: 'added_in_file' });
      });
      await until(() => lines.some((l) => l.startsWith('reloaded fixtures')), 'the fixture reload');
      expect(lines.find((l) => l.startsWith('reloaded fixtures'))).toMatch(
        /1 updated, 1 added, 0 removed, 1 kept as written through the API/,
      );
      expect(await title(running.url, '1')).toBe('Changed in the fixture file');
      expect(await title(running.url, '2')).toBe('Written through the API');
      expect(
        running.store
          .collection('users')
          .list()
          .some((u) => u.username === 'written.user'),
      ).toBe(true);
      expect(running.store.collection('categories').get(999)).toMatchObject({ identifier: 'added_in_file' });
      await (await fetch(`${running.url}/__geostub/reset`, { method: 'POST' })).text();
      expect(await title(running.url, '2')).toBe('Also changed in the file'); // a reset now restores the new fixtures
    } finally {
      await running.close();
    }
  });

  it('with --watch-reset a fixture change resets the store: writes are dropped', async () => {
    const { dir, edit } = await fixtureCopy();
    const lines: string[] = [];
    const running = await launch({ ...ARGS, fixtures: dir, watch: true, 'watch-reset': true }, (l) => lines.push(l));
    try {
      await fetch(`${running.url}/api/v2/resources/2/`, {
        method: 'PATCH',
        headers: ADMIN,
        body: JSON.stringify({ title: 'Written through the API' }),
      });
      await edit((c) => {
        c.resources.find((r) => r.pk === '1')!.title = 'Changed in the fixture file';
      });
      await until(() => lines.some((l) => l.startsWith('reloaded fixtures')), 'the fixture reload');
      expect(await title(running.url, '1')).toBe('Changed in the fixture file');
      expect(await title(running.url, '2')).not.toBe('Written through the API');
    } finally {
      await running.close();
    }
  });

  it('takes contract changes in, and keeps serving the old contracts when a new one does not load', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'geostub-contracts-'));
    await cp('contracts', dir, { recursive: true });
    const g = await startGeostub();
    const events: ReloadEvent[] = [];
    const watcher = await watchGeostub(g.running, {
      fixtures: 'fixtures',
      contracts: dir,
      onReload: (e) => events.push(e),
      debounceMs: 50,
    });
    try {
      expect((await (await fetch(`${g.url}/api/v2/regions/1/`)).json()).regions).toHaveProperty('name_en');
      expect((await fetch(`${g.url}/services/api/v1/users/1/`)).status).toBe(200);
      const geonode = parse(await readFile(join(dir, 'geonode-v2.yaml'), 'utf8'), { merge: true, maxAliasCount: -1 });
      delete geonode.components.schemas.Region.properties.name_en;
      geonode.components.schemas.Region.required = geonode.components.schemas.Region.required.filter(
        (f: string) => f !== 'name_en',
      );
      const koordinates = parse(await readFile(join(dir, 'koordinates-catalog.yaml'), 'utf8'));
      delete koordinates.paths['/services/api/v1/users/{id}/'];
      await writeFile(join(dir, 'geonode-v2.yaml'), JSON.stringify(geonode)); // JSON is YAML
      await writeFile(join(dir, 'koordinates-catalog.yaml'), JSON.stringify(koordinates));
      await until(() => events.length > 0, 'the contract reload');
      await watcher.idle();
      expect(events.at(-1)).toMatchObject({ what: 'contracts', ok: true });
      expect((await (await fetch(`${g.url}/api/v2/regions/1/`)).json()).regions).not.toHaveProperty('name_en');
      expect((await fetch(`${g.url}/services/api/v1/users/1/`)).status).toBe(404);
      await writeFile(join(dir, 'koordinates-catalog.yaml'), 'openapi: [unclosed');
      await until(() => events.length > 1, 'the failed reload');
      expect(events.at(-1)).toMatchObject({ what: 'contracts', ok: false });
      expect((await fetch(`${g.url}/services/api/v1/data/?page_size=1`)).status).toBe(200);
    } finally {
      watcher.close();
      await g.close();
    }
  });
});
