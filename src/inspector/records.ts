/** Collections and their counts, the reset button, and a record browser that sends the API the user's query. */
import { byId, callGeostub, debounce, el, fill, statusClass } from './http.js';

const KOORDINATES_LISTS = ['/services/api/v1/data/', '/services/api/v1/data/latest/'];
const ENVELOPE = ['links', 'total', 'page', 'page_size'];
const COLUMNS = [
  'pk',
  'id',
  'exec_id',
  'slug',
  'title',
  'name',
  'username',
  'identifier',
  'resource_type',
  'kind',
  'type',
  'subtype',
  'owner',
  'state',
  'status',
  'date',
  'created_at',
  'published_at',
  'count',
];

export async function refreshCounts(): Promise<void> {
  const health = await callGeostub('GET', '/__geostub/health');
  if (health.status !== 200) return;
  const counts = health.json.collections as Record<string, number>;
  const profile = (health.json.profile as { geonode?: number } | undefined)?.geonode;
  if (profile) byId('profile').textContent = `GeoNode ${profile === 5 ? '5.0' : '4.4'} profile`;
  fill(
    byId('collections'),
    Object.entries(counts).map(([name, n]) =>
      el('tr', { 'data-collection': name }, el('td', {}, name), el('td', { class: 'num count' }, n)),
    ),
  );
}

async function loadEndpoints(): Promise<void> {
  const select = byId<HTMLSelectElement>('browse-endpoint');
  const root = await callGeostub('GET', '/api/v2/');
  const geonode =
    root.status === 200 ? Object.keys(root.json as object).map((p) => `/api/v2/${p}/`) : ['/api/v2/resources/'];
  const group = (label: string, paths: string[]) =>
    el('optgroup', { label }, ...paths.map((p) => el('option', { value: p }, p)));
  fill(select, [group('GeoNode', geonode), group('Koordinates catalogue', KOORDINATES_LISTS)]);
  select.value = geonode.includes('/api/v2/resources/') ? '/api/v2/resources/' : geonode[0];
}

/** The list in a GeoNode envelope, a catalogue array, or a detail object. */
function itemsOf(body: unknown): { items: Record<string, unknown>[]; note: string } {
  if (Array.isArray(body)) return { items: body as Record<string, unknown>[], note: '' };
  if (body && typeof body === 'object') {
    const o = body as Record<string, unknown>;
    const key = Object.keys(o).find((k) => !ENVELOPE.includes(k) && Array.isArray(o[k]));
    if (key && ENVELOPE.some((k) => k in o))
      return {
        items: o[key] as Record<string, unknown>[],
        note: `total ${o.total} · page ${o.page} · page_size ${o.page_size} · "${key}"`,
      };
    const keys = Object.keys(o);
    if (keys.length === 1 && o[keys[0]] && typeof o[keys[0]] === 'object' && !Array.isArray(o[keys[0]]))
      return { items: [o[keys[0]] as Record<string, unknown>], note: `detail "${keys[0]}"` };
    return { items: [o], note: '' };
  }
  return { items: [], note: '' };
}

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'object') return String(v);
  const o = v as Record<string, unknown>;
  return String(o.username ?? o.title ?? o.name ?? o.identifier ?? o.pk ?? o.id ?? JSON.stringify(v));
};

type Spec = {
  paths: Record<string, { parameters?: unknown[]; get?: { parameters?: unknown[] } }>;
  components?: { parameters?: Record<string, unknown> };
};
const specs = new Map<string, Promise<Spec | undefined>>();

/** The contract the docs pages read: GeoNode's at its schema path, the catalogue's from geostub. */
function specFor(path: string): Promise<Spec | undefined> {
  const url = path.startsWith('/services/')
    ? '/__geostub/contracts/koordinates-catalog.json'
    : '/api/v2/schema/?format=json';
  if (!specs.has(url))
    specs.set(
      url,
      callGeostub('GET', url).then((a) => (a.status === 200 ? (a.json as Spec) : undefined)),
    );
  return specs.get(url) as Promise<Spec | undefined>;
}

