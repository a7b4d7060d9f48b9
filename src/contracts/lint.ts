/** `geostub lint`: swagger-parser's full OpenAPI validation (loaded only when linting: it is slow to import). */
import SwaggerParser from '@apidevtools/swagger-parser';

/** Resolves to a list of readable problems (empty when the contract is valid). */
export async function lintContract(file: string): Promise<string[]> {
  try {
    await SwaggerParser.validate(file);
    return [];
  } catch (err) {
    return [`${file}: ${(err as Error).message}`];
  }
}
