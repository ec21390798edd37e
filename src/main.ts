/**
 * The CDK app entry. It reads the spec file `npx projen` generated and never
 * imports projen; bad or stale spec files stop here with a clear message.
 * Every stage's stacks go into one cloud assembly: the build synthesizes once
 * and each stage deploys its own stacks from that same assembly.
 * The app runs AWS's Control Tower rules (cfn-guard) over every template at
 * synth: an unacknowledged finding fails the synth.
 */
import { buildEstate } from './infra/app';
import { serviceApp } from './infra/policy-validation';
import { readSpecFile } from './spec';

const app = serviceApp();
buildEstate(app, readSpecFile());
app.synth();
