/**
 * API documentation at GeoNode's own paths (facts §8): Swagger UI at `/api/v2/schema/swagger-ui/` and ReDoc at
 * `/api/v2/schema/redoc/`. Every file the pages load comes from the npm packages `swagger-ui-dist` and `redoc`
 * (its standalone bundle), served from this server: no CDN, no fonts, no validator badge, nothing off the origin.
 *
 * The GeoNode contract is read where GeoNode serves it (`/api/v2/schema/?format=json`); the catalogue's contract is
 * geostub's own, at `/__geostub/contracts/koordinates-catalog.json` (and `.yaml`, as written). The JSON copy lists
 * this server first in `servers`, so "Try it out" talks to the mock rather than to koordinates.com.
 *
 * swagger-ui-dist is pinned to 5.32.x: 5.33.0 to 5.35.0 render no operation past the first tag once a spec has more
 * than 130 (the GeoNode contract has more), with nothing in the console; test/browser-docs.test.ts counts them.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Express, Request, Response } from 'express';
import type { Contract } from '../contracts/load.js';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

export const DOCS_BASE = '/api/v2/schema/';
export const SWAGGER_UI_PATH = `${DOCS_BASE}swagger-ui/`;
export const REDOC_PATH = `${DOCS_BASE}redoc/`;
export const CONTRACTS_PATH = '/__geostub/contracts/';

/** The specs the pages offer, GeoNode's first. */
export const DOC_SPECS = [
  { key: 'geonode', name: 'GeoNode REST API v2', url: `${DOCS_BASE}?format=json` },
  { key: 'koordinates', name: 'Koordinates Data Catalog', url: `${CONTRACTS_PATH}koordinates-catalog.json` },
];

