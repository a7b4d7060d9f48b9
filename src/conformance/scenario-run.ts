/**
 * Running a scenario against a target: each step is one request (templated with the values earlier steps
 * captured), checked against its contract operation and against the step's own expectations; `poll` repeats a
 * request until an async lifecycle ends, `walk` follows next links to the end, `unsupported` stops a scenario
 * when the target lacks an optional feature. Cleanup steps always run.
 */
import type { Operation } from '../contracts/route-table.js';
import { requiresAuth } from './contract-view.js';
import { call, findOperation, type Case, type RunContext } from './context.js';
import { expectationProblems, matches, type Expectation } from './expect.js';
import { opKey, type RequestSpec } from './http.js';
import { getPath } from './params.js';
import type { CaseRecorder } from './recorder.js';
import { shorten, show } from './recorder.js';
import type { Scenario, Step } from './scenario-load.js';
import { walkPages } from './scenario-walk.js';
import type { CheckedExchange } from './types.js';

type Vars = Record<string, unknown>;
type Outcome = 'ok' | 'stop';

class Unresolved extends Error {}

const TEMPLATE = /\{\{\s*([\w.-]+)\s*\}\}/g;

/** A request target with `{{name}}` templates filled (values URL-encoded). */
export function renderPath(target: string, vars: Vars): string {
  return target.replace(TEMPLATE, (_m, name: string) => encodeURIComponent(String(lookup(vars, name))));
}

function lookup(vars: Vars, name: string): unknown {
  const v = getPath(vars, name);
  if (v === undefined) throw new Unresolved(name);
  return v;
}

function renderBody(value: unknown, vars: Vars): unknown {
  if (typeof value === 'string') {
    const whole = /^\{\{\s*([\w.-]+)\s*\}\}$/.exec(value);
    if (whole) return lookup(vars, whole[1]);
    return value.replace(TEMPLATE, (_m, name: string) => String(lookup(vars, name)));
  }
  if (Array.isArray(value)) return value.map((v) => renderBody(v, vars));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderBody(v, vars)]));
  return value;
}

function stepOperation(ops: Operation[], step: Step): Operation | undefined {
  const [method, target] = step.send.split(' ');
  return findOperation(ops, method, target.replace(TEMPLATE, 'x'));
}

export function scenarioCase(s: Scenario, ops: Operation[]): Case {
  const stepOps = [...s.steps, ...s.cleanup].map((st) => stepOperation(ops, st)).filter((o): o is Operation => !!o);
  return {
    id: `scenario ${s.name}`,
    kind: 'scenario',
    api: s.api,
    ops: [...new Map(stepOps.map((o) => [opKey(o), o])).values()],
    writes: s.writes,
    async run(ctx, rec) {
      if (s.releases && !s.releases.includes(ctx.release))
        return void (rec.skipped = `GeoNode ${s.releases.join(' and ')} only; the target is checked as GeoNode ${ctx.release}`);
      if (s.writes && !ctx.http.hasCredentials(s.api))
        return void (rec.skipped = 'a writing scenario needs credentials');
      const vars: Vars = { run: ctx.runId, user: ctx.options.credentials.user?.name ?? '' };
      try {
        for (const step of s.steps) if ((await runStep(ctx, rec, s, step, vars, false)) === 'stop') break;
      } finally {
        for (const step of s.cleanup) await runStep(ctx, rec, s, step, vars, true).catch(() => undefined);
        for (const leave of s.leaves ?? []) {
          try {
            ctx.leftovers.push(`${s.name}: ${String(renderBody(leave, vars))}`);
          } catch {
            /* nothing was created */
          }
        }
      }
    },
  };
}

