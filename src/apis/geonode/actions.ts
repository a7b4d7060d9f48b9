/**
 * GeoNode's action behaviours (the `@action`s of `geonode/base/api/views.py:380-1358` (4.4.3) and their kin), by the
 * names the contract's `x-geostub-behaviour` uses.
 */
import type { Behaviour } from '../../behaviours/types.js';
import { executionStart, executionStatus } from './actions-execution.js';
import { upload } from './actions-upload.js';
import { harvestableResources } from './actions-harvesting.js';
import {
  managementCommand,
  managementCommands,
  managementJob,
  managementJobCreate,
  managementJobs,
  managementJobStart,
  managementJobStatus,
  managementJobStop,
} from './actions-management.js';
import { extraMetadata, linkedResources } from './actions-metadata.js';
import { permissions } from './actions-permissions.js';
import { facetDetail, facetList } from './actions-facets.js';
import { assetFile, assetList } from './actions-assets.js';
import { removeFromGroupManager, transferResources } from './actions-people.js';
import { datasetMetadataUpload } from './actions-iso-metadata.js';
import { deleteThumbnail, favorite, ratings, setThumbnail, setThumbnailFromBbox } from './actions-resource.js';
import { resourceAssetAdd, resourceAssetDelete } from './actions-resource-assets.js';
import { isoMetadata } from './iso-metadata.js';
import { metadataAutocomplete } from './metadata-autocomplete.js';
import { metadataInstanceAnswer, metadataRoot, metadataSchemaAnswer } from './metadata-instance.js';
import { timeseries } from './timeseries.js';
import { userInfo } from './userinfo.js';

export const ACTION_BEHAVIOURS: Record<string, Behaviour> = {
  executionStart,
  executionStatus,
  permissions,
  favorite,
  ratings,
  setThumbnail,
  setThumbnailFromBbox,
  extraMetadata,
  linkedResources,
  upload,
  managementCommands,
  managementCommand,
  managementJobCreate,
  managementJobs,
  managementJob,
  managementJobStart,
  managementJobStop,
  managementJobStatus,
  harvestableResources,
  facetList,
  facetDetail,
  assetList,
  assetFile,
  transferResources,
  removeFromGroupManager,
  datasetMetadataUpload,
  deleteThumbnail,
  resourceAssetAdd,
  resourceAssetDelete,
  isoMetadata,
  timeseries,
  userInfo,
  metadataRoot,
  metadataSchema: metadataSchemaAnswer,
  metadataInstance: metadataInstanceAnswer,
  metadataAutocomplete,
};

export { advanceExecution, settleExecution, EXECUTION_JOB } from './actions-lifecycle.js';
export { advanceJob, startJob, MANAGEMENT_COMMANDS, MANAGEMENT_JOB } from './actions-management.js';
export { harvesterPatchRules, regenerateHarvestableResources, type HarvesterWork } from './actions-harvesting.js';
export { advanceHarvester, HARVESTER_JOB, startHarvesterWork } from './lifecycle-harvesters.js';
export { linkedResourcesPayload } from './actions-metadata.js';