/** The query parameters the contract gives the endpoint's GET, shown as hints that add `name=` to the query. */
async function showParameters(): Promise<void> {
  const path = byId<HTMLSelectElement>('browse-endpoint').value;
  const spec = await specFor(path);
  const item = spec?.paths[path] ?? {};
  const names = [...(item.parameters ?? []), ...(item.get?.parameters ?? [])]
    .map((p) => {
      const ref = (p as { $ref?: string }).$ref;
      return (ref ? spec?.components?.parameters?.[ref.split('/').pop() as string] : p) as
        { name?: string; in?: string } | undefined;
    })
    .filter((p) => p?.in === 'query' && p.name)
    .map((p) => String(p?.name));
  const input = byId<HTMLInputElement>('browse-query');
  const chips = [...new Set(names)].map((n) => {
    const chip = el('button', { type: 'button', class: 'chip', title: `add ${n}= to the query` }, n);
    chip.addEventListener('click', () => {
      input.value = `${input.value.trim()}${input.value.trim() ? '&' : ''}${n}=`;
      input.focus();
    });
    return chip;
  });
  fill(byId('browse-params'), chips.length ? ['query parameters in the contract: ', ...chips] : []);
}

async function browse(): Promise<void> {
  const path = byId<HTMLSelectElement>('browse-endpoint').value;
  const query = byId<HTMLInputElement>('browse-query').value.trim().replace(/^\?/, '');
  const url = query ? `${path}?${query}` : path;
  const status = byId('browse-status');
  status.textContent = `GET ${url} …`;
  const answer = await callGeostub('GET', url);
  byId('browse-raw').textContent = answer.json === undefined ? answer.text : JSON.stringify(answer.json, null, 2);
  const { items, note } = answer.status < 300 ? itemsOf(answer.json) : { items: [], note: '' };
  const range = answer.headers.get('X-Resource-Range');
  fill(status, [
    el('span', { class: statusClass(answer.status) }, `${answer.status}`),
    ` GET ${url} · ${answer.ms.toFixed(0)} ms · ${items.length} shown`,
    note ? ` · ${note}` : '',
    range ? ` · X-Resource-Range ${range}` : '',
    answer.status >= 300 ? ` · ${answer.text.slice(0, 300)}` : '',
  ]);
  const keys = new Set(items.flatMap((i) => Object.keys(i)));
  const columns = COLUMNS.filter((c) => keys.has(c)).slice(0, 7);
  if (!columns.length) columns.push(...[...keys].slice(0, 6));
  const table = byId('browse-table');
  fill(table.querySelector('thead') as HTMLElement, [el('tr', {}, ...columns.map((c) => el('th', {}, c)))]);
  fill(
    byId('browse-results'),
    items.map((i) => el('tr', {}, ...columns.map((c) => el('td', { title: cell(i[c]) }, cell(i[c]))))),
  );
}

async function reset(): Promise<void> {
  if (!window.confirm('Restore the seed fixtures? Every change made since is lost.')) return;
  const status = byId('reset-status');
  status.textContent = 'resetting…';
  const answer = await callGeostub('POST', '/__geostub/reset');
  status.textContent =
    answer.status === 200
      ? `data reset to the seed fixtures at ${new Date().toLocaleTimeString()}`
      : `reset failed: ${answer.text}`;
  await refreshCounts();
  window.dispatchEvent(new CustomEvent('geostub:data-changed'));
}

export function initRecords(): void {
  byId('refresh-counts').addEventListener('click', () => void refreshCounts());
  byId('reset').addEventListener('click', () => void reset());
  byId('browse-endpoint').addEventListener('change', () => void showParameters());
  byId('browse-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    void browse();
  });
  const soon = debounce(() => void refreshCounts(), 300);
  window.addEventListener('geostub:exchange', (ev) => {
    if ((ev as CustomEvent<{ method: string }>).detail.method !== 'GET') soon();
  });
  window.addEventListener('geostub:data-changed', soon);
  void refreshCounts();
  void loadEndpoints().then(() => Promise.all([browse(), showParameters()]));
}
