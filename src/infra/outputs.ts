/**
 * Stack outputs other parts read (the summary, the host driver, the
 * pipeline). The export name is the stack name from spec.names.stacks plus
 * the output id, so it stays the same for as long as the spec does.
 */
import { CfnOutput, Stack } from 'aws-cdk-lib';

/** `id` must be stable and alphanumeric: it is both the logical id and the export suffix. */
export function stableOutput(stack: Stack, id: string, value: string, description: string): CfnOutput {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(id)) {
    throw new Error(`output id '${id}' must be alphanumeric and start with a letter (it becomes a CloudFormation logical id); e.g. 'VpcId'`);
  }
  return new CfnOutput(stack, id, { value, description, exportName: exportNameOf(stack.stackName, id) });
}

export function exportNameOf(stackName: string, id: string): string {
  return `${stackName}-${id}`;
}

/** 'public-subnet-a' → 'PublicSubnetA': a stable logical id from a spec name. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}
