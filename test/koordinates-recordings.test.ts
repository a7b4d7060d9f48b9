/**
 * The catalogue contract against what the real API answers: responses recorded from koordinates.com and
 * test.koordinates.com by the official Python client (koordinates/python-client, tests/response_data/*.py), kept
 * in test/data/koordinates-recordings/ with the client file and variable each came from.
 *
 * - every recording that is a real answer of a contract operation validates against that operation's documented
 *   200 schema, through the runner's own `response_schema` check and geostub's ajv settings;
 * - the entries of recorded lists the contract has no operation for validate against the per-kind schema they share
 *   (a /layers/ entry is a LayerListEntry, a /sets/ entry a SetEntry, …), and so do the catalogue's entries;
 * - the runner, pointed at a server replaying the recordings, raises no schema alarm;
 * - every field and null the recordings show, the mock's fixtures show too (title without name, name without
 *   title, a document in /data/ with null publication dates, …).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContracts, type Contract, type Json } from '../src/contracts/load.js';
import { allOperations, buildRouteTable, type Operation } from '../src/contracts/route-table.js';
import { ContractValidators, describeErrors } from '../src/contracts/validators.js';
import { responseSchemaValid } from '../src/conformance/checks/response.js';
import { runConformance } from '../src/conformance/runner.js';
import type { CheckedExchange, RunReport } from '../src/conformance/types.js';
import { generateKoordinates } from '../src/fixtures/koordinates.js';
import {
  koordinatesRefs,
  renderKoordinatesDetail,
  renderKoordinatesItem,
  renderLicense,
  renderVersionList,
  type KoordinatesItem,
} from '../src/apis/koordinates/query/index.js';
import { cite, loadRecordings, startReplayServer, type Recording, type ReplayServer } from './helpers/recordings.js';

const recordings = loadRecordings();
let contract: Contract;
let ops: Map<string, Operation>;
let validators: ContractValidators;

beforeAll(async () => {
  contract = (await loadContracts()).find((c) => c.api === 'koordinates')!;
  ops = new Map(allOperations(buildRouteTable([contract])).map((o) => [o.operationId, o]));
  validators = new ContractValidators([contract]);
});

/** The runner's `response_schema` check on a 200 answer of `op` carrying `body`. */
function runnerSchemaProblems(op: Operation, body: unknown): string[] {
  const text = JSON.stringify(body);
  const x: CheckedExchange = {
    op,
    request: { method: 'GET', url: op.path, headers: {} },
    response: {
      status: 200,
      headers: { 'content-type': 'application/json' },
      mediaType: 'application/json',
      text,
      json: body,
      ms: 0,
    },
  };
  return responseSchemaValid.run(x, { validators }).map((p) => `${p.expected}: ${p.actual}`);
}

/** Problems of `value` against a component schema of the catalogue contract, with geostub's ajv settings. */
function schemaProblems(schema: string, value: unknown): string[] {
  const validate = validators.forSchema('koordinates', { $ref: `#/components/schemas/${schema}` } as Json);
  return validate(value) ? [] : describeErrors(validate.errors).map((e) => `${e.path}: ${e.message}`);
}

/** The per-kind schema of a catalogue list entry, by the kind its url names. */
function entrySchema(e: { url: string }): string {
  const kind = /\/services\/api\/v1\/(layers|tables|sets|documents|sources)\//.exec(e.url)?.[1];
  return (
    {
      layers: 'LayerListEntry',
      tables: 'LayerListEntry',
      sets: 'SetEntry',
      documents: 'DocumentEntry',
      sources: 'SourceEntry',
    }[kind ?? ''] ?? '?'
  );
}

