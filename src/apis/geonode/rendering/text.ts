/**
 * GeoNode objects rendered as JSON text for the read paths that answer text (list pages and details without
 * include[]/exclude[], sideloading or planted faults): the same bytes as `renderRecord` + `JSON.stringify`, with each
 * record's viewer-independent fields kept as text, cut where its host-relative links begin so the request's origin
 * goes in between (issue 19's throughput).
 */
import { fieldSet, type FieldSet } from '../../../contracts/fields.js';
import { readRecord, type StoredRecord } from '../../../store/index.js';
import { GEONODE_COLLECTIONS, type EndpointCollection } from '../collections.js';
import {
  absolutize,
  embedUser,
  itemSchemaName,
  OMITTED,
  ownerForViewer,
  seesUserPerms,
  selected,
  subFields,
  URL_KEY,
  valueOf,
  VIEWER_FIELDS,
  type RenderContext,
  type RenderOptions,
} from './render.js';

/**
 * The same rendering as `renderRecord`, as JSON text pushed in pieces onto `out` (a page joins all its records'
 * pieces once). Each record's viewer-independent fields are kept as text cut at its host-relative links (`Runs`),
 * so one kept rendering serves every origin and every caller: the origin goes between the pieces, and only the
 * fields that depend on the caller (`perms`, `favorite`, …, and the embedded owner for staff and the owner
 * themself) are serialised per request. Throws TextUnsafe when a stored string begins with the link mark.
 */
export function writeRecordText(
  out: string[],
  key: string,
  record: StoredRecord,
  ctx: RenderContext,
  opts: RenderOptions = {},
): void {
  const c = GEONODE_COLLECTIONS[key];
  const schemaName = itemSchemaName(c, opts);
  const fs = fieldSet(ctx.contract, schemaName);
  const stamp = (ctx.stamp ??= ctx.store.stamp());
  if (stamp !== textCacheStamp) {
    // any change may show in any rendering (an embedded owner, a map's layers): the cache starts again
    textCache.clear();
    textCacheBytes = 0;
    textCacheStamp = stamp;
  }
  // by collection and id, not by the record object: a record kept on disk is read into a new object each time, and
  // holding those objects would keep what the on-disk mode frees
  const id = `${key}|${schemaName}|${opts.withDeferred ? '*' : [...(opts.include ?? [])].join(',')}|${String(record[c.idField] ?? record.pk)}`;
  let base = textCache.get(id);
  if (!base || base.fs !== fs) {
    const made = baseText(key, record, ctx, opts, c, fs);
    if (!made) throw new TextUnsafe(); // a stored string that begins with the mark: the caller renders objects
    base = made;
    // scan-resistant: when full, newer renderings are not kept (a walk over more records than fit keeps hitting
    // the ones kept, where evicting the oldest would miss every time)
    if (
      textCacheBytes + base.bytes <=
      (ctx.store.diskRecords.records > 0 ? TEXT_CACHE_BYTES_ON_DISK : TEXT_CACHE_BYTES)
    ) {
      // a copy made here, not the arrays baseText made: V8 places objects in the old generation straight away when
      // most of those made at the same spot outlived a collection (allocation-site pretenuring); once the cache was
      // full, baseText's arrays (and the texts they hold) became old-generation garbage on every miss
      textCache.set(id, { fs, runs: base.runs.slice(), gaps: base.gaps.slice(), owner: base.owner, bytes: base.bytes });
      textCacheBytes += base.bytes;
    }
  }
  const link = originLink(ctx);
  const { runs, gaps } = base;
  out.push('{');
  const start = out.length;
  const field = (text: string) => {
    if (out.length > start) out.push(',');
    out.push(text);
  };
  for (let g = 0; g < gaps.length; g++) {
    if (runs[g] !== NO_RUN) writeRun(out, runs[g], link, out.length > start);
    const i = gaps[g];
    const f = fs.all[i];
    if (f === 'owner') {
      // staff and the owner see the owner's perms; everyone else gets the kept text
      if (
        ctx.user &&
        record.owner &&
        typeof record.owner === 'object' &&
        seesUserPerms(ctx.user, (record.owner as StoredRecord).pk)
      ) {
        const owner = absolutize(embedUser(ctx, record.owner, subFields(ctx, fs, 'owner')), ctx.origin, 'owner');
        const t = JSON.stringify(
          owner && typeof owner === 'object' ? ownerForViewer(ctx, owner as StoredRecord) : owner,
        );
        if (t !== undefined) field(`"owner":${t}`);
      } else if (base.owner !== NO_RUN) writeRun(out, base.owner, link, out.length > start);
      continue;
    }
    const v = valueOf(key, f, record, ctx, fs);
    if (v === OMITTED) continue;
    const t = JSON.stringify(v);
    if (t !== undefined) field(`${fieldName(f)}${t}`);
  }
  if (runs[gaps.length] !== NO_RUN) writeRun(out, runs[gaps.length], link, out.length > start);
  out.push('}');
}

