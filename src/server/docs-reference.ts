/**
 * The API reference page of one contract, rendered on the server as one HTML document (docs-pages.ts serves it):
 * every operation grouped by tag (method, path, summary, description, parameters, request body, responses, who may
 * call it), every schema of `components`, and a small "Try it" form per operation. Style and script are inline
 * (docs-assets.ts).
 */
import { resolveRef, type Contract, type Json, type JsonObject } from '../contracts/load.js';
import { SCRIPT, STYLE } from './docs-assets.js';

/** Where GeoNode serves its schema (drf-spectacular), and where geostub serves its contracts as written. */
export const DOCS_BASE = '/api/v2/schema/';
export const CONTRACTS_PATH = '/__geostub/contracts/';

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'] as const;

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const isObject = (v: Json | undefined): v is JsonObject => !!v && typeof v === 'object' && !Array.isArray(v);
const slug = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '-');

/** Markdown-ish inline text: `code` and **bold**, everything else as written (escaped). */
const inline = (text: string) =>
  esc(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<b>$1</b>');

/** A description: paragraphs at blank lines, wrapped lines joined, list items (`- `, `* `, `1. `) on lines of their own. */
function prose(text: Json | undefined, tag = 'p'): string {
  if (typeof text !== 'string' || !text.trim()) return '';
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((para) => {
      const lines = para.split('\n').map((l) => l.trim());
      const joined = lines
        .map((l, i) => (i > 0 && /^([-*]|\d+\.)\s/.test(l) ? `<br>${inline(l)}` : (i > 0 ? ' ' : '') + inline(l)))
        .join('');
      return `<${tag} class="desc">${joined}</${tag}>`;
    })
    .join('');
}

/** The name of a `#/components/schemas/X` reference, or undefined. */
const schemaRefName = (node: Json | undefined) =>
  isObject(node) && typeof node.$ref === 'string' && node.$ref.startsWith('#/components/schemas/')
    ? node.$ref.slice('#/components/schemas/'.length)
    : undefined;

/** A one-line description of a schema's type: `string (date-time)`, `array of Resource`, `one of A | B`, … */
function typeOf(doc: JsonObject, node: Json | undefined, depth = 0): string {
  const ref = schemaRefName(node);
  if (ref) return `<a class="ref" href="#schema-${esc(slug(ref))}">${esc(ref)}</a>`;
  if (!isObject(node)) return node === true ? 'any' : '';
  if (typeof node.$ref === 'string') return typeOf(doc, resolveRef(doc, node), depth);
  if (depth > 4) return '…';
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    const list = node[key];
    if (Array.isArray(list))
      return `${key === 'allOf' ? 'all of' : key === 'oneOf' ? 'one of' : 'any of'} ${list.map((s) => typeOf(doc, s, depth + 1)).join(' | ')}`;
  }
  let type = Array.isArray(node.type)
    ? node.type.join(' | ')
    : typeof node.type === 'string'
      ? node.type
      : node.properties
        ? 'object'
        : 'any';
  if (type === 'array') type = `array of ${typeOf(doc, node.items, depth + 1) || 'any'}`;
  if (typeof node.format === 'string') type += ` (${esc(node.format)})`;
  if (node.nullable === true) type += ' or null';
  if (Array.isArray(node.enum))
    type += `: ${node.enum.map((v) => `<code>${esc(JSON.stringify(v))}</code>`).join(', ')}`;
  if (node.default !== undefined) type += `, default <code>${esc(JSON.stringify(node.default))}</code>`;
  return type;
}

/** A schema: its type line and, for an object, a table of its properties (nested objects inline, two levels). */
function schemaHtml(doc: JsonObject, node: Json | undefined, depth = 0): string {
  if (schemaRefName(node)) return `<div class="type">${typeOf(doc, node)}</div>`;
  const schema = isObject(node) && typeof node.$ref === 'string' ? resolveRef<Json>(doc, node) : node;
  if (!isObject(schema)) return `<div class="type">${typeOf(doc, schema)}</div>`;
  const props = isObject(schema.properties) ? schema.properties : undefined;
  const head = `<div class="type">${props ? (schema.nullable === true ? 'object or null' : 'object') : typeOf(doc, schema)}</div>${prose(schema.description)}`;
  if (!props || depth > 2) return head;
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const rows = Object.entries(props).map(([name, prop]) => {
    const inline =
      isObject(prop) && !prop.$ref && isObject(prop.properties)
        ? schemaHtml(doc, prop, depth + 1)
        : `${typeOf(doc, prop)}${isObject(prop) ? prose(prop.description) : ''}`;
    const flags = [
      required.has(name) ? '<span class="req">required</span>' : '',
      isObject(prop) && prop.readOnly === true ? '<span class="flag">read-only</span>' : '',
    ].join(' ');
    return `<tr><td><code>${esc(name)}</code> ${flags}</td><td>${inline}</td></tr>`;
  });
  const extra =
    schema.additionalProperties === true || isObject(schema.additionalProperties)
      ? `<tr><td><i>other keys</i></td><td>${schema.additionalProperties === true ? 'any' : typeOf(doc, schema.additionalProperties)}</td></tr>`
      : '';
  return `${head}<table class="props"><tbody>${rows.join('')}${extra}</tbody></table>`;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Json;
}

