/**
 * dynamic-rest's SideloadingProcessor as `?sideloading=true` drives it (`dynamic_rest/processors.py:44-162`, the `+`
 * prefix `dynamic_rest/conf.py:69`): every related object rendered by
 * a standard dynamic serializer leaves its parent for a top-level key named by that serializer's plural name, and the
 * parent keeps its pk. Objects of the primary type go under `+<plural>`. Pure: rendered objects in, new objects out.
 */
import type { AnyRecord } from './types.js';

/** One sideloadable field of the primary serializer. */
export interface SideloadRule {
  /** field of the primary object holding an embedded object (to-one) or an array of them (to-many) */
  field: string;
  /** plural name of the related serializer: the top-level key */
  plural: string;
  /** the pk of an embedded object; null leaves the object inline (it cannot be referenced) */
  pkOf(embedded: Record<string, unknown>): string | number | null;
}

export interface SideloadResult {
  /** the primary objects, related objects replaced by their pks */
  primary: Record<string, unknown>[];
  /** plural key → distinct related objects, in the order first met */
  sideloaded: Record<string, unknown[]>;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** The top-level key of a related serializer: `+<plural>` when it is the primary serializer's own plural name. */
export function sideloadKey(primaryPlural: string, plural: string): string {
  return plural === primaryPlural ? `+${plural}` : plural;
}

/**
 * Move the related objects named by `rules` out of `objects`. The same related object met twice is stored once
 * (keyed by pk; a later copy adds the fields an earlier one lacked, as the processor merges them).
 */
export function sideloadObjects(
  primaryPlural: string,
  objects: readonly AnyRecord[],
  rules: readonly SideloadRule[],
): SideloadResult {
  const buckets = new Map<string, Map<string, Record<string, unknown>>>();
  const store = (rule: SideloadRule, embedded: Record<string, unknown>, pk: string | number): void => {
    const key = sideloadKey(primaryPlural, rule.plural);
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = new Map()));
    const id = String(pk);
    const seen = bucket.get(id);
    bucket.set(id, seen ? { ...embedded, ...seen } : { ...embedded });
  };
  const primary = objects.map((obj) => {
    const out: Record<string, unknown> = { ...(obj as Record<string, unknown>) };
    for (const rule of rules) {
      if (!Object.hasOwn(out, rule.field)) continue;
      const value = out[rule.field];
      if (Array.isArray(value)) {
        if (!value.every(isPlainObject)) continue;
        const pks = value.map((e) => rule.pkOf(e));
        // an object without a pk cannot be referenced: the whole relation stays inline
        if (pks.some((pk) => pk === null || pk === undefined)) continue;
        value.forEach((e, i) => store(rule, e, pks[i]!));
        out[rule.field] = pks;
      } else if (isPlainObject(value)) {
        const pk = rule.pkOf(value);
        if (pk === null || pk === undefined) continue;
        store(rule, value, pk);
        out[rule.field] = pk;
      }
    }
    return out;
  });
  const sideloaded: Record<string, unknown[]> = {};
  for (const [key, bucket] of buckets) sideloaded[key] = [...bucket.values()];
  return { primary, sideloaded };
}
