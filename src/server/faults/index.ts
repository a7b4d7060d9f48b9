/**
 * Planted faults (`geostub serve --fault NAME`, `ServerStartOptions.faults`): each one a realistic deviation from
 * the contracts, so the conformance runner can be shown to catch it. This is the catalogue, in the order the
 * inspector and the CLI list it; the faults themselves are grouped by what they get wrong (format.ts,
 * semantics.ts, near-misses.ts, query.ts with koordinates-query.ts), and apply.ts applies them: stage 4 of the
 * request path (pipeline.ts).
 */
import { FORMAT_FAULTS } from './format.js';
import { NEAR_MISS_FAULTS } from './near-misses.js';
import { QUERY_FAULTS } from './query.js';
import { SEMANTICS_FAULTS } from './semantics.js';
import type { Fault } from './types.js';

export type { At, Fault } from './types.js';

export const FAULTS: Fault[] = [...FORMAT_FAULTS, ...SEMANTICS_FAULTS, ...NEAR_MISS_FAULTS, ...QUERY_FAULTS];

const BY_NAME = new Map(FAULTS.map((f) => [f.name, f]));

/** The faults of these names, in the order given (unknown names left out). */
export function faultsNamed(names: readonly string[]): Fault[] {
  return names.map((n) => BY_NAME.get(n)).filter((f): f is Fault => !!f);
}

/** Names that are not faults (empty when every name is known). */
export function unknownFaults(names: readonly string[]): string[] {
  return names.filter((n) => !BY_NAME.has(n));
}

export function faultUsage(names: readonly string[]): string {
  return `unknown fault ${unknownFaults(names)
    .map((n) => `"${n}"`)
    .join(', ')}; the faults are: ${FAULTS.map((f) => f.name).join(', ')}`;
}
