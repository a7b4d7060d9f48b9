/**
 * The endpoint tables of docs/endpoints.md, generated from the contracts: one row per path (in the contract's
 * order) with its methods and the summary of its first operation. `npm run docs:endpoints` rewrites the part of the
 * page between the two markers; test/docs.test.ts fails when the page and the contracts are out of step.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadContracts, PACKAGE_ROOT, type Contract, type JsonObject } from '../src/contracts/load.js';

export const ENDPOINTS_PAGE = 'docs/endpoints.md';
export const BEGIN =
  '<!-- endpoint tables: generated from contracts/ by `npm run docs:endpoints`; do not edit by hand -->';
export const END = '<!-- end of generated endpoint tables -->';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const TITLES: Record<Contract['api'], string> = {
  geonode: 'GeoNode REST API v2',
  koordinates: 'Koordinates Data Catalog',
};

/** `layerVersionDetail` → "Layer version detail", for operations whose contract gives no summary. */
function fromOperationId(id: string): string {
  const words = id.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

export function endpointTable(contract: Contract): string {
  const rows = ['| path | methods | what |', '|---|---|---|'];
  for (const [path, item] of Object.entries(contract.doc.paths as JsonObject)) {
    const ops = METHODS.filter((m) => (item as JsonObject)[m]).map(
      (m) => [m, (item as JsonObject)[m] as JsonObject] as const,
    );
    if (ops.length === 0) continue;
    const [, first] = ops[0];
    const what =
      typeof first.summary === 'string'
        ? first.summary
        : typeof first.operationId === 'string'
          ? fromOperationId(first.operationId)
          : '';
    rows.push(`| \`${path}\` | ${ops.map(([m]) => m.toUpperCase()).join(', ')} | ${cell(what)} |`);
  }
  return rows.join('\n');
}

/** The generated block, markers included. */
export async function endpointTables(root = PACKAGE_ROOT): Promise<string> {
  const contracts = await loadContracts(root);
  const parts = contracts.map((c) => `## ${TITLES[c.api]}\n\n${endpointTable(c)}`);
  return `${BEGIN}\n\n${parts.join('\n\n')}\n\n${END}`;
}

/** The page with its generated block replaced by `block`; throws when the markers are missing. */
export function withTables(page: string, block: string): string {
  const start = page.indexOf(BEGIN);
  const end = page.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${ENDPOINTS_PAGE} has lost its markers (${BEGIN} … ${END})`);
  return page.slice(0, start) + block + page.slice(end + END.length);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const file = resolve(PACKAGE_ROOT, ENDPOINTS_PAGE);
  const page = await readFile(file, 'utf8');
  const next = withTables(page, await endpointTables());
  if (next !== page) await writeFile(file, next);
  console.log(next === page ? `${ENDPOINTS_PAGE} is up to date` : `${ENDPOINTS_PAGE} rewritten from the contracts`);
}
