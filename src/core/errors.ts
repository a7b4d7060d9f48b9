/**
 * The one error catalogue. Every 4xx/5xx that geostub emits is a named entry here with its status and the
 * real API's body. Code throws `apiError(name, ...args)`; the server's single error handler writes it.
 * Tests assert on the name (sent as the `X-Geostub-Error` header), not on strings.
 */

export interface ErrorBody {
  status: number;
  body: unknown; // undefined = empty body
  headers?: Record<string, string>;
}

const geonode = (status: number, message: string, code: string): ErrorBody => ({
  status,
  body: { success: false, errors: [message], code },
});

const fieldErrors = (status: number, errors: Record<string, string[]>): ErrorBody => ({ status, body: errors });

/** Statuses geostub can inject, with the message and code the real servers send. */
export const INJECTED: Record<number, [string, string]> = {
  429: ['Request was throttled. Expected available in 1 second.', 'throttled'],
  500: ['A server error occurred.', 'error'],
  502: ['Bad gateway: the upstream server did not answer.', 'bad_gateway'],
  503: ['Service temporarily unavailable, try again later.', 'service_unavailable'],
  504: ['Gateway timeout: the upstream server took too long to answer.', 'gateway_timeout'],
};
const injectedHeaders = (status: number): Record<string, string> =>
  status === 429 || status === 503 ? { 'Retry-After': '1' } : {};