function contentHtml(doc: JsonObject, content: Json | undefined): string {
  if (!isObject(content)) return '';
  return Object.entries(content)
    .map(
      ([type, media]) =>
        `<div class="media"><span class="mt">${esc(type)}</span>${isObject(media) && media.schema !== undefined ? schemaHtml(doc, media.schema) : ''}</div>`,
    )
    .join('');
}

function securityHtml(doc: JsonObject, op: JsonObject): string {
  const security = Array.isArray(op.security) ? op.security : Array.isArray(doc.security) ? doc.security : undefined;
  if (!security) return '';
  const ways = security.map((req) =>
    isObject(req) && Object.keys(req).length ? Object.keys(req).join(' + ') : 'anonymous',
  );
  return `<p class="security">Credentials: ${ways.map((w) => `<code>${esc(w)}</code>`).join(' or ')}</p>`;
}

function tryForm(params: Parameter[], hasBody: boolean, bodyTypes: string[]): string {
  const inputs = params
    .filter((p) => p.in !== 'cookie')
    .map((p) => {
      const schema = isObject(p.schema) ? p.schema : {};
      const multi = schema.type === 'array' ? ' data-multi="1"' : '';
      const hint = p.in === 'path' ? 'required' : schema.type === 'array' ? 'comma-separated' : '';
      return `<label><span>${esc(p.name)} <small>${esc(p.in)}</small></span><input name="${esc(p.name)}" data-in="${esc(p.in)}"${multi} placeholder="${esc(hint)}"${p.in === 'path' ? ' required' : ''}></label>`;
    });
  inputs.push(
    '<label><span>more query <small>raw</small></span><input name="more" data-in="raw" placeholder="filter{title.icontains}=river&amp;sort[]=-date"></label>',
  );
  if (hasBody) {
    const types = bodyTypes.map((t) => `<option>${esc(t)}</option>`).join('');
    inputs.push(
      `<label><span>body <select name="content-type">${types}</select></span><textarea name="body" rows="5" placeholder="{}"></textarea></label>`,
    );
  }
  return `<details class="try"><summary>Try it</summary><form class="try">${inputs.join('')}<button type="submit">Send</button><pre class="answer" hidden></pre></form></details>`;
}

function operationHtml(doc: JsonObject, path: string, method: string, item: JsonObject, op: JsonObject): string {
  const params = new Map<string, Parameter>();
  for (const list of [item.parameters, op.parameters]) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const p = resolveRef<Parameter>(doc, raw);
      params.set(`${p.in}:${p.name}`, p);
    }
  }
  const paramRows = [...params.values()].map(
    (p) =>
      `<tr><td><code>${esc(p.name)}</code>${p.required ? ' <span class="req">required</span>' : ''}</td><td>${esc(p.in)}</td><td>${typeOf(doc, p.schema)}${prose(p.description)}</td></tr>`,
  );
  const body = op.requestBody !== undefined ? resolveRef<JsonObject>(doc, op.requestBody) : undefined;
  const bodyTypes = body && isObject(body.content) ? Object.keys(body.content) : [];
  const responses = isObject(op.responses) ? Object.entries(op.responses) : [];
  const responseRows = responses.map(([status, raw]) => {
    const r = resolveRef<JsonObject>(doc, raw);
    const headers = isObject(r.headers)
      ? `<div class="headers">headers: ${Object.keys(r.headers)
          .map((h) => `<code>${esc(h)}</code>`)
          .join(', ')}</div>`
      : '';
    return `<tr><td class="status s${esc(status[0])}">${esc(status)}</td><td>${prose(r.description)}${headers}${contentHtml(doc, r.content)}</td></tr>`;
  });
  const id = String(op.operationId ?? `${method}-${path}`);
  return `<article class="op" id="op-${esc(slug(id))}" data-operation-id="${esc(id)}" data-method="${method.toUpperCase()}" data-path="${esc(path)}">
<h3><span class="m ${method}">${method.toUpperCase()}</span> <code class="path">${esc(path)}</code> <span class="summary">${esc(op.summary ?? '')}</span></h3>
${op.deprecated === true ? '<p class="flag">deprecated</p>' : ''}${prose(op.description)}${securityHtml(doc, op)}
${paramRows.length ? `<h4>Parameters</h4><table class="params"><thead><tr><th>name</th><th>in</th><th>type</th></tr></thead><tbody>${paramRows.join('')}</tbody></table>` : ''}
${body ? `<h4>Request body${body.required === true ? ' <span class="req">required</span>' : ''}</h4>${prose(body.description)}${contentHtml(doc, body.content)}` : ''}
<h4>Responses</h4><table class="responses"><tbody>${responseRows.join('')}</tbody></table>
${tryForm([...params.values()], !!body, bodyTypes)}
</article>`;
}

