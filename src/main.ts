/**
 * The CDK app entry. It reads the spec file `npx projen` generated and never
 * imports projen; bad or stale spec files stop here with a clear message.
 */
import { App } from 'aws-cdk-lib';
import { buildApp } from './infra/app';
import { readSpecFile } from './spec';

const app = new App();
buildApp(app, readSpecFile());
app.synth();
