/**
 * The custom resource side of CloudFormation's protocol: read the request,
 * and answer exactly once by PUTting a JSON document to the pre-signed
 * ResponseURL (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html).
 * Without an answer the stack waits an hour, so every failure is answered too.
 */
export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Readonly<Record<string, unknown>>;
}

export interface CustomResourceResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
}

export function readCustomResourceEvent(event: unknown): CustomResourceEvent {
  const e = event as Partial<CustomResourceEvent> | null;
  for (const key of ['RequestType', 'ResponseURL', 'StackId', 'RequestId', 'LogicalResourceId'] as const) {
    if (typeof e?.[key] !== 'string') throw new Error(`not a CloudFormation custom resource request: no string '${key}'`);
  }
  if (!['Create', 'Update', 'Delete'].includes(e!.RequestType!)) throw new Error(`unknown RequestType '${e!.RequestType}'`);
  return { ...(e as CustomResourceEvent), ResourceProperties: e!.ResourceProperties ?? {} };
}

/** Pure: the response document; Reason is capped well inside CloudFormation's 4 KiB response limit. */
export function customResourceResponse(event: CustomResourceEvent, status: 'SUCCESS' | 'FAILED', reason: string, physicalId: string): CustomResourceResponse {
  return {
    Status: status,
    Reason: reason.slice(0, 1000),
    PhysicalResourceId: physicalId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
}
