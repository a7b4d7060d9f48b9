/** The latency / error-rate / fault switches, read from and written to `GET|PATCH /__geostub/settings`. */
import { byId, callGeostub, el, fill } from './http.js';

interface Settings {
  latency: { min: number; max: number } | null;
  errorRate: number;
  rules: { match: string; latency?: { min: number; max: number } | null; errorRate?: number; status?: number[] }[];
  faults?: string[];
}

interface FaultInfo {
  name: string;
  area: string;
  description: string;
}

const num = (id: string) => byId<HTMLInputElement>(id);

function show(s: Settings): void {
  num('latency-min').value = s.latency ? String(s.latency.min) : '';
  num('latency-max').value = s.latency ? String(s.latency.max) : '';
  num('error-rate').value = String(s.errorRate);
  const rules = s.rules.map(
    (r) =>
      `${r.match}${r.latency ? ` · ${r.latency.min}-${r.latency.max} ms` : ''}${r.errorRate ? ` · ${r.errorRate * 100}% → ${(r.status ?? []).join('/') || 'errors'}` : ''}`,
  );
  byId('rules').textContent = rules.length
    ? `rules (from --config or PATCH /__geostub/settings): ${rules.join(' | ')}`
    : 'no per-route rules';
  const active = new Set(s.faults ?? []);
  for (const box of document.querySelectorAll<HTMLInputElement>('input[name=fault]'))
    box.checked = active.has(box.value);
}

async function load(): Promise<void> {
  const [settings, faults] = await Promise.all([
    callGeostub('GET', '/__geostub/settings'),
    callGeostub('GET', '/__geostub/inspector/faults'),
  ]);
  if (settings.status !== 200) {
    byId('settings-status').textContent = `settings unavailable (${settings.status})`;
    return;
  }
  const s = settings.json as Settings;
  const list = faults.status === 200 && Array.isArray(s.faults) ? (faults.json.faults as FaultInfo[]) : [];
  fill(
    byId('faults'),
    list.length
      ? [
          el('div', { class: 'mute' }, 'planted faults (deviations from the contracts):'),
          ...list.map((f) =>
            el(
              'label',
              { title: f.description },
              el('input', { type: 'checkbox', name: 'fault', value: f.name }),
              ` ${f.name} `,
              el('span', { class: 'mute' }, `(${f.area})`),
            ),
          ),
        ]
      : [el('div', { class: 'mute' }, 'faults cannot be changed at runtime on this server')],
  );
  show(s);
}

async function apply(patch: Record<string, unknown>): Promise<void> {
  const status = byId('settings-status');
  const answer = await callGeostub('PATCH', '/__geostub/settings', patch);
  if (answer.status === 200) {
    show(answer.json as Settings);
    status.textContent = `applied at ${new Date().toLocaleTimeString()}`;
  } else status.textContent = `not applied: ${answer.json?.error ?? answer.text}`;
}

function patchFromForm(): Record<string, unknown> {
  const min = num('latency-min').value.trim();
  const max = num('latency-max').value.trim();
  const patch: Record<string, unknown> = {
    latency: min === '' && max === '' ? null : { min: Number(min || max), max: Number(max || min) },
    errorRate: Number(num('error-rate').value || 0),
  };
  const boxes = [...document.querySelectorAll<HTMLInputElement>('input[name=fault]')];
  if (boxes.length) patch.faults = boxes.filter((b) => b.checked).map((b) => b.value);
  return patch;
}

export function initSettings(): void {
  byId('settings-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    void apply(patchFromForm());
  });
  byId('settings-form').addEventListener('change', (ev) => {
    if ((ev.target as HTMLInputElement).name === 'fault') void apply(patchFromForm());
  });
  byId('settings-clear').addEventListener('click', () => {
    const boxes = document.querySelectorAll('input[name=fault]').length;
    void apply({ latency: null, errorRate: 0, rules: null, ...(boxes ? { faults: [] } : {}) });
  });
  void load();
}
