/**
 * The synth bench's one-stage entry: the CDK app of src/main.ts over the first stage of this repository's
 * spec alone, so the bench can set the cost of each added stage against the first stage's synth.
 */
import { buildEstate } from '../../src/infra/app';
import { serviceApp } from '../../src/infra/policy-validation';
import { readSpecFile } from '../../src/spec';

const estate = readSpecFile();
const app = serviceApp();
buildEstate(app, { ...estate, stages: estate.stages.slice(0, 1) });
app.synth();
