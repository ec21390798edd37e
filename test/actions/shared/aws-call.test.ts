import { awsCall, awsCallError, regionFromEnvironment } from '../../../actions/shared/aws-call';
import { ActionError } from '../../../actions/shared/errors';

describe('awsCall', () => {
  test('network failures say which operation could not reach AWS and what to check', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    await expect(awsCall('ECR GetAuthorizationToken', () => Promise.reject(refused))).rejects.toThrow(
      "ECR GetAuthorizationToken could not reach AWS: connect ECONNREFUSED 127.0.0.1:9. Check AWS_REGION, any AWS_ENDPOINT_URL* variables and the runner's network.",
    );
  });

  test('service errors keep their name and HTTP status', () => {
    const denied = Object.assign(new Error('no'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    const e = awsCallError('CodePipeline GetPipeline', denied);
    expect(e).toBeInstanceOf(ActionError);
    expect((e as Error).message).toBe('CodePipeline GetPipeline failed: AccessDeniedException: no (HTTP 400)');
  });

  test('throttling and ActionErrors pass through untouched; results pass through', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    expect(awsCallError('x', throttled)).toBe(throttled);
    const mine = new ActionError('mine');
    expect(awsCallError('x', mine)).toBe(mine);
    await expect(awsCall('x', async () => 42)).resolves.toBe(42);
  });

  test('the region comes from AWS_REGION, then AWS_DEFAULT_REGION; none is an error saying what to set', () => {
    expect(regionFromEnvironment({ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-east-1' })).toBe('eu-west-1');
    expect(regionFromEnvironment({ AWS_DEFAULT_REGION: 'us-east-1' })).toBe('us-east-1');
    expect(() => regionFromEnvironment({})).toThrow('no AWS region: set AWS_REGION');
  });
});
