/**
 * The runner can fail: the mock started with each planted fault (`--fault NAME`) must be reported, and by the
 * check that exists to catch it. Table-driven: fault → the check expected to catch it, and the cases that look.
 */
import { describe, expect, it } from 'vitest';
import { runConformance } from '../src/conformance/runner.js';
import { FAULTS } from '../src/server/faults/index.js';
import { QUERY_FAULTS } from '../src/server/faults/query.js';
import { startGeostub } from '../src/server/start.js';
import { startTestServer } from './helpers/server.js';

const CREDENTIALS = { user: { name: 'admin', password: 'admin' }, key: 'geostub0koordinates0api0key00001' };

/** fault → [check that must report it, --only patterns of the cases that look there, the GeoNode profile served (4 unless said)] */
const CAUGHT_BY: Record<string, [check: string, only: string[], geonode?: 4 | 5]> = {
  'envelope-key-renamed': ['response_schema', ['GET /api/v2/categories/ · request']],
  'detail-unwrapped': ['response_schema', ['GET /api/v2/categories/{id}/ · request']],
  'field-dropped': ['response_schema', ['GET /api/v2/resources/ · request']],
  'pk-as-number': ['response_schema', ['GET /api/v2/resources/ · request']],
  'create-answers-200': ['status_code_documented', ['scenario geonode-crud-resource']],
  'not-found-as-400': ['missing_id_404', ['GET /api/v2/categories/{id}/ · missing id']],
  'method-not-allowed-as-404': ['method_not_allowed_405', ['PUT /api/v2/categories/ · method not allowed']],
  'not-found-body-wrong': [
    'missing_id_404',
    ['GET /api/v2/categories/{id}/ · missing id', 'GET /services/api/v1/layers/{id}/ · missing id'],
  ],
  'error-body-text': ['content_type', ['GET /api/v2/categories/{id}/ · invalid parameter']],
  'x-paginate-by-missing': ['headers_documented', ['GET /services/api/v1/data/ · pagination']],
  'link-relative': ['link_header', ['GET /services/api/v1/data/ · pagination']],
  'resource-range-off-by-one': ['resource_range', ['GET /services/api/v1/data/ · pagination']],
  'next-link-missing': ['pagination_links', ['GET /api/v2/categories/ · pagination']],
  'total-off-by-one': ['pagination_envelope', ['GET /api/v2/categories/ · pagination']],
  'filter-ignored': ['filter_honoured', ['GET /api/v2/resources/ · filter']],
  'catalog-filter-ignored': ['filter_honoured', ['GET /services/api/v1/data/ · filter']],
  'sort-reversed': ['sort_honoured', ['GET /api/v2/resources/ · sort']],
  'catalog-sort-reversed': ['sort_honoured', ['GET /services/api/v1/data/ · sort']],
  'include-ignored': ['include_exclude', ['GET /api/v2/datasets/ · include/exclude']],
  'api-preset-ignored': ['api_preset', ['GET /api/v2/resources/ · api_preset']],
  'sideload-missing': ['sideloading', ['scenario geonode-sideloading']],
  'bulk-create-partial': ['bulk_create', ['scenario geonode-bulk-resources']],
  'bulk-delete-noop': ['bulk_delete', ['scenario geonode-bulk-resources']],
  'patch-all-count-wrong': ['patch_all_count', ['scenario geonode-patch-all']],
  'execution-stuck-running': ['lifecycle_final_state', ['scenario geonode-lifecycle-ingest']],
  'job-stuck-started': ['lifecycle_final_state', ['scenario geonode-lifecycle-management-job']],
  'anonymous-patch-accepted': ['anonymous_write_refused', ['scenario geonode-anonymous-writes']],
  'favorite-not-recorded': ['favorites', ['scenario geonode-favorites']],
  'permissions-not-applied': ['permissions', ['scenario geonode-permissions']],
  'users-open-to-anonymous': ['auth_required', ['GET /api/v2/users/ · anonymous']],
  'invalid-page-served': ['invalid_param_4xx', ['GET /api/v2/categories/ · invalid parameter page']],
  'detail-answers-202': ['status_code_expected', ['GET /api/v2/categories/{id}/ · request']],
  'update-not-saved': ['crud_round_trip', ['scenario geonode-crud-resource']],
  'bulk-update-ignored': ['bulk_update', ['scenario geonode-bulk-resources']],
  'catalog-page-ignored': ['page_walk', ['scenario koordinates-page-walk']],
  'rights-after-lookup': ['rights_before_lookup', ['scenario geonode-rights-first']],
  'anonymous-method-405': ['anonymous_before_method', ['POST /api/v2/datasets/{id}/ · anonymous method']],
  'new-resource-unadvertised': ['new_resource_defaults', ['scenario geonode-rights-first']],
  'permissions-spec-compact': ['permissions_extended_spec', ['scenario geonode-rights-first']],
  'members-with-perms': ['response_schema', ['GET /api/v2/groups/{id}/members/ · request']],
  'map-datasets-with-perms': ['response_schema', ['GET /api/v2/maps/{id}/datasets/ · request']],
  'dataset-maps-string-pk': ['response_schema', ['GET /api/v2/datasets/{id}/maps/ · request']],
  'maplayer-dataset-pk-string': ['response_schema', ['GET /api/v2/maps/{id}/ · request']],
  'featureinfo-empty-string': ['response_schema', ['GET /api/v2/datasets/{id}/ · request']],
  'document-multipart-refused': ['document_create', ['scenario geonode-documents']],
  'filter-in-drops-one': ['filter_complete', ['GET /api/v2/resources/ · filter']],
  'filter-negation-drops-one': ['filter_complete', ['GET /api/v2/resources/ · filter']],
  'catalog-filter-or-drops-one': ['filter_complete', ['GET /services/api/v1/data/ · filter kind']],
  'page-item-repeated': ['pagination_complete', ['GET /api/v2/resources/ · pagination']],
  'sort-drops-one': ['list_complete', ['GET /api/v2/resources/ · sort']],
  'projection-drops-one': ['list_complete', ['GET /api/v2/resources/ · api_preset']],
  'facet-count-off': ['facet_counts', ['scenario geonode-facets']],
  'asset-not-stored': ['asset_round_trip', ['scenario geonode-assets']],
  'self-transfer-accepted': ['user_actions', ['scenario geonode-user-actions']],
  'metadata-errors-as-400': ['metadata_upload', ['scenario geonode-dataset-metadata']],
  'metadata-patch-ignored': ['metadata_round_trip', ['scenario geonode-metadata-instance'], 5],
  'thumbnail-not-deleted': ['thumbnail_deleted', ['scenario geonode-delete-thumbnail'], 5],
  'challenge-header-missing': ['auth_challenge', ['scenario geonode-auth-challenge'], 5],
  'resource-asset-not-linked': ['resource_assets', ['scenario geonode-resource-assets'], 5],
  'permissions-put-replaces': ['permissions_merge', ['scenario geonode-permissions-merge'], 5],
};

