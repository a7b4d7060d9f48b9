/**
 * A valid request for every write operation of the contracts, keyed by `METHOD path` (test data for the
 * self-check walk). Path parameters are filled from the live store by the walk itself; `params` overrides them.
 */
export interface SampleRequest {
  body?: unknown;
  /** send the body as multipart/form-data fields */
  form?: Record<string, string>;
  /** send these files as multipart/form-data (field → file name and text) */
  files?: Record<string, { filename: string; content: string }>;
  /** send the body as application/x-www-form-urlencoded */
  urlencoded?: string;
  params?: Record<string, string>;
  /** an id that must belong to a record of this kind (e.g. a resource that is a dataset) */
  pick?: 'map' | 'dataset' | 'document' | 'geoapp' | 'userWithoutResources' | 'createdJob';
  /** a request sent to the same URL first (e.g. link two resources before unlinking them) */
  setup?: { method: string; body: unknown };
}

const resourceWrite = { title: 'Self-check title', abstract: 'Written by the self-check.' };

export const SAMPLE_REQUESTS: Record<string, SampleRequest> = {
  'POST /api/v2/resources/': { body: { title: 'Self-check resource' } },
  'PATCH /api/v2/resources/': {
    body: [
      { pk: '1', title: 'Bulk one' },
      { pk: '2', title: 'Bulk two' },
    ],
  },
  'DELETE /api/v2/resources/': { body: [{ id: '3' }] },
  'PUT /api/v2/resources/{id}/': { body: resourceWrite },
  'PATCH /api/v2/resources/{id}/': { body: { title: 'Patched' } },
  'POST /api/v2/resources/{id}/linked_resources/': { body: { target: [2] } },
  'DELETE /api/v2/resources/{id}/linked_resources/': {
    body: { target: [2] },
    setup: { method: 'POST', body: { target: [2] } },
  },
  'PUT /api/v2/resources/{id}/copy/': {
    urlencoded: 'defaults=' + encodeURIComponent(JSON.stringify({ title: 'A copy' })),
  },
  'DELETE /api/v2/resources/{id}/delete/': { body: {} },
  'PUT /api/v2/resources/{id}/update/': {
    urlencoded: 'vals=' + encodeURIComponent(JSON.stringify({ title: 'Updated async' })),
  },
  'POST /api/v2/resources/create/{resource_type}/': {
    urlencoded: 'defaults=' + encodeURIComponent(JSON.stringify({ title: 'Created async' })),
  },
  'POST /api/v2/resources/ingest/{resource_type}/': {
    urlencoded: 'defaults=' + encodeURIComponent(JSON.stringify({ title: 'Ingested' })),
  },
  'PUT /api/v2/resources/{id}/extra_metadata/': { body: [] },
  'POST /api/v2/resources/{id}/extra_metadata/': {
    body: [{ filter_header: 'Selfcheck', field_name: 'source', field_label: 'Source', field_value: 'geostub' }],
  },
  'DELETE /api/v2/resources/{id}/extra_metadata/': { body: [] },
  'POST /api/v2/resources/{id}/favorite/': {},
  'DELETE /api/v2/resources/{id}/favorite/': { setup: { method: 'POST', body: {} } },
  'PUT /api/v2/resources/{id}/permissions/': {
    body: { users: [{ id: 1002, permissions: 'view' }], groups: [], organizations: [] },
  },
  'PATCH /api/v2/resources/{id}/permissions/': { body: { users: [{ id: 1003, permissions: 'edit' }] } },
  'DELETE /api/v2/resources/{id}/permissions/': {},
  'POST /api/v2/resources/{id}/ratings/': { body: { rating: 4 } },
  'PUT /api/v2/resources/{id}/set_thumbnail/': { body: { file: 'https://example.org/thumbs/selfcheck.png' } },
  'POST /api/v2/resources/{resource_id}/set_thumbnail_from_bbox/': {
    body: { bbox: [-10, 10, -5, 5], srid: 'EPSG:4326' },
    pick: 'dataset',
  },
  'PATCH /api/v2/datasets/': { body: [{ id: 'DATASET', title: 'Bulk dataset' }] },
  'PUT /api/v2/datasets/{id}/': { body: resourceWrite },
  'PATCH /api/v2/datasets/{id}/': { body: { title: 'Patched dataset' } },
  'POST /api/v2/documents/': { body: { title: 'Self-check document', doc_url: 'https://example.org/report.pdf' } },
  'PATCH /api/v2/documents/': { body: [{ id: 'DOCUMENT', title: 'Bulk document' }] },
  'PUT /api/v2/documents/{id}/': { body: resourceWrite },
  'PATCH /api/v2/documents/{id}/': { body: { title: 'Patched document' } },
  'POST /api/v2/maps/': { body: { title: 'Self-check map', data: { map: { layers: [] } }, maplayers: [] } },
  'PATCH /api/v2/maps/': { body: [{ id: 'MAP', title: 'Bulk map' }] },
  'PUT /api/v2/maps/{id}/': { body: resourceWrite },
  'PATCH /api/v2/maps/{id}/': { body: { title: 'Patched map' } },
  'POST /api/v2/geoapps/': { body: { name: 'selfcheck-app', title: 'Self-check app', resource_type: 'geostory' } },
  'PATCH /api/v2/geoapps/': { body: [{ id: 'GEOAPP', title: 'Bulk app' }] },
  'PUT /api/v2/geoapps/{id}/': { body: { ...resourceWrite, name: 'renamed-app', resource_type: 'geostory' } },
  'PATCH /api/v2/geoapps/{id}/': { body: { title: 'Patched app' } },
  'POST /api/v2/users/': {
    body: { username: 'selfcheck', email: 'selfcheck@example.org', password: 'a-long-Passw0rd!' },
  },
  'PATCH /api/v2/users/': { body: [{ id: 1002, first_name: 'Alicia' }] },
  'DELETE /api/v2/users/': { body: [{ id: 'USER_WITHOUT_RESOURCES' }] },
  'PUT /api/v2/users/{id}/': { body: { first_name: 'Put', last_name: 'Name' }, params: { id: '1002' } },
  'PATCH /api/v2/users/{id}/': { body: { first_name: 'Patched' }, params: { id: '1002' } },
  'DELETE /api/v2/users/{id}/': { pick: 'userWithoutResources' },
  'POST /api/v2/groups/': {
    body: {
      title: 'Self-check group',
      group: 1,
      slug: 'self-check-group',
      description: 'test',
      access: 'private',
      categories: [],
    },
  },
  'PATCH /api/v2/groups/': { body: [{ id: 3, description: 'bulk' }] },
  'DELETE /api/v2/groups/': { body: [{ id: 4 }] },
  'PUT /api/v2/groups/{id}/': { body: { title: 'Renamed group', description: 'put' } },
  'PATCH /api/v2/groups/{id}/': { body: { description: 'patched' } },
  'DELETE /api/v2/groups/{id}/': {},
  'POST /api/v2/uploads/': { body: { name: 'selfcheck-upload' } },
  'POST /api/v2/uploads/upload/': { form: { base_file: 'roads.geojson', charset: 'UTF-8' } },
  'POST /api/v2/upload-size-limits/': {
    body: { slug: 'selfcheck_upload_size', description: 'self-check', max_size: 1048576 },
  },
  'POST /api/v2/upload-parallelism-limits/': {
    body: { slug: 'selfcheck_parallel', description: 'self-check', max_number: 3 },
  },
  'DELETE /api/v2/executionrequest/{exec_id}/': {},
  'POST /api/v2/harvesters/': {
    body: {
      name: 'selfcheck harvester',
      remote_url: 'https://demo.example.org',
      harvester_type: 'geonode.harvesting.harvesters.geonodeharvester.GeonodeUnifiedHarvesterWorker',
    },
  },
  'PUT /api/v2/harvesters/{id}/': { body: { name: 'renamed harvester', remote_url: 'https://demo.example.org' } },
  'PATCH /api/v2/harvesters/{id}/': { body: { name: 'patched harvester' } },
  'DELETE /api/v2/harvesters/{id}/': {},
  'PATCH /api/v2/harvesters/{harvester_id}/harvestable-resources/': { body: 'HARVESTABLE' },
  'POST /api/v2/management/commands/': { body: { command: 'ping_mngmt_commands_http' } },
  'POST /api/v2/management/commands/{cmd_name}/': { body: { args: [], kwargs: {} } },
  'POST /api/v2/management/commands/{cmd_name}/jobs/': { body: { args: [], kwargs: {}, autostart: false } },
  'POST /api/v2/management/jobs/': { body: { command: 'ping_mngmt_commands_http', autostart: false } },
  'PATCH /api/v2/management/commands/{cmd_name}/jobs/{id}/start/': { pick: 'createdJob' },
  'PATCH /api/v2/management/commands/{cmd_name}/jobs/{id}/stop/': {},
  'PATCH /api/v2/management/jobs/{id}/start/': { pick: 'createdJob' },
  'PATCH /api/v2/management/jobs/{id}/stop/': {},
  'POST /api/v2/assets/': { body: { title: 'Self-check asset', type: 'original' } },
  'PATCH /api/v2/assets/': { body: [{ id: 1, description: 'bulk' }] },
  'DELETE /api/v2/assets/': { body: [{ id: 2 }] },
  'PUT /api/v2/assets/{id}/': { body: { title: 'Renamed asset', type: 'original' } },
  'PATCH /api/v2/assets/{id}/': { body: { description: 'patched' } },
  'DELETE /api/v2/assets/{id}/': {},
  'PUT /api/v2/datasets/{id}/metadata/': {
    files: {
      metadata_file: {
        filename: 'iso.xml',
        content:
          '<gmd:MD_Metadata xmlns:gmd="http://www.isotc211.org/2005/gmd" xmlns:gco="http://www.isotc211.org/2005/gco"><gmd:title><gco:CharacterString>Self-check ISO title</gco:CharacterString></gmd:title></gmd:MD_Metadata>',
      },
    },
    pick: 'dataset',
  },
  'POST /api/v2/users/{id}/transfer_resources/': { body: { owner: 1000 }, params: { id: '1002' } },
  'POST /api/v2/users/{id}/remove_from_group_manager/': { body: { groups: 'ALL' }, params: { id: '1002' } },
};