async function runStep(
  ctx: RunContext,
  rec: CaseRecorder,
  s: Scenario,
  raw: Step,
  vars: Vars,
  cleanup: boolean,
): Promise<Outcome> {
  if (raw.releases && !raw.releases.includes(ctx.release)) return 'ok'; // a step of another release's API
  const [method, rawTarget] = raw.send.split(' ');
  let spec: RequestSpec;
  let step = raw;
  try {
    // expectations may name captured values too
    step = {
      ...raw,
      ...(raw.expect ? { expect: renderBody(raw.expect, vars) as Expectation } : {}),
      ...(raw.poll ? { poll: renderBody(raw.poll, vars) as Step['poll'] } : {}),
    };
    const path = renderPath(rawTarget, vars);
    spec = {
      method,
      path,
      as: step.as,
      headers: step.headers ? (renderBody(step.headers, vars) as Record<string, string>) : undefined,
      json: step.body !== undefined ? renderBody(step.body, vars) : undefined,
      form: step.form ? formOf(renderBody(step.form, vars) as Record<string, unknown>) : undefined,
      multipart: step.multipart ? (renderBody(step.multipart, vars) as RequestSpec['multipart']) : undefined,
      op: undefined,
    };
  } catch (err) {
    if (!(err instanceof Unresolved)) throw err;
    if (cleanup) return 'ok'; // nothing was created for this cleanup to remove
    rec.record(
      'scenario_expectation',
      [{ expected: `a value for {{${err.message}}} from an earlier step`, actual: 'none was captured' }],
      undefined,
      '-',
      step.name,
    );
    return 'stop';
  }
  const op = findOperation(ctx.ops, method, spec.path);
  if (!op) {
    rec.record(
      'scenario_definition',
      [
        {
          expected: `${method} ${spec.path.split('?')[0]} is an operation of the contract`,
          actual: `no operation of ${s.file} matches`,
        },
      ],
      undefined,
      '-',
      step.name,
    );
    return 'stop';
  }
  if (!cleanup && step.as !== 'anonymous' && requiresAuth(op) && !ctx.http.hasCredentials(s.api)) {
    // as the generated cases do: a step whose contract needs a login is not run without credentials, and says so;
    // later steps run unless they need what this one would have captured
    const why = `step "${step.name}" skipped: the contract requires credentials for ${opKey(op)} and none were given`;
    rec.skipped = rec.skipped ? `${rec.skipped}; ${why}` : why;
    return step.capture && Object.keys(step.capture).length ? 'stop' : 'ok';
  }
  if (step.contract !== false) spec.op = op;
  const where = `scenario ${s.file} · ${step.name}`;
  let x: CheckedExchange;
  if (step.poll) {
    x = await poll(ctx, rec, s, step, spec);
  } else {
    x = await call(ctx, rec, s.api, spec, { step: step.name });
    if (!spec.op) rec.exercised.add(opKey(op));
  }
  if (cleanup) {
    if (x.response.status >= 400 && x.response.status !== 404)
      ctx.leftovers.push(
        `${s.name}: ${method} ${x.request.url} answered ${x.response.status} ${shorten(x.response.text, 120)}`,
      );
    return 'ok';
  }
  if (step.unsupported && matches(x, step.unsupported.when)) {
    rec.skipped = step.unsupported.reason;
    return 'stop';
  }
  if (step.walk) await walkPages(ctx, rec, s.api, op, step, x);
  if (step.expect)
    rec.record(
      step.expect.check ?? 'scenario_expectation',
      expectationProblems(x, step.expect, where),
      x,
      undefined,
      step.name,
    );
  for (const [name, path] of Object.entries(step.capture ?? {})) {
    const value =
      path === '@status'
        ? x.response.status
        : path.startsWith('@header.')
          ? x.response.headers[path.slice(8).toLowerCase()]
          : getPath(x.response.json, path);
    if (value === undefined || value === null) {
      rec.record(
        step.expect?.check ?? 'scenario_expectation',
        [
          {
            expected: `${path} in the answer (captured as {{${name}}})`,
            actual: `${x.response.status} ${shorten(x.response.text, 200)}`,
            contractPath: where,
          },
        ],
        x,
        undefined,
        step.name,
      );
      return 'stop';
    }
    vars[name] = value;
  }
  return 'ok';
}

function formOf(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

/** Repeat a request until its answer matches `poll.until` or `--timeout` has passed; the last answer is checked. */
async function poll(
  ctx: RunContext,
  rec: CaseRecorder,
  s: Scenario,
  step: Step,
  spec: RequestSpec,
): Promise<CheckedExchange> {
  const until: Expectation = step.poll!.until;
  const deadline = Date.now() + ctx.options.timeoutMs;
  let interval = step.poll!['interval-ms'] ?? 50;
  const seen: string[] = [];
  for (;;) {
    const x = await ctx.http.send(s.api, { ...spec, op: undefined });
    const state = summarise(x, until);
    if (seen[seen.length - 1] !== state) seen.push(state);
    const done = matches(x, until);
    if (done || Date.now() + interval > deadline) {
      const final = await call(ctx, rec, s.api, { ...spec }, { step: step.name });
      const ok = done || matches(final, until);
      rec.record(
        step.poll!.check ?? 'lifecycle_final_state',
        ok
          ? []
          : [
              {
                expected: `within ${ctx.options.timeoutMs} ms: ${describeUntil(until)}`,
                actual: `states seen: ${seen.join(' → ')}`,
                contractPath: `scenario ${s.file} · ${step.name}`,
              },
            ],
        final,
        undefined,
        step.name,
      );
      return final;
    }
    await new Promise((r) => setTimeout(r, interval));
    interval = Math.min(interval * 2, 1000);
  }
}

function summarise(x: CheckedExchange, until: Expectation): string {
  const parts = [String(x.response.status)];
  for (const path of Object.keys(until.body ?? {})) parts.push(`${path}=${show(getPath(x.response.json, path), 60)}`);
  return parts.join(' ');
}

function describeUntil(e: Expectation): string {
  const parts: string[] = [];
  if (e.status !== undefined) parts.push(`status ${show(e.status)}`);
  for (const [k, v] of Object.entries(e.body ?? {})) parts.push(`${k} ${show(v, 100)}`);
  return parts.join(', ');
}
