export * from './pinned-actions';
export * from './job-hooks';
export * from './job-graph';
export * from './pipeline-workflow';
export * from './pull-request-workflow';
export * from './platform-workflow';
export * from './slipway-workflows';
export { imageBuildArgs } from './image-job';
export { pipelineSourceKey } from './deploy-job';
