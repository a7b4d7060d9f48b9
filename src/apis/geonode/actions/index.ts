/**
 * GeoNode's action behaviours (the `@action`s of `geonode/base/api/views.py:380-1358` (4.4.3) and their kin), by the
 * names the contract's `x-geostub-behaviour` uses.
 */
import type { Behaviour } from '../../../core/types.js';
import { executionStart, executionStatus } from './execution.js';
import { upload } from './upload.js';
import { harvestableResources } from './harvesting.js';
import {
  managementCommand,
  managementCommands,
  managementJob,
  managementJobCreate,
  managementJobs,
  managementJobStart,
  managementJobStatus,
  managementJobStop,
} from './management.js';
import { extraMetadata, linkedResources } from '../metadata/extra-and-links.js';
import { permissions } from '../permissions/actions.js';
import { facetDetail, facetList } from '../facets/endpoints.js';
import { assetFile, assetList } from '../assets/actions.js';
import { removeFromGroupManager, transferResources } from '../people/actions.js';
import { datasetMetadataUpload } from '../metadata/iso-upload.js';
import { deleteThumbnail, favorite, ratings, setThumbnail, setThumbnailFromBbox } from './resource.js';
import { resourceAssetAdd, resourceAssetDelete } from '../assets/resource-assets.js';
import { isoMetadata } from '../metadata/iso-xml.js';
import { metadataAutocomplete } from '../metadata/autocomplete.js';
import { metadataInstanceAnswer, metadataRoot, metadataSchemaAnswer } from '../metadata/instance.js';
import { timeseries } from '../metadata/timeseries.js';
import { userInfo } from '../people/userinfo.js';

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

export { advanceExecution, settleExecution, EXECUTION_JOB } from '../lifecycles/executions.js';
export { advanceJob, startJob, MANAGEMENT_JOB } from './management.js';
export { MANAGEMENT_COMMANDS } from './management-commands.js';
export { harvesterPatchRules, regenerateHarvestableResources, type HarvesterWork } from './harvesting.js';
export { advanceHarvester, HARVESTER_JOB, startHarvesterWork } from '../lifecycles/harvesters.js';
export { linkedResourcesPayload } from '../metadata/extra-and-links.js';