/** A run's pieces onto `out`, the origin's link between them (after a comma when fields come before it). */
function writeRun(out: string[], run: Run, link: string, comma: boolean): void {
  if (comma) out.push(',');
  if (typeof run === 'string') {
    out.push(run);
    return;
  }
  out.push(run[0]);
  for (let k = 1; k < run.length; k++) out.push(link, run[k]);
}

/** `"` and the origin as JSON text: what stands where a link's mark stood. */
function originLink(ctx: RenderContext): string {
  if (ctx.origin !== lastOrigin) {
    lastOrigin = ctx.origin;
    lastLink = `"${JSON.stringify(ctx.origin).slice(1, -1)}`;
  }
  return lastLink;
}
let lastOrigin = '';
let lastLink = '"';

/** `"name":` of the per-caller fields (a handful of names). */
function fieldName(f: string): string {
  let t = fieldNames.get(f);
  if (t === undefined) fieldNames.set(f, (t = `${JSON.stringify(f)}:`));
  return t;
}
const fieldNames = new Map<string, string>();

/** The viewer-independent text of a record: runs of fields between the per-caller ones; undefined when unsafe. */
function baseText(
  key: string,
  record: StoredRecord,
  ctx: RenderContext,
  opts: RenderOptions,
  c: EndpointCollection,
  fs: FieldSet,
): BaseText | undefined {
  const data = readRecord(record);
  const runs: Run[] = [];
  const gaps: number[] = [];
  // each run is one object serialised once (fewer strings than a JSON.stringify per field)
  let run: Record<string, unknown> = {};
  let owner: Run = NO_RUN;
  const close = () => {
    const t = JSON.stringify(run);
    runs.push(t.length > 2 ? cutAtLinks(t.slice(1, -1)) : NO_RUN);
    run = {};
  };
  for (let i = 0; i < fs.all.length; i++) {
    const f = fs.all[i];
    if (!selected(fs, f, opts)) continue;
    const perCaller = VIEWER_FIELDS.has(f);
    const isOwner = f === 'owner' && c.store === 'resources';
    if (perCaller || isOwner) {
      close();
      gaps.push(i);
      if (perCaller) continue;
    }
    const marked = markLinks(valueOf(key, f, data, ctx, fs), f);
    // a stored string that itself begins with the mark could not be told from a link: such a record is rendered whole
    if (marked === UNSAFE) return undefined;
    if (isOwner) {
      const t = JSON.stringify(marked);
      if (t !== undefined) owner = cutAtLinks(`"owner":${t}`); // an undefined value: the key is left out, as in the object
    } else if (f !== '__proto__') run[f] = marked;
  }
  close();
  let bytes = 96 + runBytes(owner) + gaps.length * 8;
  for (const r of runs) bytes += runBytes(r) + 24;
  return { fs, runs, gaps, owner, bytes };
}

/**
 * Fields' JSON text (`"name":value,…`), cut where a host-relative link begins: the pieces go out with the request's
 * origin (`"http://host`) between them. A string when it holds no link.
 */