function nav(current: string, base: string): string {
  const links: [string, string][] = [
    [base, 'GeoNode REST API v2'],
    [`${base}?spec=koordinates`, 'Koordinates Data Catalog'],
    [`${DOCS_BASE}`, 'GeoNode contract (YAML)'],
    [`${CONTRACTS_PATH}koordinates-catalog.yaml`, 'catalogue contract (YAML)'],
    ['/__geostub/', 'geostub inspector'],
  ];
  const items = links
    .map(([href, text]) => (text === current ? `<b>${text}</b>` : `<a href="${href}">${text}</a>`))
    .join(' · ');
  return `<nav id="geostub-docs-nav"><span style="font-weight:600;margin-right:8px">geostub docs</span> ${items}</nav>`;
}

/** The whole reference page of one contract. */
export function referencePage(contract: Contract, specName: string, base: string): string {
  const doc = contract.doc;
  const info = isObject(doc.info) ? doc.info : {};
  const tagInfo = new Map<string, JsonObject>();
  if (Array.isArray(doc.tags))
    for (const t of doc.tags) if (isObject(t) && typeof t.name === 'string') tagInfo.set(t.name, t);
  // operations under their first tag, tags in the contract's order (then any others, as met)
  const byTag = new Map<string, string[]>([...tagInfo.keys()].map((t) => [t, []]));
  const toc = new Map<string, string[]>([...tagInfo.keys()].map((t) => [t, []]));
  for (const [path, rawItem] of Object.entries(isObject(doc.paths) ? doc.paths : {})) {
    const item = resolveRef<JsonObject>(doc, rawItem);
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const tag = Array.isArray(op.tags) && typeof op.tags[0] === 'string' ? op.tags[0] : 'other';
      if (!byTag.has(tag)) [byTag, toc].forEach((m) => m.set(tag, []));
      byTag.get(tag)!.push(operationHtml(doc, path, method, item, op));
      const id = String(op.operationId ?? `${method}-${path}`);
      toc
        .get(tag)!
        .push(
          `<li><a href="#op-${esc(slug(id))}" title="${esc(op.summary ?? '')}"><span class="m ${method}">${method.toUpperCase()}</span> ${esc(path)}</a></li>`,
        );
    }
  }
  const used = [...byTag.keys()].filter((t) => byTag.get(t)!.length);
  const schemas =
    isObject(doc.components) && isObject(doc.components.schemas) ? Object.entries(doc.components.schemas) : [];
  const sections = used.map(
    (tag) =>
      `<section class="tag" id="tag-${esc(slug(tag))}" data-tag="${esc(tag)}"><h2>${esc(tag)}</h2>${prose(tagInfo.get(tag)?.description)}${byTag.get(tag)!.join('\n')}</section>`,
  );
  const schemaSection = schemas.length
    ? `<section id="schemas"><h2>Schemas</h2>${schemas.map(([name, s]) => `<div class="schema" id="schema-${esc(slug(name))}"><h3>${esc(name)}</h3>${schemaHtml(doc, s)}</div>`).join('\n')}</section>`
    : '';
  const tocHtml =
    used
      .map((tag) => `<h3><a href="#tag-${esc(slug(tag))}">${esc(tag)}</a></h3><ul>${toc.get(tag)!.join('')}</ul>`)
      .join('') + (schemas.length ? '<h3><a href="#schemas">schemas</a></h3>' : '');
  const keyWord =
    contract.api === 'koordinates'
      ? '<option value="key" selected>catalogue key</option>'
      : '<option value="key">catalogue key</option>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>geostub · ${esc(specName)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body>${nav(specName, base)}
<div class="layout"><aside id="toc">${tocHtml}</aside>
<main><h1>${esc(info.title ?? specName)} <small style="font-weight:400;color:#6b7280">${esc(info.version ?? '')}</small></h1>
${prose(info.description)}
<form id="auth" data-kind="${contract.api === 'koordinates' ? 'key' : 'basic'}" onsubmit="return false"><b>Try it as</b>
<select name="kind"><option value="basic"${contract.api === 'koordinates' ? '' : ' selected'}>Basic user:password</option><option value="bearer">Bearer token</option>${keyWord}</select>
<input name="a" placeholder="user, token or key" autocomplete="off"><input name="b" type="password" placeholder="password" autocomplete="off">
<span style="color:#6b7280;font-size:12px">sent only to this server (fixtures: <code>admin</code>/<code>admin</code>, key <code>geostub0koordinates0api0key00001</code>)</span></form>
<p style="color:#6b7280;font-size:12px">${used.reduce((n, t) => n + byTag.get(t)!.length, 0)} operations · ${schemas.length} schemas · rendered by geostub from the contract it serves</p>
${sections.join('\n')}
${schemaSection}
</main></div>
<script>${SCRIPT}</script></body></html>`;
}
