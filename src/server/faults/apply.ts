/**
 * Stage 4 of the request path (pipeline.ts): the planted faults, around dispatch. A fault may rewrite the routed
 * request, answer in the server's place, or rewrite the answer — a reply or an error. Errors stay errors: an
 * ApiError a fault rewrites is thrown again reshaped, under its own name, and the pipeline's one error stage makes
 * it a response. A fault that answers a reply of its own instead (a new reply, without the error's headers) speaks
 * for the server, and geostub's error name goes with the headers. Without faults this stage is not in the path.
 */
import { ApiError } from '../../core/errors.js';
import type { Reply } from '../../core/types.js';
import type { RoutedRequest } from '../request.js';
import type { At, Fault, Run } from './types.js';

/** Stage 4: `run` (dispatch) with the faults around it. */
export async function applyFaults(
  faults: Fault[],
  where: Pick<At, 'env' | 'reroute'>,
  original: RoutedRequest,
  run: Run,
): Promise<Reply> {
  const at: At = { op: original.op, method: original.method, query: original.query, ...where };
  let req = original;
  for (const f of faults) if (f.request) req = f.request(req, at);
  let reply: Reply | undefined;
  for (const f of faults) reply ??= f.answer?.(req, at);
  let error: ApiError | undefined;
  if (!reply) {
    try {
      for (const f of faults) reply ??= await f.around?.(req, at, run);
      reply ??= await run(req);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      error = err;
      reply = { status: err.status, body: err.body, headers: err.headers };
    }
  }
  // replies may share objects with the store's caches: transforms work on a copy
  reply = { ...reply, body: structuredClone(reply.body), headers: { ...(reply.headers ?? {}) } };
  for (const f of faults) if (f.reply) reply = f.reply(reply, at);
  if (!error || !reply.headers) return reply;
  throw new ApiError(error.errorName, { status: reply.status, body: reply.body, headers: reply.headers });
}