type Run = string | string[];
/** A run of no fields (two per-caller fields in a row, or an owner left out). */
const NO_RUN = '';

/** A run's text cut at its marked links: a mark opens a string, after `:`, `[` or `,` (a quote inside is escaped). */
function cutAtLinks(text: string): Run {
  let at = text.indexOf(MARK_TEXT);
  if (at < 0) return text;
  const pieces: string[] = [];
  let from = 0;
  for (; at >= 0; at = text.indexOf(MARK_TEXT, at + MARK_TEXT.length)) {
    const c = text.charCodeAt(at - 1);
    if (c !== 58 && c !== 91 && c !== 44) continue; // after `:`, `[` or `,` only
    pieces.push(text.slice(from, at));
    from = at + MARK_TEXT.length;
  }
  if (from === 0) return text;
  pieces.push(text.slice(from));
  return pieces;
}

/** The link mark as it stands in JSON text: a string's opening quote and `\u0001` written out. */
const MARK_TEXT = '"\\u0001';

function runBytes(run: Run): number {
  if (typeof run === 'string') return heapBytes(run);
  let bytes = 16 + run.length * 8;
  for (const piece of run) bytes += heapBytes(piece) + 16;
  return bytes;
}

/** Thrown by the text path when a stored string begins with the link mark (the caller renders objects). */
export class TextUnsafe extends Error {}

interface BaseText {
  fs: FieldSet;
  /** the fields between the per-caller ones, cut at their links (gaps.length + 1 runs) */
  runs: Run[];
  /** indexes in `fs.all` of the per-caller fields (and of the embedded owner of a resource) */
  gaps: number[];
  /** the embedded owner's text for callers who do not see its perms (NO_RUN when absent) */
  owner: Run;
  bytes: number;
}

/** What a string takes on the heap: a character a byte, two when one of them is beyond Latin-1 (a dash, a macron). */
function heapBytes(text: string): number {
  return WIDE.test(text) ? text.length * 2 : text.length;
}
const WIDE = /[^ -\u00ff]/; // JSON text holds no character below a space (they are written as escapes)

/**
 * Records' viewer-independent JSON, bounded by its size on the heap and cleared when the data changes. With the
 * records in memory 32 MiB hold about 5,500 list renderings of the 10,000-resource fixtures (~6 KB each, a
 * third of them two bytes a character): a front end paging through the whole store keeps hitting them (the
 * in-memory store itself takes ~5× its JSON, this adds ~5%). When the store keeps its records on disk, memory is
 * what that mode saves: 4 MiB (the durability goal keeps RSS under 3× the JSON at 10,000 resources).
 */
const textCache = new Map<string, BaseText>();
let textCacheBytes = 0;
let textCacheStamp = '';
const TEXT_CACHE_BYTES = 32 * 1024 * 1024;
const TEXT_CACHE_BYTES_ON_DISK = 4 * 1024 * 1024;

const UNSAFE = Symbol('unsafe');

/** What stands before a host-relative link in cached text: a control character JSON writes as `\u0001`. */
const LINK = '\u0001';
/**
 * `absolutize` with the mark for an origin, copying only what changes (most values hold no host-relative link: no
 * copy of them is made); UNSAFE when a stored string already begins with the mark.
 */
function markLinks(value: unknown, key: string): unknown {
  if (typeof value === 'string') {
    const c0 = value.charCodeAt(0);
    if (c0 === 1) return UNSAFE;
    return c0 === 47 && URL_KEY.test(key) ? LINK + value : value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const itemKey = key === 'links' || key === 'download_urls' ? '' : key;
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const m = markLinks(value[i], itemKey);
      if (m === UNSAFE) return UNSAFE;
      if (m !== value[i]) (out ??= value.slice())[i] = m;
    }
    return out ?? value;
  }
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(value)) {
    if (k === '__proto__') continue;
    const v = (value as Record<string, unknown>)[k];
    const m = markLinks(v, k);
    if (m === UNSAFE) return UNSAFE;
    if (m !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = m;
  }
  return out ?? value;
}
