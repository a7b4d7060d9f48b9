/**
 * API documentation at GeoNode's own paths (GeoNode's `geonode/api/urls.py:51-52` mounts drf-spectacular's
 * Swagger UI at `/api/v2/schema/swagger-ui/` and its ReDoc at `/api/v2/schema/redoc/`).
 *
 * Both URLs answer with geostub's own reference of the running contract, rendered on the server (docs-reference.ts)
 * from the contract geostub serves: every operation grouped by tag (method, path, summary, description, parameters,
 * request body, responses, who may call it), every schema of `components`, and a small "Try it" form per operation
 * that sends the request to this server. The page is one HTML document with its style and a few lines of script inline:
 * it loads nothing else, so it works offline and no request leaves the machine.
 *
 * Why not Swagger UI and ReDoc themselves: their npm packages (swagger-ui-dist, redoc with react, mobx,
 * styled-components, core-js and a telemetry package with a postinstall script) were ~97 MB of a ~113 MB production
 * install, to serve two static bundles. A reference rendered from the contract needs no dependency at all.
 *
 * The GeoNode contract is also where GeoNode serves it (`/api/v2/schema/`, `?format=json` for JSON); the catalogue's
 * is geostub's own, at `/__geostub/contracts/koordinates-catalog.yaml` (as written) and `.json` (with this server
 * listed first in `servers`).
 */
import type { Express, Request, Response } from 'express';
import type { Contract } from '../contracts/load.js';
import { CONTRACTS_PATH, DOCS_BASE, referencePage } from './docs-reference.js';

export const SWAGGER_UI_PATH = `${DOCS_BASE}swagger-ui/`;
export const REDOC_PATH = `${DOCS_BASE}redoc/`;

/** The contracts the pages show (`?spec=KEY`), GeoNode's first. */
export const DOC_SPECS = [
  { key: 'geonode', name: 'GeoNode REST API v2', url: `${DOCS_BASE}?format=json` },
  { key: 'koordinates', name: 'Koordinates Data Catalog', url: `${CONTRACTS_PATH}koordinates-catalog.json` },
] as const;

/** Nothing off this origin: the page's style and script are inline, its "Try it" calls go to this server only. */
const CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'";

const html = (res: Response, text: string) => {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Security-Policy', CSP);
  res.end(text);
};

/** A copy of a contract whose `servers` start with this server. */
function forThisServer(contract: Contract, origin: string): unknown {
  const servers = Array.isArray(contract.doc.servers) ? contract.doc.servers : [];
  return { ...contract.doc, servers: [{ url: origin, description: 'this geostub' }, ...servers] };
}

export function mountDocs(app: Express, contracts: Contract[], originOf: (req: Request) => string): void {
  const rendered = new Map<string, string>();
  const pageFor = (req: Request, base: string) => {
    const asked = new URL(req.originalUrl, 'http://x').searchParams.get('spec') ?? 'geonode';
    const spec = DOC_SPECS.find((s) => s.key === asked) ?? DOC_SPECS[0];
    const contract = contracts.find((c) => c.api === spec.key);
    if (!contract) return undefined;
    let text = rendered.get(base + spec.key);
    if (text === undefined) rendered.set(base + spec.key, (text = referencePage(contract, spec.name, base)));
    return text;
  };
  // express routes ignore a trailing slash: the slash-less URL is redirected here, as GeoNode's Django does
  const page = (path: string) => (req: Request, res: Response) => {
    const q = req.originalUrl.indexOf('?');
    const pathname = q >= 0 ? req.originalUrl.slice(0, q) : req.originalUrl;
    if (pathname !== path) return res.redirect(301, path + (q >= 0 ? req.originalUrl.slice(q) : ''));
    const text = pageFor(req, path);
    if (text === undefined) return res.status(404).json({ detail: 'Not found.' });
    html(res, text);
  };
  app.get(SWAGGER_UI_PATH, page(SWAGGER_UI_PATH));
  app.get(REDOC_PATH, page(REDOC_PATH));

  app.get(`${CONTRACTS_PATH}:file`, (req, res, next) => {
    const m = /^(.+)\.(yaml|json)$/.exec(String(req.params.file));
    const contract = m && contracts.find((c) => c.file.replace(/\\/g, '/').endsWith(`/contracts/${m[1]}.yaml`));
    if (!m || !contract) return next();
    res.setHeader('Cache-Control', 'no-store');
    if (m[2] === 'yaml') {
      res.setHeader('Content-Type', 'application/vnd.oai.openapi; charset=utf-8');
      res.end(contract.text);
    } else {
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.end(JSON.stringify(forThisServer(contract, originOf(req))));
    }
  });
}
