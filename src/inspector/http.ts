/**
 * The inspector page's scripts (this folder) are plain TypeScript, compiled by the project's own `tsc` into
 * `dist/src/inspector/` and loaded by the browser as ES modules. No framework and no bundler: the page is a handful
 * of tables and forms refreshed from JSON, which the DOM does in a few hundred lines, and a framework would add a
 * build step, a runtime dependency and a second toolchain to a project that otherwise has one.
 *
 * This module: calling geostub (with the superuser's token when there is one) and building DOM nodes.
 */

/** `?token=` of the page's URL: a superuser token, used for every call */
let bearer: string | null = new URLSearchParams(location.search).get('token');

export function setBearer(token: string | null): void {
  if (token) bearer = token;
}

export const bearerToken = (): string | null => bearer;

export interface CallAnswer {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the inspector shows any answer the APIs send
  json: any;
  ms: number;
}

/** Call geostub; the catalogue (its own key scheme) is called without credentials. */
export async function callGeostub(method: string, url: string, body?: unknown): Promise<CallAnswer> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (bearer && !url.startsWith('/services/')) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const started = performance.now();
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json, ms: performance.now() - started };
}

export const byId = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node as T;
};

type Child = Node | string | number | null | undefined | false;

/** `el('td', {class: 'num'}, 42)` */
export function el(tag: string, attrs: Record<string, string | undefined> = {}, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) node.setAttribute(k, v);
  for (const c of children)
    if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : String(c));
  return node;
}

export function fill(parent: HTMLElement, nodes: (Node | string)[]): void {
  parent.replaceChildren(...nodes);
}

export const statusClass = (status: number): string => `s${String(status)[0]}`;

export const timeOf = (iso: string | null | undefined): string =>
  iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';

/** A JSON text pretty-printed, other text as is. */
export function pretty(text: string | undefined): string {
  if (!text) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** Run `fn` at most once per `ms`, the last call winning. */
export function debounce(fn: () => void, ms: number): () => void {
  let timer: number | undefined;
  return () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(fn, ms);
  };
}
