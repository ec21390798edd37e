/**
 * How Slipway keeps state when a stack lets go of it. RETAIN_ON_UPDATE_OR_DELETE is
 * CloudFormation's `RetainExceptOnCreate`: kept on update and delete like `Retain`, but
 * deleted when the stack's first create fails and rolls back, so a retry does not
 * collide with a retained half-created leftover (a fixed-name table, bucket or log group).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html
 */
import { RemovalPolicy } from 'aws-cdk-lib';

export const RETAINED = RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;
