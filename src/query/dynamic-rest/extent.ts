/**
 * GeoNode's `extent=minx,miny,maxx,maxy[,…]` (`filter_bbox`, `geonode/base/bbox_utils.py:81-108` (4.4.3)): every
 * four numbers form a box, boxes are OR-ed, a box with minx > maxx crosses the antimeridian and is split in two
 * (`split_polygon`). A record matches when the envelope of its `ll_bbox_polygon` (or `extent.coords`) intersects a
 * box; touching counts.
 */
import { QueryError, type Box } from './types.js';

/** Parse the raw `extent` value. GeoNode answers 500 on malformed input; here it is an `invalid` error. */
export function parseExtent(raw: string): Box[] {
  const parts = raw.split(',');
  if (parts.length % 4 !== 0) {
    throw new QueryError(
      'invalid',
      `Invalid extent: ${parts.length} values; expected minx,miny,maxx,maxy (groups of 4).`,
    );
  }
  const numbers = parts.map((p) => {
    const t = p.trim();
    const n = t === '' ? NaN : Number(t);
    if (!Number.isFinite(n)) throw new QueryError('invalid', `Invalid extent: "${p}" is not a number.`);
    return n;
  });
  const boxes: Box[] = [];
  for (let i = 0; i < numbers.length; i += 4) {
    boxes.push({ minx: numbers[i]!, miny: numbers[i + 1]!, maxx: numbers[i + 2]!, maxy: numbers[i + 3]! });
  }
  return boxes;
}

/** A box split at the antimeridian when minx > maxx. */
export function splitBox(box: Box): Box[] {
  if (box.minx <= box.maxx) return [box];
  return [
    { ...box, maxx: 180 },
    { ...box, minx: -180 },
  ];
}

function scan(coords: unknown, env: Box): void {
  if (!Array.isArray(coords)) return;
  if (coords.length >= 2 && typeof coords[0] === 'number' && typeof coords[1] === 'number') {
    const x = coords[0],
      y = coords[1];
    if (x < env.minx) env.minx = x;
    if (x > env.maxx) env.maxx = x;
    if (y < env.miny) env.miny = y;
    if (y > env.maxy) env.maxy = y;
    return;
  }
  for (const c of coords) scan(c, env);
}

/**
 * The envelope of `{coords: [minx, miny, maxx, maxy]}` (a resource's `extent`), a bare 4-number array,
 * or any GeoJSON geometry (`ll_bbox_polygon`); null when there is none.
 */
export function envelopeOf(geometry: unknown): Box | null {
  if (geometry === null || typeof geometry !== 'object') return null;
  const g = geometry as { coords?: unknown; coordinates?: unknown };
  const four = Array.isArray(geometry) ? geometry : Array.isArray(g.coords) ? g.coords : null;
  if (four && four.length === 4 && four.every((n) => typeof n === 'number')) {
    const [minx, miny, maxx, maxy] = four as number[];
    return { minx: minx!, miny: miny!, maxx: maxx!, maxy: maxy! };
  }
  const env: Box = { minx: Infinity, miny: Infinity, maxx: -Infinity, maxy: -Infinity };
  scan(g.coordinates, env);
  return env.minx === Infinity ? null : env;
}

function intersects(a: Box, b: Box): boolean {
  return a.minx <= b.maxx && a.maxx >= b.minx && a.miny <= b.maxy && a.maxy >= b.miny;
}

/** Compile the boxes once (split at the antimeridian); the predicate takes a geometry or an extent. */
export function compileExtent(boxes: readonly Box[]): (geometry: unknown) => boolean {
  const parts = boxes.flatMap(splitBox);
  return (geometry) => {
    const env = envelopeOf(geometry);
    if (!env) return false;
    const own = splitBox(env);
    for (const p of parts) for (const o of own) if (intersects(p, o)) return true;
    return false;
  };
}

export function extentIntersects(geometry: unknown, boxes: readonly Box[]): boolean {
  return compileExtent(boxes)(geometry);
}
