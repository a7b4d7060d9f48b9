/**
 * `geostub lint [files..]`: validate contracts (OpenAPI 3.0 and geostub's x-geostub-behaviour bindings); exit 1 on any
 * problem.
 */
import { contractPath, loadContract } from '../contracts/load.js';
import { allOperations, buildRouteTable } from '../contracts/route-table.js';
import { fail } from './serve.js';
import { fileProblem } from './usage.js';

/** Lint the given contract files, or geostub's own two when none are given. */
export async function lintCommand(given: string[] | undefined): Promise<void> {
  const files = given?.length ? given : [contractPath('geonode'), contractPath('koordinates')];
  const { stat } = await import('node:fs/promises');
  for (const file of files) {
    const s = await stat(file).catch((err: unknown) =>
      fail(
        `lint: ${fileProblem(err) ?? `cannot read ${file}`}; give an OpenAPI contract file (YAML or JSON), or nothing to check geostub's own`,
      ),
    );
    if (!s.isFile())
      fail(
        `lint: ${file} is a folder; give an OpenAPI contract file (YAML or JSON), or nothing to check geostub's own`,
      );
  }
  const { lintContract } = await import('../contracts/lint.js');
  const problems: string[] = [];
  let count = 0;
  for (const file of files) {
    const found = await lintContract(file);
    if (!found.length) {
      const contract = await loadContract(file).catch(
        (err: Error) => (problems.push(`${file}: ${err.message}`), undefined),
      );
      if (contract) {
        const ops = allOperations(buildRouteTable([contract]));
        count += ops.length;
        for (const op of ops)
          if (op.behaviour === 'unbound')
            found.push(`${file}: ${op.operationId} (${op.method.toUpperCase()} ${op.path}) has no x-geostub-behaviour`);
      }
    }
    problems.push(...found);
  }
  if (problems.length) {
    for (const p of problems) console.error(p);
    console.error(`geostub lint: ${problems.length} problem(s)`);
    process.exit(1);
  }
  console.log(`contracts OK: ${count} operations in ${files.join(', ')}`);
}
