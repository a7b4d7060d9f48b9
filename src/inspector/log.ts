/** The live request log: server-sent events from `/__geostub/inspector/events`, and one exchange in full. */
import type { Exchange } from '../server/request-log.js';
import { bearerToken, byId, callGeostub, el, fill, pretty, statusClass, timeOf } from './http.js';

/** What the live log's event stream carries of an exchange (the server's type; erased when compiled). */
type Summary = Pick<Exchange, 'id' | 'at' | 'method' | 'url' | 'status' | 'ms' | 'user' | 'error' | 'violations'>;

const MAX_ROWS = 500;
let paused = false;
const held: Summary[] = [];
let chosen: number | null = null;

function row(e: Summary): HTMLElement {
  const tr = el(
    'tr',
    { class: 'pick', 'data-id': String(e.id), title: e.url },
    el('td', { class: 'mute' }, e.id),
    el('td', {}, timeOf(e.at).slice(11)),
    el('td', {}, e.method),
    el('td', { class: 'path' }, e.url),
    el('td', { class: statusClass(e.status) }, e.status, e.error ? el('span', { class: 'mute' }, ` ${e.error}`) : null),
    el('td', { class: 'num' }, e.ms.toFixed(1)),
    el('td', {}, e.user ?? el('span', { class: 'mute' }, 'anonymous')),
    el('td', { class: 'violations' }, e.violations.join('; ')),
  );
  tr.addEventListener('click', () => void show(e.id));
  return tr;
}

function add(e: Summary): void {
  const body = byId('log');
  if (body.querySelector(`tr[data-id="${e.id}"]`)) return; // a replay after reconnecting
  body.prepend(row(e));
  while (body.children.length > MAX_ROWS) body.lastElementChild?.remove();
  window.dispatchEvent(new CustomEvent('geostub:exchange', { detail: e }));
}

function headerBlock(title: string, headers: Record<string, string>, body: string | undefined): HTMLElement {
  const lines = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  return el(
    'div',
    {},
    el('b', {}, title),
    el('pre', {}, lines),
    body ? el('pre', { class: 'body' }, pretty(body)) : el('div', { class: 'mute' }, '(no body)'),
  );
}

async function show(id: number): Promise<void> {
  chosen = id;
  for (const tr of byId('log').querySelectorAll('tr.chosen')) tr.classList.remove('chosen');
  byId('log').querySelector(`tr[data-id="${id}"]`)?.classList.add('chosen');
  const detail = byId('log-detail');
  const answer = await callGeostub('GET', `/__geostub/inspector/exchanges/${id}`);
  if (chosen !== id) return;
  if (answer.status !== 200) {
    fill(detail, [el('span', { class: 'mute' }, `exchange #${id} is no longer kept (${answer.status})`)]);
    return;
  }
  const x = answer.json as Summary & {
    requestHeaders: Record<string, string>;
    requestBody?: string;
    responseHeaders: Record<string, string>;
    responseBody?: string;
  };
  detail.className = '';
  fill(detail, [
    el(
      'div',
      { class: 'row' },
      el('b', {}, `#${x.id} ${x.method} ${x.url}`),
      el('span', { class: statusClass(x.status) }, `→ ${x.status}`),
      el(
        'span',
        { class: 'mute' },
        `${x.ms.toFixed(1)} ms · ${timeOf(x.at)} · ${x.user ?? 'anonymous'}${x.error ? ` · ${x.error}` : ''}`,
      ),
    ),
    x.violations.length
      ? el('div', { class: 'violations' }, `contract violations: ${x.violations.join('; ')}`)
      : el('div', { class: 'mute' }, 'no contract violations recorded'),
    el(
      'div',
      { class: 'detail' },
      headerBlock('request', x.requestHeaders, x.requestBody),
      headerBlock('response', x.responseHeaders, x.responseBody),
    ),
  ]);
}

/**
 * The event stream: API requests only, or (`all`) geostub's own requests and static files too. Changing the toggle
 * opens a new stream, which replays the server's recent exchanges of the new choice.
 */
function listen(all: boolean): EventSource {
  const token = bearerToken();
  const query = new URLSearchParams();
  if (token) query.set('token', token);
  if (all) query.set('all', '1');
  const qs = query.toString();
  const source = new EventSource(`/__geostub/inspector/events${qs ? `?${qs}` : ''}`);
  const state = byId('log-state');
  source.addEventListener('open', () => (state.textContent = '● live'));
  source.addEventListener('error', () => (state.textContent = '○ reconnecting…'));
  source.addEventListener('exchange', (ev) => {
    const e = JSON.parse((ev as MessageEvent<string>).data) as Summary;
    if (paused) held.push(e);
    else add(e);
  });
  return source;
}

export function initLog(): void {
  let source = listen(false);
  byId<HTMLInputElement>('log-all').addEventListener('change', (ev) => {
    source.close();
    held.length = 0;
    fill(byId('log'), []);
    source = listen((ev.target as HTMLInputElement).checked);
  });
  byId<HTMLInputElement>('log-pause').addEventListener('change', (ev) => {
    paused = (ev.target as HTMLInputElement).checked;
    if (!paused) held.splice(0).forEach(add);
  });
  byId('log-clear').addEventListener('click', () => {
    fill(byId('log'), []);
    fill(byId('log-detail'), ['Click a request to see the whole exchange.']);
    byId('log-detail').className = 'mute';
  });
}