describe('planted faults', () => {
  it('there are at least 20, across every area the runner checks, and each has a row here', () => {
    expect(FAULTS.length).toBeGreaterThanOrEqual(20);
    // the query-language faults are proven, each by the query case that names it, in conformance-query-depth.test.ts
    const queryFaults = new Set(QUERY_FAULTS.map((f) => f.name));
    expect(Object.keys(CAUGHT_BY).sort()).toEqual(
      FAULTS.map((f) => f.name)
        .filter((n) => !queryFaults.has(n))
        .sort(),
    );
    const areas = new Set(FAULTS.map((f) => f.area));
    for (const a of [
      'completeness',
      'envelopes',
      'fields',
      'types',
      'status codes',
      'headers',
      'pagination',
      'filters',
      'sorts',
      'include/exclude',
      'bulk',
      'patch-all',
      'async lifecycles',
      'auth',
      'error bodies',
      'facets',
      'assets',
      'query language',
    ]) {
      expect(areas, a).toContain(a);
    }
  });

  it('an unknown fault name is refused, listing the known ones', async () => {
    await expect(startGeostub({ port: 0, inMemory: true, faults: ['no-such-fault'] })).rejects.toThrow(
      /unknown fault "no-such-fault"; the faults are: envelope-key-renamed, /,
    );
  });

  const rows = Object.entries(CAUGHT_BY).map(([fault, [check, only, geonode]]) => ({
    fault,
    check,
    only,
    geonode: geonode ?? 4,
  }));
  it.each(rows)('$fault is reported by $check', async ({ fault, check, only, geonode }) => {
    const s = await startTestServer({ faults: [fault], jobDuration: 10, geonode });
    try {
      const report = await runConformance({
        target: s.url,
        apis: ['geonode', 'koordinates'],
        allowWrites: true,
        credentials: CREDENTIALS,
        timeoutMs: 1500,
        only,
      });
      expect(report.summary.cases, 'the --only patterns select no case').toBeGreaterThan(0);
      const checks = [...new Set(report.failures.map((f) => f.check))];
      expect(checks, `${fault} was not reported by ${check}`).toContain(check);
    } finally {
      await s.close();
    }
  });
});
