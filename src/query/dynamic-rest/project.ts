/**
 * include[] / exclude[] applied to a rendered object (`dynamic_rest/viewsets.py:227-268`, applied by
 * `dynamic_rest/serializers.py:444-475`): deferred fields only when asked for (or `*`),
 * `exclude[]=*` drops everything not explicitly included, dotted paths select inside embedded objects.
 */
import type { AnyRecord, FieldSchema, Projection, RequestFields } from './types.js';

function isProjection(value: Projection | RequestFields | null): value is Projection {
  return value !== null && Array.isArray((value as Projection).include) && 'tree' in value;
}

/** Keys of `obj` kept by the request, in the object's own order; embedded objects projected recursively. */
export function projectFields(
  obj: AnyRecord,
  projection: Projection | RequestFields | null,
  schema: FieldSchema,
): Record<string, unknown> {
  const tree = isProjection(projection) ? projection.tree : projection;
  return projectWith(obj, tree ?? undefined, schema);
}

/** Whether the request renders `field` of `schema` (without looking at an object). */
export function isFieldSelected(field: string, tree: RequestFields | null | undefined, schema: FieldSchema): boolean {
  const requested = tree && Object.hasOwn(tree, field) ? tree[field] : undefined;
  if (requested === false) return false;
  if (requested !== undefined) return true;
  const star = tree?.['*'];
  if (star === true) return true;
  if (star === false) return false;
  return !schema.fields[field]?.deferred;
}

function projectWith(obj: AnyRecord, tree: RequestFields | undefined, schema: FieldSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) {
    if (!isFieldSelected(key, tree, schema)) continue;
    const value = (obj as Record<string, unknown>)[key];
    const nested = Object.hasOwn(schema.fields, key) ? schema.fields[key]!.nested : undefined;
    if (nested && value !== null && typeof value === 'object') {
      const requested = tree && Object.hasOwn(tree, key) ? tree[key] : undefined;
      const sub = typeof requested === 'object' ? requested : undefined;
      out[key] = Array.isArray(value)
        ? value.map((e: unknown) =>
            e !== null && typeof e === 'object' && !Array.isArray(e) ? projectWith(e as AnyRecord, sub, nested) : e,
          )
        : projectWith(value as AnyRecord, sub, nested);
    } else {
      out[key] = value;
    }
  }
  return out;
}
