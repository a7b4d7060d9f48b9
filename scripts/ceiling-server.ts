/**
 * Ceilings for the throughput bench, on bare node:http over the same fixture file geostub serves:
 *   slice — a precomputed array, one page sliced and JSON.stringify'd per request (the ceiling for a plain page);
 *   naive — the same filter as the bench's filtered request, done the straightforward way per request
 *           (title contains, resource_type in two values, date sort, include data), then the page.
 * Usage: node ceiling-server.js <slice|naive> <fixtures/geonode.json> <port>
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const [mode, file, port] = process.argv.slice(2);
const resources = (JSON.parse(readFileSync(file, 'utf8')) as { collections: { resources: Record<string, unknown>[] } })
  .collections.resources;
const { data: _d, ...sample } = resources[0];
const withoutData = resources.map(({ data: _x, ...r }) => r);
void sample;

function page(items: unknown[], total: number): string {
  return JSON.stringify({
    links: { next: total > 10 ? 'http://127.0.0.1/api/v2/resources/?page=2' : null, previous: null },
    total,
    page: 1,
    page_size: 10,
    resources: items,
  });
}

const server = createServer((req, res) => {
  let body: string;
  if (mode === 'slice') {
    body = page(withoutData.slice(0, 10), withoutData.length);
  } else {
    const needle = 'flood';
    const types = new Set(['dataset', 'map']);
    const hits = resources
      .filter((r) => String(r.title).toLowerCase().includes(needle) && types.has(String(r.resource_type)))
      .sort((a, b) => (String(a.date) < String(b.date) ? 1 : String(a.date) > String(b.date) ? -1 : 0));
    body = page(hits.slice(0, 10), hits.length);
  }
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(body);
  void req;
});
server.listen(Number(port), '127.0.0.1', () => process.stdout.write(`listening ${port}\n`));