/** The files each page may load, by the name it asks for → the package file. */
const SWAGGER_FILES: Record<string, [string, string, string]> = {
  'swagger-ui.css': ['swagger-ui-dist', 'swagger-ui.css', 'text/css; charset=utf-8'],
  'swagger-ui-bundle.js': ['swagger-ui-dist', 'swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
  'swagger-ui-standalone-preset.js': ['swagger-ui-dist', 'swagger-ui-standalone-preset.js', 'text/javascript; charset=utf-8'],
  'favicon-32x32.png': ['swagger-ui-dist', 'favicon-32x32.png', 'image/png'],
};
/** ReDoc's sidebar credits Redocly with a logo from its CDN: the bundle is served with that one URL made local. */
const REDOC_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';
const LOCAL_LOGO = `${REDOC_PATH}logo-mini.svg`;
const LOGO_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#dc2626"/><path d="M4 12V4h5a2.5 2.5 0 0 1 0 5H6l4 3" stroke="#fff" stroke-width="1.6" fill="none"/></svg>';
let redocBundle: string | undefined;
const redocScript = () => (redocBundle ??= readFileSync(join(packageDir('redoc'), 'bundles', 'redoc.standalone.js'), 'utf8').split(REDOC_LOGO).join(LOCAL_LOGO));

/** Nothing off this origin: scripts, styles, images, fonts and workers come from here (or blob:/data: URLs). */
const CSP = "script-src 'self' 'unsafe-inline' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; worker-src 'self' blob:";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function nav(current: 'swagger' | 'redoc'): string {
  const links = [
    [SWAGGER_UI_PATH, 'Swagger UI', current === 'swagger'],
    [REDOC_PATH, 'ReDoc (GeoNode)', false],
    [`${REDOC_PATH}?spec=koordinates`, 'ReDoc (catalogue)', false],
    [`${CONTRACTS_PATH}koordinates-catalog.yaml`, 'catalogue contract (YAML)', false],
    [`${DOCS_BASE}`, 'GeoNode contract (YAML)', false],
    ['/__geostub/', 'geostub inspector', false],
  ] as const;
  const items = links.map(([href, text, here]) => (here ? `<b>${text}</b>` : `<a href="${href}">${text}</a>`)).join(' · ');
  return `<nav id="geostub-docs-nav" style="font:14px/1.4 system-ui,sans-serif;padding:6px 12px;background:#1f2937;color:#e5e7eb">
<span style="font-weight:600;margin-right:8px">geostub docs</span> ${items}</nav>
<style>#geostub-docs-nav a{color:#93c5fd}</style>`;
}

function swaggerPage(): string {
  const config = { urls: DOC_SPECS.map(({ name, url }) => ({ name, url })) };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>geostub · Swagger UI</title>
<link rel="icon" href="favicon-32x32.png"><link rel="stylesheet" href="swagger-ui.css">
<style>body{margin:0}</style></head>
<body>${nav('swagger')}<div id="swagger-ui"></div>
<script src="swagger-ui-bundle.js"></script><script src="swagger-ui-standalone-preset.js"></script>
<script>
  window.ui = SwaggerUIBundle(Object.assign(${JSON.stringify(config)}, {
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    docExpansion: 'list',
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout',
  }));
</script></body></html>`;
}

function redocPage(specKey: string): string {
  const spec = DOC_SPECS.find((s) => s.key === specKey) ?? DOC_SPECS[0];
  const switcher = DOC_SPECS.map((s) => (s === spec ? `<b>${s.name}</b>` : `<a href="?spec=${s.key}">${s.name}</a>`)).join(' · ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>geostub · ReDoc · ${escapeHtml(spec.name)}</title>
<link rel="icon" href="${SWAGGER_UI_PATH}favicon-32x32.png">
<style>body{margin:0}</style></head>
<body>${nav('redoc')}
<div style="font:13px system-ui,sans-serif;padding:4px 12px;background:#f3f4f6">spec: ${switcher}</div>
<redoc spec-url="${escapeHtml(spec.url)}"></redoc>
<script src="redoc.standalone.js"></script></body></html>`;
}

function sendPackageFile(res: Response, file: [string, string, string] | undefined): void {
  if (!file) {
    res.status(404).json({ detail: 'Not found.' });
    return;
  }
  const [pkg, path, type] = file;
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', 'public, max-age=3600');
  res.sendFile(join(packageDir(pkg), path), (err) => {
    if (err && !res.headersSent) res.status(404).json({ detail: 'Not found.' });
  });
}

const html = (res: Response, text: string) => {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Security-Policy', CSP);
  res.end(text);
};

/** A copy of a contract whose `servers` start with this server, for "Try it out". */
function forThisServer(contract: Contract, origin: string): unknown {
  const servers = Array.isArray(contract.doc.servers) ? contract.doc.servers : [];
  return { ...contract.doc, servers: [{ url: origin, description: 'this geostub (Try it out answers from the mock)' }, ...servers] };
}

export function mountDocs(app: Express, contracts: Contract[], originOf: (req: Request) => string): void {
  // express routes ignore a trailing slash: the slash-less URL is redirected here, as GeoNode's Django does
  const page = (path: string, render: (req: Request) => string) => (req: Request, res: Response) => {
    const q = req.originalUrl.indexOf('?');
    const pathname = q >= 0 ? req.originalUrl.slice(0, q) : req.originalUrl;
    if (pathname !== path) return res.redirect(301, path + (q >= 0 ? req.originalUrl.slice(q) : ''));
    html(res, render(req));
  };
  app.get(SWAGGER_UI_PATH, page(SWAGGER_UI_PATH, swaggerPage));
  app.get(`${SWAGGER_UI_PATH}:file`, (req, res) => sendPackageFile(res, SWAGGER_FILES[String(req.params.file)]));
  app.get(REDOC_PATH, page(REDOC_PATH, (req) => redocPage(new URL(req.originalUrl, 'http://x').searchParams.get('spec') ?? 'geonode')));
  app.get(`${REDOC_PATH}redoc.standalone.js`, (_req, res) => {
    res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.end(redocScript());
  });
  app.get(`${REDOC_PATH}logo-mini.svg`, (_req, res) => {
    res.setHeader('Content-Type', 'image/svg+xml');
    res.end(LOGO_SVG);
  });

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
