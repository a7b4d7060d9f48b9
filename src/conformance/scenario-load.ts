/**
 * Scenario files (`contracts/scenarios/*.yaml`, one scenario each): loading and shape checking. The format is
 * described in contracts/scenarios/README.md; a file that does not follow it is reported, never half-run.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { PACKAGE_ROOT } from '../contracts/load.js';
import type { Expectation } from './expect.js';
import type { ApiName } from './types.js';

export interface Walk {
  /** dotted path of the items in a page body ('' = the body is the array) */
  items: string;
  /** where the next page is: a `Link` rel or a body path */
  next: { link: string } | { body: string };
  /** where the whole count is: `X-Resource-Range`'s total or a body path */
  total?: { header: string } | { body: string };
  'max-pages'?: number;
}

export interface Step {
  name: string;
  /** `METHOD path?query`, with `{{var}}` templates */
  send: string;
  as?: 'anonymous';
  headers?: Record<string, string>;
  body?: unknown;
  form?: Record<string, unknown>;
  multipart?: Record<string, string | { filename: string; content: string }>;
  expect?: Expectation;
  /** variable → dotted path into the body (`@status`, `@header.<name>` for the rest) */
  capture?: Record<string, string>;
  /** repeat the request until the answer matches `until`, at most `--timeout` */
  poll?: { until: Expectation; check?: string; 'interval-ms'?: number };
  /** when the answer matches `when`, the target lacks the feature: the rest of the scenario is skipped */
  unsupported?: { when: Expectation; reason: string };
  walk?: Walk;
  /** apply the contract's response checks to the answer (default true) */
  contract?: boolean;
  /** the GeoNode releases the step applies to (default every one); in others it is passed over */
  releases?: number[];
}

export interface Scenario {
  name: string;
  file: string;
  title: string;
  description?: string;
  api: ApiName;
  /** sends something other than GET/HEAD/OPTIONS: runs only with --allow-writes */
  writes: boolean;
  steps: Step[];
  /** run whatever happened, in order; what they cannot remove is reported as left over */
  cleanup: Step[];
  /** records the scenario creates that no contract operation can remove */
  leaves?: string[];
  /** the GeoNode releases the scenario applies to (default every one); in others it is skipped, with the reason */
  releases?: number[];
}

export const SCENARIOS_DIR = join(PACKAGE_ROOT, 'contracts', 'scenarios');

const STEP_KEYS = new Set([
  'name',
  'send',
  'as',
  'headers',
  'body',
  'form',
  'multipart',
  'expect',
  'capture',
  'poll',
  'unsupported',
  'walk',
  'contract',
  'releases',
]);

function releasesOf(file: string, v: unknown, where: string): number[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length === 0 || !v.every((r) => r === 4 || r === 5))
    fail(file, `${where}releases must be a list of GeoNode releases (4, 5)`);
  return v as number[];
}
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export class ScenarioError extends Error {}

function fail(file: string, message: string): never {
  throw new ScenarioError(`${file}: ${message}`);
}

function asStep(file: string, raw: unknown, where: string): Step {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) fail(file, `${where} is not a mapping`);
  const s = raw as Record<string, unknown>;
  for (const k of Object.keys(s)) if (!STEP_KEYS.has(k)) fail(file, `${where}: unknown key "${k}"`);
  if (typeof s.send !== 'string' || !/^(GET|HEAD|OPTIONS|POST|PUT|PATCH|DELETE) \/\S*$/.test(s.send))
    fail(file, `${where}: send must be "METHOD /path"`);
  if (s.as !== undefined && s.as !== 'anonymous') fail(file, `${where}: as must be "anonymous"`);
  releasesOf(file, s.releases, `${where}: `);
  const bodies = ['body', 'form', 'multipart'].filter((k) => s[k] !== undefined);
  if (bodies.length > 1) fail(file, `${where}: give one of body, form, multipart`);
  return { ...(s as unknown as Step), name: typeof s.name === 'string' ? s.name : `${where}: ${s.send}` };
}

export function parseScenario(file: string, doc: unknown): Scenario {
  if (!doc || typeof doc !== 'object') fail(file, 'not a mapping');
  const d = doc as Record<string, unknown>;
  if (d.api !== 'geonode' && d.api !== 'koordinates') fail(file, 'api must be geonode or koordinates');
  if (typeof d.title !== 'string') fail(file, 'title is required');
  if (!Array.isArray(d.steps) || d.steps.length === 0) fail(file, 'steps must be a non-empty list');
  const steps = d.steps.map((s, i) => asStep(file, s, `steps[${i}]`));
  const cleanup = (Array.isArray(d.cleanup) ? d.cleanup : []).map((s, i) => asStep(file, s, `cleanup[${i}]`));
  const writes = [...steps, ...cleanup].some((s) => !SAFE.has(s.send.split(' ')[0]));
  if (d.writes !== undefined && d.writes !== writes)
    fail(file, `writes: ${String(d.writes)} but the steps ${writes ? 'do' : 'do not'} write`);
  return {
    name: basename(file).replace(/\.ya?ml$/, ''),
    file,
    title: d.title,
    description: typeof d.description === 'string' ? d.description : undefined,
    api: d.api,
    writes,
    steps,
    cleanup,
    leaves: Array.isArray(d.leaves) ? d.leaves.map(String) : undefined,
    releases: releasesOf(file, d.releases, ''),
  };
}

/** Every scenario of a directory, sorted by file name. */
export async function loadScenarios(dir = SCENARIOS_DIR): Promise<Scenario[]> {
  const { parse } = await import('yaml');
  const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  return Promise.all(
    files.map(async (f) => {
      let doc: unknown;
      try {
        doc = parse(await readFile(join(dir, f), 'utf8'));
      } catch (err) {
        fail(f, `not valid YAML: ${(err as Error).message.split('\n')[0]}`);
      }
      return parseScenario(f, doc);
    }),
  );
}
