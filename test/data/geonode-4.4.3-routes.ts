/**
 * Every route GeoNode 4.4.3 registers under /api/v2/ (upstream commit 842fc8870017988b5c8a22289d75fbd9420a7127),
 * method by method, read from its source. DynamicRouter list routes map get/post/patch/delete and detail routes
 * get/put/patch/delete (dynamic-rest routers.py:87-94), narrowed by the viewset's `http_method_names` and by the
 * methods the viewset has; relation routes exist for the serializer's link fields, many or deferred
 * (dynamic-rest routers.py:306-351, serializers.py:511-535), unless an action of the same name comes first.
 *
 * Placeholders ({dataset}, {user}, …) are filled by the test with ids from the fixtures. `.json` format suffixes and
 * DRF's api-auth login/logout are not listed.
 */
export type RouteEntry = readonly [method: string, path: string, source: string];

const resourceRelations = ['keywords', 'tkeywords', 'regions', 'metadata', 'data', 'executions'] as const;
/** base/api/serializers.py:629-651: keywords, tkeywords (many), regions (many), metadata (many, deferred), data, executions, linked_resources (deferred) */
const RELATIONS_SOURCE = 'base/api/serializers.py:629-651 + dynamic-rest routers.py:306-351';

export const GEONODE_443_ROUTES: readonly RouteEntry[] = [
  ['GET', '/api/v2/', 'api/urls.py:47 (DynamicRouter root)'],
  ['GET', '/api/v2/schema/', 'api/urls.py:50'],
  // served by geostub outside the contract (its API docs pages)
  ['GET', '/api/v2/schema/swagger-ui/', 'api/urls.py:51'],
  ['GET', '/api/v2/schema/redoc/', 'api/urls.py:52'],

  // resources: ResourceBaseViewSet (base/api/views.py:300), registered base/api/urls.py:24
  ['GET', '/api/v2/resources/', 'base/api/views.py:300'],
  ['POST', '/api/v2/resources/', 'base/api/views.py:300'],
  ['PATCH', '/api/v2/resources/', 'base/api/views.py:300 (dynamic-rest routers.py:92)'],
  ['DELETE', '/api/v2/resources/', 'base/api/views.py:300 (dynamic-rest routers.py:93)'],
  ['GET', '/api/v2/resources/{resource}/', 'base/api/views.py:300'],
  ['PUT', '/api/v2/resources/{resource}/', 'base/api/views.py:300'],
  ['PATCH', '/api/v2/resources/{resource}/', 'base/api/views.py:300'],
  ['DELETE', '/api/v2/resources/{resource}/', 'base/api/views.py:300'],
  ['GET', '/api/v2/resources/approved/', 'base/api/views.py:333'],
  ['GET', '/api/v2/resources/published/', 'base/api/views.py:342'],
  ['GET', '/api/v2/resources/featured/', 'base/api/views.py:351'],
  ['GET', '/api/v2/resources/favorites/', 'base/api/views.py:360'],
  ['POST', '/api/v2/resources/{resource}/favorite/', 'base/api/views.py:380'],
  ['DELETE', '/api/v2/resources/{resource}/favorite/', 'base/api/views.py:380'],
  ['GET', '/api/v2/resources/resource_types/', 'base/api/views.py:431'],
  ['GET', '/api/v2/resources/{resource}/permissions/', 'base/api/views.py:532'],
  ['PUT', '/api/v2/resources/{resource}/permissions/', 'base/api/views.py:532'],
  ['PATCH', '/api/v2/resources/{resource}/permissions/', 'base/api/views.py:532'],
  ['DELETE', '/api/v2/resources/{resource}/permissions/', 'base/api/views.py:532'],
  ['POST', '/api/v2/resources/{resource}/set_thumbnail_from_bbox/', 'base/api/views.py:669'],
  ['POST', '/api/v2/resources/create/dataset/', 'base/api/views.py:736'],
  ['DELETE', '/api/v2/resources/{resource}/delete/', 'base/api/views.py:838'],
  ['PUT', '/api/v2/resources/{resource}/update/', 'base/api/views.py:922'],
  ['PUT', '/api/v2/resources/{resource}/copy/', 'base/api/views.py:1043'],
  ['PUT', '/api/v2/resources/{resource}/set_thumbnail/', 'base/api/views.py:1152'],
  ['GET', '/api/v2/resources/{resource}/extra_metadata/', 'base/api/views.py:1213'],
  ['PUT', '/api/v2/resources/{resource}/extra_metadata/', 'base/api/views.py:1213'],
  ['POST', '/api/v2/resources/{resource}/extra_metadata/', 'base/api/views.py:1213'],
  ['DELETE', '/api/v2/resources/{resource}/extra_metadata/', 'base/api/views.py:1213'],
  ['GET', '/api/v2/resources/{resource}/linked_resources/', 'base/api/views.py:1304'],
  ['POST', '/api/v2/resources/{resource}/linked_resources/', 'base/api/views.py:1304'],
  ['DELETE', '/api/v2/resources/{resource}/linked_resources/', 'base/api/views.py:1304'],
  ...resourceRelations.map((f) => ['GET', `/api/v2/resources/{resource}/${f}/`, RELATIONS_SOURCE] as const),

  // datasets: DatasetViewSet (layers/api/views.py:58), http_method_names get/patch/put (:63)
  ['GET', '/api/v2/datasets/', 'layers/api/views.py:58'],
  ['PATCH', '/api/v2/datasets/', 'layers/api/views.py:58'],
  ['GET', '/api/v2/datasets/{dataset}/', 'layers/api/views.py:58'],
  ['PUT', '/api/v2/datasets/{dataset}/', 'layers/api/views.py:58'],
  ['PATCH', '/api/v2/datasets/{dataset}/', 'layers/api/views.py:85'],
  ['PUT', '/api/v2/datasets/{dataset}/metadata', 'layers/api/views.py:99-110'],
  ['GET', '/api/v2/datasets/{dataset}/maplayers/', 'layers/api/views.py:174'],
  ['GET', '/api/v2/datasets/{dataset}/maps/', 'layers/api/views.py:185'],
  // `metadata` is shadowed by the upload action (a list-level route, listed first)
  ...(['keywords', 'tkeywords', 'regions', 'data', 'executions', 'linked_resources'] as const).map(
    (f) => ['GET', `/api/v2/datasets/{dataset}/${f}/`, RELATIONS_SOURCE] as const,
  ),
  ['GET', '/api/v2/datasets/{dataset}/styles/', 'layers/api/serializers.py:159'],
  ['GET', '/api/v2/datasets/{dataset}/attribute_set/', 'layers/api/serializers.py:161'],

  // documents: DocumentViewSet (documents/api/views.py:55), http_method_names get/patch/put/post (:60)
  ['GET', '/api/v2/documents/', 'documents/api/views.py:55'],
  ['POST', '/api/v2/documents/', 'documents/api/views.py:55'],
  ['PATCH', '/api/v2/documents/', 'documents/api/views.py:55'],
  ['GET', '/api/v2/documents/{document}/', 'documents/api/views.py:55'],
  ['PUT', '/api/v2/documents/{document}/', 'documents/api/views.py:55'],
  ['PATCH', '/api/v2/documents/{document}/', 'documents/api/views.py:55'],
  ['GET', '/api/v2/documents/{document}/linked_resources/', 'documents/api/views.py:155'],
  ...resourceRelations.map((f) => ['GET', `/api/v2/documents/{document}/${f}/`, RELATIONS_SOURCE] as const),

  // maps: MapViewSet (maps/api/views.py:52), http_method_names get/patch/post/put (:57)
  ['GET', '/api/v2/maps/', 'maps/api/views.py:74'],
  ['POST', '/api/v2/maps/', 'maps/api/views.py:88'],
  ['PATCH', '/api/v2/maps/', 'maps/api/views.py:52'],
  ['GET', '/api/v2/maps/{map}/', 'maps/api/views.py:52'],
  ['PUT', '/api/v2/maps/{map}/', 'maps/api/views.py:80'],
  ['PATCH', '/api/v2/maps/{map}/', 'maps/api/views.py:52'],
  ['GET', '/api/v2/maps/{map}/maplayers/', 'maps/api/views.py:100'],
  ['GET', '/api/v2/maps/{map}/datasets/', 'maps/api/views.py:111'],
  ...[...resourceRelations, 'linked_resources'].map(
    (f) => ['GET', `/api/v2/maps/{map}/${f}/`, RELATIONS_SOURCE] as const,
  ),

  // geoapps: GeoAppViewSet (geoapps/api/views.py:41), http_method_names get/patch/post/put (:46)
  ['GET', '/api/v2/geoapps/', 'geoapps/api/views.py:41'],
  ['POST', '/api/v2/geoapps/', 'geoapps/api/views.py:41'],
  ['PATCH', '/api/v2/geoapps/', 'geoapps/api/views.py:41'],
  ['GET', '/api/v2/geoapps/{geoapp}/', 'geoapps/api/views.py:41'],
  ['PUT', '/api/v2/geoapps/{geoapp}/', 'geoapps/api/views.py:41'],
  ['PATCH', '/api/v2/geoapps/{geoapp}/', 'geoapps/api/views.py:41'],
  ...[...resourceRelations, 'linked_resources'].map(
    (f) => ['GET', `/api/v2/geoapps/{geoapp}/${f}/`, RELATIONS_SOURCE] as const,
  ),

  // users: UserViewSet (people/api/views.py:26), http_method_names get/post/patch/delete (:31)
  ['GET', '/api/v2/users/', 'people/api/views.py:26'],
  ['POST', '/api/v2/users/', 'people/api/views.py:53'],
  ['PATCH', '/api/v2/users/', 'people/api/views.py:26'],
  ['DELETE', '/api/v2/users/', 'people/api/views.py:26'],
  ['GET', '/api/v2/users/{user}/', 'people/api/views.py:26'],
  ['PATCH', '/api/v2/users/{user}/', 'people/api/views.py:62'],
  ['DELETE', '/api/v2/users/{user}/', 'people/api/views.py:69'],
  ['GET', '/api/v2/users/{user}/resources/', 'people/api/views.py:85'],
  ['GET', '/api/v2/users/{user}/groups/', 'people/api/views.py:110'],
  ['POST', '/api/v2/users/{user}/remove_from_group_manager/', 'people/api/views.py:117'],
  ['POST', '/api/v2/users/{user}/transfer_resources/', 'people/api/views.py:146'],

  // groups: GroupViewSet (base/api/views.py:114), registered base/api/urls.py:23
  ['GET', '/api/v2/groups/', 'base/api/views.py:114'],
  ['POST', '/api/v2/groups/', 'base/api/views.py:114'],
  ['PATCH', '/api/v2/groups/', 'base/api/views.py:114'],
  ['DELETE', '/api/v2/groups/', 'base/api/views.py:114'],
  ['GET', '/api/v2/groups/{group}/', 'base/api/views.py:114'],
  ['PUT', '/api/v2/groups/{group}/', 'base/api/views.py:114'],
  ['PATCH', '/api/v2/groups/{group}/', 'base/api/views.py:114'],
  ['DELETE', '/api/v2/groups/{group}/', 'base/api/views.py:114'],
  ['GET', '/api/v2/groups/{group}/members/', 'base/api/views.py:143'],
  ['GET', '/api/v2/groups/{group}/managers/', 'base/api/views.py:154'],
  ['GET', '/api/v2/groups/{group}/resources/', 'base/api/views.py:165'],

  // read-only taxonomies and owners (List + Retrieve mixins), base/api/urls.py:25-29
  ['GET', '/api/v2/owners/', 'base/api/views.py:244'],
  ['GET', '/api/v2/owners/{owner}/', 'base/api/views.py:244'],
  ['GET', '/api/v2/categories/', 'base/api/views.py:230'],
  ['GET', '/api/v2/categories/{category}/', 'base/api/views.py:230'],
  ['GET', '/api/v2/keywords/', 'base/api/views.py:190'],
  ['GET', '/api/v2/keywords/{keyword}/', 'base/api/views.py:190'],
  ['GET', '/api/v2/tkeywords/', 'base/api/views.py:216'],
  ['GET', '/api/v2/tkeywords/{tkeyword}/', 'base/api/views.py:216'],
  ['GET', '/api/v2/regions/', 'base/api/views.py:176'],
  ['GET', '/api/v2/regions/{region}/', 'base/api/views.py:176'],

  // uploads (upload/api/urls.py:23-25): UploadViewSet get/post (upload/api/views.py:69), limits get/post (:81, :103)
  ['GET', '/api/v2/uploads/', 'upload/api/views.py:54'],
  ['POST', '/api/v2/uploads/', 'upload/api/views.py:54'],
  ['GET', '/api/v2/uploads/{upload}/', 'upload/api/views.py:54'],
  ['POST', '/api/v2/uploads/upload/', 'upload/api/views.py:75'],
  ['GET', '/api/v2/upload-size-limits/', 'upload/api/views.py:80'],
  ['POST', '/api/v2/upload-size-limits/', 'upload/api/views.py:80'],
  ['GET', '/api/v2/upload-size-limits/{sizeLimit}/', 'upload/api/views.py:80'],
  ['GET', '/api/v2/upload-parallelism-limits/', 'upload/api/views.py:102'],
  ['POST', '/api/v2/upload-parallelism-limits/', 'upload/api/views.py:102'],
  ['GET', '/api/v2/upload-parallelism-limits/{parallelismLimit}/', 'upload/api/views.py:102'],

  // resource service (resource/api/urls.py:24-32)
  ['GET', '/api/v2/resource-service/execution-status/{execution}', 'resource/api/urls.py:25'],
  ['GET', '/api/v2/executionrequest/', 'resource/api/views.py:129'],
  ['GET', '/api/v2/executionrequest/{execution}/', 'resource/api/views.py:129'],

  // harvesting (harvesting/api/urls.py:25-36, ListPatchRouter)
  ['GET', '/api/v2/harvesters/', 'harvesting/api/views.py:49'],
  ['POST', '/api/v2/harvesters/', 'harvesting/api/views.py:49'],
  ['GET', '/api/v2/harvesters/{harvester}/', 'harvesting/api/views.py:49'],
  ['PUT', '/api/v2/harvesters/{harvester}/', 'harvesting/api/views.py:49'],
  ['PATCH', '/api/v2/harvesters/{harvester}/', 'harvesting/api/views.py:49'],
  ['DELETE', '/api/v2/harvesters/{harvester}/', 'harvesting/api/views.py:49'],
  ['GET', '/api/v2/harvesters/{harvester}/harvestable-resources/', 'harvesting/api/views.py:70'],
  [
    'PATCH',
    '/api/v2/harvesters/{harvester}/harvestable-resources/',
    'harvesting/api/views.py:70 (UpdateListModelMixin)',
  ],
  ['GET', '/api/v2/harvesting-sessions/', 'harvesting/api/views.py:90'],
  ['GET', '/api/v2/harvesting-sessions/{session}/', 'harvesting/api/views.py:90'],

  // management commands over HTTP (management_commands_http/urls.py:25-30, routers.py:7)
  ['GET', '/api/v2/management/commands/', 'management_commands_http/urls.py:26'],
  ['POST', '/api/v2/management/commands/', 'management_commands_http/urls.py:26'],
  ['GET', '/api/v2/management/commands/{command}/', 'management_commands_http/urls.py:27'],
  ['POST', '/api/v2/management/commands/{command}/', 'management_commands_http/urls.py:27'],
  ['GET', '/api/v2/management/commands/{command}/jobs/', 'management_commands_http/urls.py:28'],
  ['POST', '/api/v2/management/commands/{command}/jobs/', 'management_commands_http/urls.py:28'],
  ['GET', '/api/v2/management/commands/{command}/jobs/{job}/', 'management_commands_http/urls.py:28'],
  ['PATCH', '/api/v2/management/commands/{command}/jobs/{job}/start/', 'management_commands_http/views.py:134'],
  ['PATCH', '/api/v2/management/commands/{command}/jobs/{job}/stop/', 'management_commands_http/views.py:148'],
  ['GET', '/api/v2/management/commands/{command}/jobs/{job}/status/', 'management_commands_http/views.py:156'],
  ['GET', '/api/v2/management/jobs/', 'management_commands_http/urls.py:29'],
  ['POST', '/api/v2/management/jobs/', 'management_commands_http/urls.py:29'],
  ['GET', '/api/v2/management/jobs/{job}/', 'management_commands_http/urls.py:29'],
  ['PATCH', '/api/v2/management/jobs/{job}/start/', 'management_commands_http/views.py:134'],
  ['PATCH', '/api/v2/management/jobs/{job}/stop/', 'management_commands_http/views.py:148'],
  ['GET', '/api/v2/management/jobs/{job}/status/', 'management_commands_http/views.py:156'],

  // facets (facets/urls.py:24-25): plain Django paths without a trailing slash
  ['GET', '/api/v2/facets', 'facets/urls.py:24'],
  ['GET', '/api/v2/facets/{facet}', 'facets/urls.py:25'],

  // assets: AssetViewSet (assets/views.py:46, all DynamicModelViewSet methods), registered assets/urls.py:23
  ['GET', '/api/v2/assets/', 'assets/views.py:63'],
  ['POST', '/api/v2/assets/', 'assets/views.py:46'],
  ['PATCH', '/api/v2/assets/', 'assets/views.py:46'],
  ['DELETE', '/api/v2/assets/', 'assets/views.py:46'],
  ['GET', '/api/v2/assets/{asset}/', 'assets/views.py:46'],
  ['PUT', '/api/v2/assets/{asset}/', 'assets/views.py:46'],
  ['PATCH', '/api/v2/assets/{asset}/', 'assets/views.py:46'],
  ['DELETE', '/api/v2/assets/{asset}/', 'assets/views.py:46'],
  ['GET', '/api/v2/assets/{asset}/download', 'assets/views.py:95-101'],
  ['GET', '/api/v2/assets/{asset}/download/a/file.txt', 'assets/views.py:97 ((?:/(?P<path>.*))?)'],
  ['GET', '/api/v2/assets/{asset}/link', 'assets/views.py:104-110'],
  ['GET', '/api/v2/assets/{asset}/link/a/file.txt', 'assets/views.py:106 ((?:/(?P<path>.*))?)'],
];

/** The six DynamicRouter collections whose list route the seed-era contract wrongly gave a PUT (dynamic-rest routers.py:87-94). */
export const LIST_PUT_REFUSED = ['resources', 'datasets', 'documents', 'maps', 'geoapps', 'groups'] as const;

/**
 * Relation routes GeoNode does not register: single, non-deferred relations and plain fields (dynamic-rest
 * serializers.py:522-535 skips `name in self.fields and not many`), e.g. base/api/serializers.py:576 `owner`,
 * :607 `group`, :632 `category`, :634 `license`; `title` is no relation at all.
 */
export const NOT_RELATION_ROUTES: readonly string[] = [
  '/api/v2/resources/{resource}/title/',
  '/api/v2/resources/{resource}/owner/',
  '/api/v2/resources/{resource}/group/',
  '/api/v2/resources/{resource}/category/',
  '/api/v2/resources/{resource}/license/',
  '/api/v2/datasets/{dataset}/default_style/',
  '/api/v2/datasets/{dataset}/title/',
  '/api/v2/documents/{document}/owner/',
  '/api/v2/maps/{map}/title/',
  '/api/v2/geoapps/{geoapp}/owner/',
];