describe('recorded real answers validate against the contract', () => {
  it('the data is there and cites the client', () => {
    expect(recordings.length).toBeGreaterThanOrEqual(10);
    for (const r of recordings) {
      expect(r.sources.length, r.name).toBeGreaterThan(0);
      for (const s of r.sources) {
        expect(s.repository).toBe('koordinates/python-client');
        expect(s.commit).toMatch(/^[0-9a-f]{40}$/);
        expect(s.file).toMatch(/^tests\/response_data\/\w+\.py$/);
        expect(s.variable).toMatch(/^\w+$/);
      }
      expect(!!r.answers !== !!r.entries, `${r.name}: either answers of operations or entries of a list`).toBe(true);
    }
  });

  it("every recording mapped to an operation passes the runner's response_schema check (counts per operation)", () => {
    const counts: Record<string, number> = {};
    const failures: string[] = [];
    for (const r of recordings) {
      for (const a of r.answers ?? []) {
        const op = ops.get(a.operation);
        expect(op, `${r.name}: no operation ${a.operation}`).toBeDefined();
        expect(
          new RegExp(`^${op!.path.replace(/\{[^}]+\}/g, '\\d+')}$`).test(a.path),
          `${a.path} is a path of ${a.operation}`,
        ).toBe(true);
        counts[a.operation] = (counts[a.operation] ?? 0) + 1;
        for (const p of runnerSchemaProblems(op!, r.body)) failures.push(`${a.operation} ← ${cite(r)}: ${p}`);
      }
    }
    console.log(`recorded answers per operation: ${JSON.stringify(counts)}`);
    expect(failures).toEqual([]);
    expect(counts).toEqual({
      catalogList: 1,
      catalogLatest: 1,
      layerDetail: 2,
      layerVersionDetail: 1,
      layerVersions: 1,
      setDetail: 1,
      sourceDetail: 1,
      licenseDetail: 2,
    });
  });

  it('every entry of a recorded list validates against its per-kind schema (counts per schema)', () => {
    const counts: Record<string, number> = {};
    const failures: string[] = [];
    for (const r of recordings) {
      const isKoordinatesList = r.answers?.some((a) => a.operation === 'catalogList');
      if (!r.entries && !isKoordinatesList) continue;
      for (const e of r.body as { id: number; url: string }[]) {
        const schema = r.entries?.schema ?? entrySchema(e);
        counts[schema] = (counts[schema] ?? 0) + 1;
        for (const p of schemaProblems(schema, e)) failures.push(`${schema} ← ${cite(r)} id ${e.id}: ${p}`);
      }
    }
    console.log(`recorded list entries per schema: ${JSON.stringify(counts)}`);
    expect(failures).toEqual([]);
    expect(counts).toEqual({ LayerListEntry: 122, DocumentEntry: 1, SetEntry: 14, SourceEntry: 4, License: 23 });
  });

  it('a layer needs one of name and title, not both, and not neither', () => {
    const layer = recordings.find((r) => r.name === 'layer-1474.json')!.body as Record<string, unknown>;
    expect(layer).toHaveProperty('name');
    expect(layer).not.toHaveProperty('title');
    const { name, ...neither } = layer;
    expect(schemaProblems('LayerDetail', { ...neither, title: name })).toEqual([]);
    expect(schemaProblems('LayerDetail', { ...layer, title: name })).toEqual([]);
    expect(schemaProblems('LayerDetail', neither).join('\n')).toMatch(/name|title/);
    expect(
      schemaProblems('LayerListEntry', {
        id: 1,
        url: 'https://x.test/services/api/v1/layers/1/',
        type: 'layer',
        first_published_at: null,
        published_at: null,
      }).length,
    ).toBeGreaterThan(0);
    expect(runnerSchemaProblems(ops.get('layerDetail')!, neither).join('\n')).toMatch(
      /must match a schema in anyOf|name|title/,
    );
  });

  it('a catalogue entry with neither name nor title is a schema alarm for the runner', () => {
    const entries = recordings.find((r) => r.name === 'catalog-license-false.json')!.body as Record<string, unknown>[];
    const broken = entries.map((e, i) =>
      i === 0 ? Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'title' && k !== 'name')) : e,
    );
    expect(runnerSchemaProblems(ops.get('catalogList')!, entries)).toEqual([]);
    expect(runnerSchemaProblems(ops.get('catalogList')!, broken)).toHaveLength(1);
  });
});

