/** What an API plugs into the server: its behaviours and its answers to the generic request path's questions. */
import type { Route } from '../contracts/route-table.js';
import type { StoredRecord } from '../store/index.js';
import type { ApiError } from './errors.js';
import type { Behaviour, Env } from './types.js';

export interface ApiBinding {
  behaviours: Record<string, Behaviour>;
  identify(
    env: Env,
    req: { headers: Record<string, string | undefined>; query: URLSearchParams; route: Route },
  ): { user: StoredRecord | null; error?: ApiError };
  /** a method the route does not serve; `user` is the caller (a view may refuse an anonymous caller first) */
  methodNotAllowed(method: string, route: Route, user: StoredRecord | null): ApiError;
  /** a validation problem → the API's 400 */
  invalidBody(message: string, field: string | undefined): ApiError;
  /** an injected failure (429/5xx, resilience testing) in the API's error shape */
  injectedError?(status: number): ApiError;
}
