/**
 * ajv validators over the contracts. Each contract's components are registered once under the contract's api
 * name, so a schema is compiled once and `$ref`s stay shared. Request-body validators are compiled at start;
 * response validators (the self-check, --strict, the conformance runner) are compiled on first use and cached.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { resolveRef, type Contract, type Json, type JsonObject } from './load.js';
import type { Operation } from './route-table.js';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext resolution
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

export interface ValidationProblem {
  /** JSON path of the offending value, e.g. `/resources/0/pk` */
  path: string;
  message: string;
  /** the field named by the problem, when there is one (`title`, `maintenance_frequency`) */
  field?: string;
  keyword: string;
}

export class ContractValidators {
  private ajvInstance: Ajv | undefined;
  private cache = new Map<string, ValidateFunction>();

  constructor(private readonly contracts: Contract[]) {}

  /** ajv with every contract's components registered, made on first use (start-up does not wait for it). */
  private get ajv(): Ajv {
    if (this.ajvInstance) return this.ajvInstance;
    const contracts = this.contracts;
    // the contracts are linted by `geostub lint` and a test; re-validating them against the meta-schema at every
    // start would cost ~40 ms
    const ajv = new Ajv({
      strict: false,
      allErrors: false,
      discriminator: true,
      validateFormats: true,
      validateSchema: false,
    });
    addFormats(ajv);
    for (const c of contracts) {
      // the document root becomes the schema root, so `#/components/schemas/X` refs inside it resolve
      ajv.addSchema({
        $id: `${c.api}.json`,
        components: rewriteRefs(c.doc.components ?? {}, `${c.api}.json`),
      } as object);
    }
    return (this.ajvInstance = ajv);
  }

  /** Validator for a schema node taken from a contract (may be a `$ref`). Cached by api + JSON text of the node. */
  forSchema(api: string, schema: Json): ValidateFunction {
    const key = `${api}:${JSON.stringify(schema)}`;
    let v = this.cache.get(key);
    if (!v) {
      v = this.ajv.compile(rewriteRefs(schema, `${api}.json`) as object);
      this.cache.set(key, v);
    }
    return v;
  }

  /** The JSON request-body validator of an operation, or undefined when it takes no JSON body. */
  requestBody(op: Operation): ValidateFunction | undefined {
    const content = op.requestBody?.content as JsonObject | undefined;
    const media = (content?.['application/json'] as JsonObject | undefined)?.schema;
    return media ? this.forSchema(op.api, media) : undefined;
  }

  /** Compile every request-body validator now. */
  warm(ops: Operation[]): void {
    for (const op of ops) this.requestBody(op);
  }

  /**
   * Compile every request-body validator once, right after start, a few operations per event-loop turn so a
   * request arriving meanwhile waits at most one slice; a request that comes first compiles its own on demand.
   */
  warmInBackground(ops: Operation[], delayMs = 250, slice = 1): { stop(): void; done: Promise<void> } {
    let stopped = false;
    let i = 0;
    let timer: NodeJS.Timeout | undefined;
    let finish: () => void = () => {};
    const done = new Promise<void>((ok) => {
      finish = ok;
      const step = () => {
        if (stopped) return ok();
        for (const end = Math.min(ops.length, i + slice); i < end; i++) this.requestBody(ops[i]);
        if (i < ops.length) setImmediate(step);
        else ok();
      };
      // the first requests after start (a client's endpoint discovery) are served before warming begins
      timer = setTimeout(step, delayMs);
      timer.unref();
    });
    return {
      stop: () => {
        stopped = true;
        if (timer) clearTimeout(timer);
        finish();
      },
      done,
    };
  }

  /** The response schema of an operation for a status and media type (falls back to `default`). */
  responseSchema(op: Operation, status: number, mediaType = 'application/json'): Json | undefined {
    const responses = op.responses;
    const node = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
    const resp = node === undefined ? undefined : resolveRef<JsonObject>(op.contract.doc, node);
    if (!resp) return undefined;
    const content = resp.content as JsonObject | undefined;
    if (!content) return undefined;
    const media = (content[mediaType] ?? content['application/json'] ?? Object.values(content)[0]) as
      JsonObject | undefined;
    return media?.schema;
  }
}

/** `#/components/...` → `<id>#/components/...` so refs resolve inside the registered document. */
function rewriteRefs(node: Json, id: string): Json {
  if (Array.isArray(node)) return node.map((n) => rewriteRefs(n, id));
  if (node && typeof node === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/')) out[k] = `${id}${v}`;
      else if (k === 'example' || k === 'examples' || k.startsWith('x-')) continue;
      else out[k] = rewriteRefs(v, id);
    }
    return out;
  }
  return node;
}

export function describeErrors(errors: ErrorObject[] | null | undefined): ValidationProblem[] {
  return (errors ?? []).map((e) => {
    const segs = e.instancePath.split('/').filter(Boolean);
    let field = segs.filter((s) => !/^\d+$/.test(s)).pop();
    if (e.keyword === 'required') field = String((e.params as { missingProperty?: string }).missingProperty);
    return { path: e.instancePath || '/', message: e.message ?? 'is invalid', field, keyword: e.keyword };
  });
}
