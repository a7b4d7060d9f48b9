/** Jobs in flight (and those that ended) with their states, and the virtual clock's controls. */
import type { JobRow } from '../server/inspector.js'; // a type only: erased in the browser build
import { byId, callGeostub, debounce, el, fill, timeOf } from './http.js';

let stepMs = 0;

function badge(j: JobRow): HTMLElement {
  const cls = j.pending ? 'pending' : /fail|error|abort/i.test(j.state ?? '') || j.error ? 'failed' : 'ended';
  return el('span', { class: `badge ${cls} state`, title: j.error }, j.state ?? (j.pending ? 'pending' : 'ended'));
}

export async function refreshJobs(): Promise<void> {
  const [clock, jobs] = await Promise.all([
    callGeostub('GET', '/__geostub/clock'),
    callGeostub('GET', '/__geostub/inspector/jobs'),
  ]);
  if (clock.status === 200) {
    byId('clock-now').textContent = timeOf(clock.json.now);
    byId('clock-ahead').textContent =
      `${clock.json.ahead_ms} ms ahead of real time · ${clock.json.pending} pending · a step takes ${clock.json.job_duration_ms} ms`;
    const input = byId<HTMLInputElement>('advance-ms');
    if (!stepMs && !input.value) input.value = String(clock.json.job_duration_ms || 1000);
    stepMs = clock.json.job_duration_ms;
  }
  if (jobs.status !== 200) return;
  const rows = (jobs.json.jobs as JobRow[]).map((j) =>
    el(
      'tr',
      { 'data-job': j.id, 'data-kind': j.kind },
      el('td', { title: `store collection: ${j.collection}` }, j.kind),
      el('td', { title: j.id, class: 'id' }, j.id),
      el('td', {}, badge(j)),
      el('td', { title: timeOf(j.due) }, j.due ? timeOf(j.due).slice(11) : el('span', { class: 'mute' }, '—')),
      el('td', { title: timeOf(j.at) }, timeOf(j.at).slice(11)),
    ),
  );
  fill(
    byId('jobs'),
    rows.length
      ? rows
      : [el('tr', {}, el('td', { colspan: '5', class: 'mute' }, 'No jobs have run since the server started.'))],
  );
}

async function act(label: string, method: string, url: string, body?: unknown): Promise<void> {
  const status = byId('jobs-status');
  status.textContent = `${label}…`;
  const answer = await callGeostub(method, url, body);
  status.textContent =
    answer.status === 200
      ? `${label}: ${answer.json.ran ?? answer.json.settled ?? 0} step(s) ran`
      : `${label} failed: ${answer.text}`;
  await refreshJobs();
  window.dispatchEvent(new CustomEvent('geostub:data-changed'));
}

export function initJobs(): void {
  byId('advance').addEventListener('click', () => {
    const ms = Number(byId<HTMLInputElement>('advance-ms').value);
    void act(`advanced ${ms} ms`, 'POST', '/__geostub/clock/advance', { ms });
  });
  byId('settle').addEventListener('click', () => void act('settled', 'POST', '/__geostub/jobs/settle'));
  byId('refresh-jobs').addEventListener('click', () => void refreshJobs());
  const soon = debounce(() => void refreshJobs(), 250);
  window.addEventListener('geostub:exchange', soon);
  window.addEventListener('geostub:data-changed', soon);
  window.setInterval(() => void refreshJobs(), 5000);
  void refreshJobs();
}
