/** Console links, partition-aware (aws, aws-cn, aws-us-gov). */

function consoleHost(region: string): string {
  if (region.startsWith('cn-')) return `${region}.console.amazonaws.cn`;
  if (region.startsWith('us-gov-')) return `${region}.console.amazonaws-us-gov.com`;
  return `${region}.console.aws.amazon.com`;
}

/** The execution's timeline in the CodePipeline console. */
export function executionUrl(region: string, pipelineName: string, executionId: string): string {
  const name = encodeURIComponent(pipelineName);
  const id = encodeURIComponent(executionId);
  return `https://${consoleHost(region)}/codesuite/codepipeline/pipelines/${name}/executions/${id}/timeline?region=${encodeURIComponent(region)}`;
}
