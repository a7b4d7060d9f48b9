/**
 * Koordinates Data Catalog queries (`/services/api/v1/data/`, `/data/latest/`): one entry point for the pure
 * modules — types and vocabulary, parsing, evaluation, pagination and links, rendering.
 *
 *   parseKoordinatesQuery(params, view) ─► KoordinatesQuery ─► applyKoordinatesQuery(items, query, ctx)
 *   ─► KoordinatesItem[] ─► koordinatesPage / resourceRange / koordinatesLinks
 *   ─► renderKoordinatesItem(item, view, expand, origin, refs)
 */
export * from './types.js';
export * from './parse.js';
export * from './apply.js';
export * from './versions.js';
export * from './page.js';
export * from './render.js';

/** `Expand` header of a list view: `list` (or any `list.*` sub-expansion) asks for the detailed item shape. */
export function expandsList(header: string | null | undefined): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .some((t) => t === 'list' || t.startsWith('list.'));
}
