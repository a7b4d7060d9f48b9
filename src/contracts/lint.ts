/** `geostub lint`: swagger-parser's full OpenAPI validation (loaded only when linting: it is slow to import). */
import { loadContract } from './load.js';
import { forRelease, GEONODE_RELEASES } from './release.js';
import SwaggerParser from '@apidevtools/swagger-parser';

/** Resolves to a list of readable problems (empty when the contract is valid). */
export async function lintContract(file: string): Promise<string[]> {
  try {
    await SwaggerParser.validate(file);
  } catch (err) {
    return [`${file}: ${(err as Error).message}`];
  }
  // each GeoNode release profile must be a valid document too (a property dropped for a release, a 401 added)
  const contract = await loadContract(file);
  if (contract.api !== 'geonode') return [];
  const problems: string[] = [];
  for (const release of GEONODE_RELEASES) {
    try {
      await SwaggerParser.validate(structuredClone(forRelease(contract, release).doc) as never);
    } catch (err) {
      problems.push(`${file} (GeoNode ${release} profile): ${(err as Error).message}`);
    }
  }
  return problems;
}