describe('the runner against a server replaying the recordings', () => {
  let replay: ReplayServer;
  const reports: RunReport[] = [];
  // the request cases of every operation with a recording, and the catalogue's pagination walks
  const only = [
    'GET /services/api/v1/data/ · request',
    'GET /services/api/v1/data/ · pagination',
    'GET /services/api/v1/data/latest/ · request',
    'GET /services/api/v1/data/latest/ · pagination',
    'GET /services/api/v1/layers/{id}/ · request',
    'GET /services/api/v1/layers/{id}/versions/ · request',
    'GET /services/api/v1/layers/{id}/versions/{version_id}/ · request',
    'GET /services/api/v1/sets/{id}/ · request',
    'GET /services/api/v1/sources/{id}/ · request',
    'GET /services/api/v1/licenses/{id}/ · request',
  ];

  beforeAll(async () => {
    replay = await startReplayServer(recordings);
    // twice: a path with two recordings (/layers/1474/, /licenses/10/) answers the second one on the second run
    for (let round = 0; round < 2; round++) {
      reports.push(
        await runConformance({
          target: replay.url,
          apis: ['koordinates'],
          allowWrites: false,
          credentials: {},
          timeoutMs: 5000,
          only,
          concurrency: 1,
        }),
      );
    }
  });
  afterAll(() => replay?.close());

  it('raises no schema alarm, and every selected case ran and passed', () => {
    for (const report of reports) {
      expect(report.unreachable).toBeUndefined();
      expect(report.cases.map((c) => c.id).sort()).toEqual([...only].sort());
      expect(report.failures.filter((f) => f.check === 'response_schema')).toEqual([]);
      expect(report.failures).toEqual([]);
      expect(report.cases.filter((c) => c.status !== 'passed').map((c) => `${c.id}: ${c.reason}`)).toEqual([]);
      const schemaChecks = report.cases.flatMap((c) => c.checks).filter((c) => c.check === 'response_schema');
      expect(schemaChecks.length).toBeGreaterThanOrEqual(only.length);
    }
  });

  it('the runner read the recorded details, each recording at least once', () => {
    for (const path of [
      '/services/api/v1/layers/1474/',
      '/services/api/v1/layers/1474/versions/',
      '/services/api/v1/layers/1474/versions/4067/',
      '/services/api/v1/sets/933/',
      '/services/api/v1/sources/21836/',
    ]) {
      expect(replay.served.get(path), path).toBeGreaterThanOrEqual(2);
    }
    // layer 1474's catalogue licence (9) is an entry of the recorded /licenses/ list
    expect(replay.served.get('/services/api/v1/licenses/9/')).toBeGreaterThanOrEqual(2);
  });

  it('a replayed answer that breaks the contract is a schema alarm (the runner can fail here)', async () => {
    const set = recordings.find((r) => r.name === 'set-933.json')!;
    const broken: Recording = { ...set, body: { ...(set.body as object), items: 'not a list' } };
    const faulty = await startReplayServer([...recordings.filter((r) => r !== set), broken]);
    try {
      const report = await runConformance({
        target: faulty.url,
        apis: ['koordinates'],
        allowWrites: false,
        credentials: {},
        timeoutMs: 5000,
        only: ['GET /services/api/v1/sets/{id}/ · request'],
      });
      expect(report.failures.map((f) => f.check)).toEqual(['response_schema']);
      expect(report.failures[0].actual).toMatch(/items/);
    } finally {
      await faulty.close();
    }
  });
});