export const ERRORS = {
  // ---- GeoNode ({"success": false, "errors": [msg], "code"}: geonode/base/api/exceptions.py:30-43 (4.4.3)) ----
  invalidPage: () => geonode(404, 'Invalid page.', 'not_found'),
  notFound: () => ({ status: 404, body: { detail: 'Not found.' } }),
  geonodeNotFound: (message: string) => geonode(404, message, 'not_found'),
  methodNotAllowed: (method: string) => geonode(405, `Method "${method}" not allowed.`, 'method_not_allowed'),
  invalid: (message: string) => geonode(400, message, 'invalid'),
  /**
   * GeoNode's DocumentException (geonode/documents/api/exceptions.py): a document create with no file, both, a bad
   * extension
   */
  documentException: (message: string) => geonode(400, message, 'document_exception'),
  parseError: (message: string) => geonode(400, message, 'parse_error'),
  notAuthenticated: () => geonode(403, 'Authentication credentials were not provided.', 'not_authenticated'),
  notAuthenticatedBasic: () => ({
    ...geonode(401, 'Authentication credentials were not provided.', 'not_authenticated'),
    headers: { 'WWW-Authenticate': 'Basic realm="api"' },
  }),
  authenticationFailed: () => geonode(403, 'Invalid username/password.', 'authentication_failed'),
  permissionDenied: () => geonode(403, 'You do not have permission to perform this action.', 'permission_denied'),
  permissionDeniedMessage: (message: string) => geonode(403, message, 'permission_denied'),
  jsonString: (status: number, message: string) => ({ status, body: message }),
  plainText: (status: number, message: string) => ({
    status,
    body: message,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  }),
  unsupportedMediaType: (contentType: string) =>
    geonode(415, `Unsupported media type "${contentType}" in request.`, 'unsupported_media_type'),
  payloadTooLarge: (limit: string) =>
    geonode(413, `Request body is larger than the limit of ${limit}.`, 'payload_too_large'),
  // limits of geostub itself (the real servers' proxies answer these with HTML): JSON in GeoNode's error shape
  uriTooLong: (limit: number) =>
    geonode(414, `The request URL is longer than the limit of ${limit} bytes.`, 'uri_too_long'),
  urlTooLongForHeaders: (bytes: number, limit: number) =>
    geonode(
      414,
      `The request URL is too long for this response: its headers repeat it (${bytes} bytes, more than the ${limit} a client can read). Shorten the query.`,
      'uri_too_long',
    ),
  headersTooLarge: (limit: number) =>
    geonode(
      431,
      `The request line and headers are larger than the limit of ${limit} bytes.`,
      'request_header_fields_too_large',
    ),
  pageTooLarge: (asked: number, records: number, max: number) =>
    geonode(
      400,
      `page_size=${asked} would put ${records} records in one page; geostub renders at most ${max} records per page (a larger page could exhaust its memory). Ask for page_size=${max} or less and follow links.next.`,
      'invalid',
    ),
  emptyResponse: (status: number) => ({ status, body: undefined }),
  messageBody: (status: number, message: string) => ({ status, body: { message } }),
  bulkCreateFailed: (plural: string, errors: { detail: string; source: unknown }[]) => ({
    status: 400,
    body: { [plural]: [], errors },
  }),
  conflict: (message: string, code: string) => geonode(409, message, code),
  managementNotFound: () => ({ status: 404, body: { success: false, error: 'Command not found' } }),
  /** upload limits (geonode/upload/api/exceptions.py; the label is Django's filesizeformat of the limit) */
  totalUploadSizeExceeded: (limitLabel: string) =>
    geonode(
      400,
      `Total upload size exceeds ${limitLabel}. Please try again with smaller files.`,
      'total_upload_size_exceeded',
    ),
  /**
   * GeoNode 5.0's importer when no handler takes the files (5.0.2 upload/api/views.py:207, ImportException: a
   * deliberate 500)
   */
  importerNoHandler: () => geonode(500, 'No handlers found for this dataset type/action', 'importer_exception'),
  uploadParallelismLimitExceeded: (max: number) =>
    geonode(
      400,
      `The number of active parallel uploads exceeds ${max}. Wait for the pending ones to finish.`,
      'upload_parallelism_limit_exceeded',
    ),

  // ---- routing (both APIs) ----
  routeNotFound: (path: string) => ({
    status: 404,
    body: { detail: `No route matches ${path}. See GET /api/v2/ or GET /__geostub/health.` },
  }),

  // ---- Koordinates (field-keyed 400s, {"error": …} otherwise: contracts/koordinates-catalog.yaml) ----
  catalogInvalid: (errors: Record<string, string[]>) => fieldErrors(400, errors),
  catalogNotFound: () => ({ status: 404, body: { error: 'Not found.' } }),
  catalogUnauthorized: () => ({ status: 401, body: { error: 'Invalid API key.' } }),
  catalogForbidden: (scopes: string[]) => ({
    status: 403,
    body: {
      error: `You do not have permission to perform this action: the API key needs one of these scopes: ${scopes.join(', ')}.`,
    },
  }),
  catalogMethodNotAllowed: (method: string) => ({ status: 405, body: { error: `Method "${method}" not allowed.` } }),
  catalogBadRequest: (message: string) => ({ status: 400, body: { error: message } }),

  // ---- injected by resilience testing (--error-rate, rules, `Prefer: status=503`): the real servers' shapes ----
  /** GeoNode's exception handler: `{"success": false, "errors": [msg], "code"}` (DRF's wording for 429/503) */
  injectedGeonode: (status: number) => ({
    ...geonode(status, INJECTED[status]?.[0] ?? 'A server error occurred.', INJECTED[status]?.[1] ?? 'error'),
    headers: injectedHeaders(status),
  }),
  /** the catalogue's `{"error": msg}` */
  injectedCatalog: (status: number) => ({
    status,
    body: { error: INJECTED[status]?.[0] ?? 'A server error occurred.' },
    headers: injectedHeaders(status),
  }),

  /** `Prefer: status=N` for a status the operation does not document: the API's own 400, which lists those it does */
  preferStatusUndocumented: (built: ErrorBody) => built,

  // ---- geostub's own admin routes ----
  adminBadRequest: (message: string) => ({ status: 400, body: { error: message } }),
  /** a state-changing admin route or the inspector, the server not on loopback, no credentials (admin-access.ts) */
  adminUnauthorized: (hasToken: boolean) => ({
    status: 401,
    body: {
      error: `geostub's admin routes and inspector need credentials when the server listens beyond loopback: send a superuser's Basic credentials or token${hasToken ? ', or the --admin-token as Authorization: Bearer <token>' : ''} (or restart with --admin-open to open them knowingly).`,
    },
  }),
  /** …with credentials that are not a superuser's nor the admin token */
  adminForbidden: (hasToken: boolean) => ({
    status: 403,
    body: {
      error: `These credentials may not use geostub's admin routes or inspector: they are for superusers${hasToken ? ' and the holder of the --admin-token' : ''}.`,
    },
  }),
  /** a state-changing admin request sent by a web page of a foreign origin, without admin credentials */
  adminForeignOrigin: (origin: string) => ({
    status: 403,
    body: {
      error: `A page at ${origin} may not change geostub's state: admin requests from a browser must come from a loopback origin or one given with --cors-origin (or carry admin credentials).`,
    },
  }),
  internal: () => ({ status: 500, body: { success: false, errors: ['Internal error in geostub.'], code: 'error' } }),
} as const satisfies Record<string, (...args: never[]) => ErrorBody>;

export type ErrorName = keyof typeof ERRORS;

export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  constructor(
    readonly errorName: ErrorName,
    built: ErrorBody,
  ) {
    super(`${errorName} (${built.status})`);
    this.status = built.status;
    this.body = built.body;
    this.headers = built.headers ?? {};
  }
}

/** Build a catalogued error: `throw apiError('invalidPage')`. */
export function apiError<N extends ErrorName>(name: N, ...args: Parameters<(typeof ERRORS)[N]>): ApiError {
  const build = ERRORS[name] as (...a: unknown[]) => ErrorBody;
  return new ApiError(name, build(...args));
}
