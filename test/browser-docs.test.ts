/**
 * The API reference at GeoNode's schema UI paths in a real browser (Chromium, see helpers/browser.ts): both URLs
 * show every operation of both contracts under its tag, and every schema, from the one page the server sends
 * (nothing else is loaded, nothing off the origin); "Try it" is answered by the mock, with the credentials typed in
 * the page; a screenshot is not blank.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { loadContracts, type Contract } from '../src/contracts/load.js';
import { launchChromium, offOrigin, screenshot } from './helpers/browser.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];

/** `METHOD /path @tag #operationId` of every operation in the contract. */
function operations(c: Contract): string[] {
  const out: string[] = [];
  for (const [path, item] of Object.entries(
    c.doc.paths as Record<string, Record<string, { operationId?: string; tags?: string[] }>>,
  )) {
    for (const m of METHODS)
      if (item[m]) out.push(`${m.toUpperCase()} ${path} @${item[m].tags?.[0] ?? 'other'} #${item[m].operationId}`);
  }
  return out;
}

let s: TestServer;
let browser: Browser;
let contracts: Contract[];
const contract = (api: string) => contracts.find((c) => c.api === api) as Contract;

beforeAll(async () => {
  browser = await launchChromium();
  s = await startTestServer();
  contracts = await loadContracts();
});

afterAll(async () => {
  await browser?.close();
  await s?.close();
});

async function open(url: string): Promise<{ page: Page; external: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  const external = offOrigin(page, s.url);
  const res = await page.goto(`${s.url}${url}`);
  expect(res?.status()).toBe(200);
  return { page, external };
}

/** What the page shows: every operation block, as `METHOD /path @its section's tag #operationId`. */
const shown = (page: Page) =>
  page.$$eval('section.tag article.op', (ops) =>
    ops.map(
      (op) =>
        `${op.getAttribute('data-method')} ${op.getAttribute('data-path')} @${op.closest('section')?.getAttribute('data-tag')} #${op.getAttribute('data-operation-id')}`,
    ),
  );

describe('the API reference at /api/v2/schema/swagger-ui/ and /api/v2/schema/redoc/', { timeout: 90_000 }, () => {
  for (const base of ['/api/v2/schema/swagger-ui/', '/api/v2/schema/redoc/']) {
    for (const [api, query] of [
      ['geonode', ''],
      ['koordinates', '?spec=koordinates'],
    ] as const) {
      it(`${base}${query} shows every ${api} operation under its tag, and every schema, from this server only`, async () => {
        const { page, external } = await open(`${base}${query}`);
        const expected = operations(contract(api));
        expect((await shown(page)).sort()).toEqual(expected.sort());
        const schemas = Object.keys((contract(api).doc.components as { schemas: object }).schemas);
        expect(await page.$$eval('#schemas .schema h3', (hs) => hs.map((h) => h.textContent))).toEqual(schemas);
        // the table of contents links every operation, and each link lands on it
        expect(await page.locator('#toc a[href^="#op-"]').count()).toBe(expected.length);
        expect(
          await page.locator('#geostub-docs-nav a[href="/__geostub/contracts/koordinates-catalog.yaml"]').count(),
        ).toBe(1);
        if (base.endsWith('swagger-ui/') && api === 'geonode') {
          const list = page.locator('#op-listCategories');
          expect(await list.locator('table.params').textContent()).toContain('page_size');
          expect(await list.locator('table.responses').textContent()).toContain('200');
          const shot = await screenshot(page, 'swagger-ui');
          expect(shot.colours).toBeGreaterThan(50);
          expect(shot.nonBackground).toBeGreaterThan(0.05);
        }
        if (base.endsWith('redoc/') && api === 'geonode') {
          await page.locator('#toc a[href="#op-listUsers"]').click();
          await page.waitForFunction(() => location.hash === '#op-listUsers');
          const shot = await screenshot(page, 'redoc');
          expect(shot.colours).toBeGreaterThan(50);
        }
        expect(external).toEqual([]);
        await page.close();
      });
    }
  }

  it('"Try it" is answered by the mock, with the credentials typed in the page', async () => {
    const { page, external } = await open('/api/v2/schema/swagger-ui/#op-listCategories');
    const categories = page.locator('#op-listCategories');
    await categories.locator('details.try summary').click();
    await categories.locator('input[name="page_size"]').fill('1');
    const before = s.exchanges.recent().length;
    await categories.locator('button[type="submit"]').click();
    const answer = categories.locator('.answer');
    await expect.poll(() => answer.getAttribute('data-status'), { timeout: 15_000 }).toBe('200');
    expect(await answer.textContent()).toContain('"categories"');
    expect(
      s.exchanges
        .recent()
        .slice(before)
        .map((e) => `${e.method} ${e.url} ${e.status}`),
    ).toContain('GET /api/v2/categories/?page_size=1 200');

    // users are for signed-in callers: anonymous first, then as admin from the credentials box
    const users = page.locator('#op-listUsers');
    await users.locator('details.try summary').click();
    await users.locator('button[type="submit"]').click();
    await expect.poll(() => users.locator('.answer').getAttribute('data-status'), { timeout: 15_000 }).toBe('403');
    await page.fill('#auth input[name="a"]', 'admin');
    await page.fill('#auth input[name="b"]', 'admin');
    await users.locator('input[name="more"]').fill('filter{username}=admin');
    await users.locator('button[type="submit"]').click();
    await expect.poll(() => users.locator('.answer').getAttribute('data-status'), { timeout: 15_000 }).toBe('200');
    expect(await users.locator('.answer').textContent()).toContain('"username": "admin"');
    const asAdmin = s.exchanges
      .recent()
      .find(
        (e) =>
          e.url === '/api/v2/users/?filter{username}=admin' || e.url === '/api/v2/users/?filter%7Busername%7D=admin',
      );
    expect(asAdmin).toMatchObject({ status: 200, user: 'admin' });
    expect(external).toEqual([]);
    await page.close();
  });

  it('"Try it" on the catalogue sends the key typed in the page', async () => {
    const { page, external } = await open('/api/v2/schema/redoc/?spec=koordinates');
    const list = page.locator('#op-catalogList');
    await list.locator('details.try summary').click();
    await list.locator('input[name="page_size"]').fill('2');
    await list.locator('button[type="submit"]').click();
    await expect.poll(() => list.locator('.answer').getAttribute('data-status'), { timeout: 15_000 }).not.toBe(null);
    const anonymous = await list.locator('.answer').getAttribute('data-status');
    await page.fill('#auth input[name="a"]', 'geostub0koordinates0api0key00001');
    await list.locator('button[type="submit"]').click();
    await expect.poll(() => list.locator('.answer').textContent(), { timeout: 15_000 }).toMatch(/^200 /);
    expect(await list.locator('.answer').textContent()).toMatch(/x-resource-range: 0-2\//i);
    expect(anonymous).toMatch(/^(200|401|403)$/);
    expect(external).toEqual([]);
    await page.close();
  });
});