describe("the runner's catalogue sort check reads the name shown, title or name", () => {
  // the recorded catalogue (layers named by title alone, a document by name) and koordinates.com's layers (name alone)
  const mixed = recordings.filter((r) => r.name === 'catalog-license-false.json' || r.name === 'layers-list.json');
  const shown = (e: Record<string, unknown>) => String(e.title ?? e.name ?? '').toLowerCase();
  const sortCase = async (sortKey: (e: Record<string, unknown>) => string) => {
    const server = await startReplayServer(
      mixed.map((r) => ({
        ...r,
        answers: [{ operation: 'catalogList', path: '/services/api/v1/data/' }],
        entries: undefined,
      })),
      { sortKey },
    );
    try {
      return await runConformance({
        target: server.url,
        apis: ['koordinates'],
        allowWrites: false,
        credentials: {},
        timeoutMs: 5000,
        only: ['GET /services/api/v1/data/ · sort'],
      });
    } finally {
      await server.close();
    }
  };

  it('entries sorted by title-else-name pass, whichever of the two each carries', async () => {
    const report = await sortCase(shown);
    expect(report.summary.cases).toBe(1);
    expect(report.cases[0].checks.filter((c) => c.check === 'sort_honoured')).toHaveLength(2);
    expect(report.failures).toEqual([]);
  });

  it('entries sorted by the `name` key alone (title-only entries as empty) are reported', async () => {
    const report = await sortCase((e) => String(e.name ?? '').toLowerCase());
    expect(report.failures.map((f) => f.check)).toContain('sort_honoured');
  });
});

describe('the mock shows what the real answers show', () => {
  const fx = generateKoordinates({ seed: 42, scale: 300 });
  const refs = koordinatesRefs(fx);
  const origin = 'http://127.0.0.1:8080';
  const published = (i: KoordinatesItem) => i.versions.some((v) => v.published);

  /** `key:type` for each top-level key (`first_published_at:null`), plus which of name/title an entry carries. */
  function features(e: Record<string, unknown>): string[] {
    const out = Object.entries(e).map(
      ([k, v]) => `${k}:${v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v}`,
    );
    if (!/\/(sets|sources)\//.test(String(e.url)) && ('name' in e || 'title' in e))
      out.push(`names:${['name', 'title'].filter((k) => k in e).join('+')}`);
    return out;
  }

  /** What the mock renders for one operation, over every fixture item it applies to. */
  function mockAnswers(operation: string): Record<string, unknown>[] {
    const items = fx.kx_items;
    const layers = items.filter((i) => i.type === 'layer');
    switch (operation) {
      case 'catalogList':
        return items.filter(published).map((i) => renderKoordinatesItem(i, 'published', false, origin, refs));
      case 'catalogLatest':
        return items.map((i) => renderKoordinatesItem(i, 'latest', false, origin, refs));
      case 'layerDetail':
        return layers.map((i) => renderKoordinatesDetail(i, origin, refs)!);
      case 'layerVersionDetail':
        return layers.flatMap((i) => i.versions.map((v) => renderKoordinatesDetail(i, origin, refs, v.id)!));
      case 'layerVersions':
        return layers.flatMap((i) => renderVersionList(i, origin));
      case 'setDetail':
        return items.filter((i) => i.type === 'set').map((i) => renderKoordinatesDetail(i, origin, refs)!);
      case 'sourceDetail':
        return items.filter((i) => i.type === 'source').map((i) => renderKoordinatesDetail(i, origin, refs)!);
      case 'licenseDetail':
        return fx.kx_licenses.map((l) => renderLicense(l, origin));
      default:
        throw new Error(`no mock rendering for ${operation}`);
    }
  }

  it("every field, null and name/title combination of a recorded answer appears in the mock's answers of the same operation", () => {
    const missing: string[] = [];
    for (const r of recordings) {
      for (const a of r.answers ?? []) {
        const mock = new Set(
          mockAnswers(a.operation).flatMap((e) => features(JSON.parse(JSON.stringify(e)) as Record<string, unknown>)),
        );
        const entries = (Array.isArray(r.body) ? r.body : [r.body]) as Record<string, unknown>[];
        for (const f of new Set(entries.flatMap(features)))
          if (!mock.has(f)) missing.push(`${a.operation}: ${f} (${cite(r)})`);
      }
    }
    expect(missing).toEqual([]);
  });
});
