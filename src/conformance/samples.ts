/**
 * The runner's request samples, as data: where the value of a path parameter comes from on a live target. The
 * runner never sees the target's store: it reads a list the contract documents and takes an id from it.
 *
 * Resolution order for `{param}` of a path template:
 *   1. PARAM_SOURCES[`<template>`][param], then PARAM_SOURCES[`*`][param]  (a constant, or a list to read);
 *   2. the list at the path prefix before `{param}` (`/api/v2/maps/{id}/datasets/` → `/api/v2/maps/`), taking the
 *      item's `param` field, else `pk`, else `id` (a list of strings gives the string itself).
 */

export type ParamSource =
  | { value: string }
  | {
      /** a path (and query) to GET, with `{param}`s resolved first */
      list: string;
      /** dotted path of the value in an item; default the rule above */
      field?: string;
      /** only items whose field at this dotted path contains this text */
      where?: { field: string; contains: string };
      headers?: Record<string, string>;
    };

/** A path whose ids cannot be read from a list (they do not exist): used for 404 and 405 probes. */
export const MISSING_IDS: Record<string, string> = {
  uuid: '00000000-0000-4000-8000-000000000000',
  int: '987654321',
  text: 'geostub-conform-missing',
};

/** Paths whose last parameter filters rather than looks up: an unknown value lists nothing, it is no 404. */
export const NO_MISSING_ID = new Set(['/api/v2/management/commands/{cmd_name}/jobs/']);

/** Path parameters that are not ids: never replaced by a missing id. */
export const NOT_IDS = new Set(['field_name', 'resource_type', 'path']);

const koordinatesItem = (type: string): ParamSource => ({
  list: '/services/api/v1/data/?page_size=1000',
  field: 'id',
  where: { field: 'url', contains: `/${type}/` },
});
const koordinatesRef = (field: string): ParamSource => ({
  list: '/services/api/v1/data/?page_size=200',
  field,
  headers: { Expand: 'list' },
});

export const PARAM_SOURCES: Record<string, Record<string, ParamSource>> = {
  '*': {
    field_name: { value: 'keywords' },
    resource_type: { value: 'dataset' },
    execution_id: { list: '/api/v2/executionrequest/', field: 'exec_id' },
    resource_id: { list: '/api/v2/datasets/', field: 'pk' },
    // a file of the first asset (`/assets/{id}/link/{path}`): its stored location, which GeoNode joins as is
    path: { list: '/api/v2/assets/', field: 'subinfo.locations.0' },
  },
  // a command that has jobs, so its job list has an id to read
  '/api/v2/management/commands/{cmd_name}/jobs/{id}/': {
    cmd_name: { list: '/api/v2/management/jobs/', field: 'command' },
  },
  '/api/v2/management/commands/{cmd_name}/jobs/{id}/status/': {
    cmd_name: { list: '/api/v2/management/jobs/', field: 'command' },
  },
  // a dataset some map uses, so its maps and map layers lists have items to check
  '/api/v2/datasets/{id}/maps/': { id: { list: '/api/v2/maps/?page_size=10', field: 'maplayers.0.dataset.pk' } },
  '/api/v2/datasets/{id}/maplayers/': { id: { list: '/api/v2/maps/?page_size=10', field: 'maplayers.0.dataset.pk' } },
  '/services/api/v1/layers/{id}/': { id: koordinatesItem('layers') },
  '/services/api/v1/layers/{id}/versions/': { id: koordinatesItem('layers') },
  '/services/api/v1/layers/{id}/versions/{version_id}/': { id: koordinatesItem('layers') },
  '/services/api/v1/layers/{id}/versions/published/': { id: koordinatesItem('layers') },
  '/services/api/v1/layers/{id}/versions/draft/': { id: koordinatesItem('layers') },
  // GeoNode 5's metadata editor: an instance is a resource; a thesaurus is named by its id or identifier
  '/api/v2/metadata/instance/{pk}/': { pk: { list: '/api/v2/resources/', field: 'pk' } },
  // any number names the one schema GeoNode serves (5.0.2 metadata/api/views.py:67)
  '/api/v2/metadata/schema/{pk}/': { pk: { value: '1' } },
  '/api/v2/metadata/autocomplete/thesaurus/{thesaurusid}/keywords': { thesaurusid: { value: '1' } },
  '/services/api/v1/tables/{id}/': { id: koordinatesItem('tables') },
  '/services/api/v1/tables/{id}/versions/': { id: koordinatesItem('tables') },
  '/services/api/v1/tables/{id}/versions/{version_id}/': { id: koordinatesItem('tables') },
  '/services/api/v1/sets/{id}/': { id: koordinatesItem('sets') },
  '/services/api/v1/documents/{id}/': { id: koordinatesItem('documents') },
  '/services/api/v1/sources/{id}/': { id: koordinatesItem('sources') },
  '/services/api/v1/licenses/{id}/': { id: koordinatesRef('license.id') },
  '/services/api/v1/groups/{id}/': { id: koordinatesRef('group.id') },
  '/services/api/v1/users/{id}/': { id: koordinatesRef('user.id') },
};

/** Page sizes the runner asks for when it reads a list to find ids. */
export const LOOKUP_PAGE_SIZE = 10;

/** Catalogue filters the runner checks, and where an item of the detailed shape (`Expand: list`) shows the value. */
export const KOORDINATES_FILTERS: { param: string; field: string }[] = [
  { param: 'kind', field: 'kind' },
  { param: 'group', field: 'group.id' },
];
