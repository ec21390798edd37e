import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { LogLevel } from 'projen';
import { SlipwayProject } from '../../src/projen';
import { cdkV1WarningPackages, isFalseCdkV1Warning } from '../../src/projen/cdk-v1-warning';
import { seedOptions } from '../spec/fixtures';

/** projen's message, as lib/awscdk/awscdk-deps.js words it. */
const projenWarning = (names: string[]): string =>
  `WARNING: Found CDK v1 deps in your project, even though your "cdkVersion" is 2.x: [${names.join(', ')}]. ` +
  'Check out https://docs.aws.amazon.com/cdk/v2/guide/migrating-v2.html for more information about using CDK v2 dependencies.';

describe("projen's false 'Found CDK v1 deps' warning", () => {
  const manifests: Record<string, object> = {
    '@aws-cdk/lambda-layer-kubectl-v35': { peerDependencies: { 'aws-cdk-lib': '^2.224.0', 'constructs': '^10.0.5' } },
    '@aws-cdk/aws-s3': { dependencies: { '@aws-cdk/core': '1.204.0' } },
  };
  const read = (name: string) => manifests[name];

  test('reads the package list from the warning', () => {
    expect(cdkV1WarningPackages(projenWarning(['@aws-cdk/a', '@aws-cdk/b']))).toEqual(['@aws-cdk/a', '@aws-cdk/b']);
    expect(cdkV1WarningPackages('some other warning')).toBeUndefined();
  });

  test('is false when every package named depends on aws-cdk-lib', () => {
    expect(isFalseCdkV1Warning(projenWarning(['@aws-cdk/lambda-layer-kubectl-v35']), read)).toBe(true);
  });

  test('stays when a real CDK v1 package is among them, or a package is not installed', () => {
    expect(isFalseCdkV1Warning(projenWarning(['@aws-cdk/lambda-layer-kubectl-v35', '@aws-cdk/aws-s3']), read)).toBe(false);
    expect(isFalseCdkV1Warning(projenWarning(['@aws-cdk/not-installed']), read)).toBe(false);
  });

  test('the Slipway project with both kubectl layers synthesizes without it, and other warnings still print', () => {
    const project = new SlipwayProject({ service: seedOptions(), outdir: mkdtempSync(join(tmpdir(), 'slipway-v1-')) });
    const log = jest.spyOn(project.logger, 'log').mockImplementation(() => undefined);
    project.cdkDeps.preSynthesize();
    expect(log.mock.calls.filter(([, ...text]) => text.join(' ').includes('Found CDK v1 deps'))).toEqual([]);
    project.logger.warn('an unrelated warning');
    expect(log).toHaveBeenCalledWith(LogLevel.WARN, 'an unrelated warning');
  });
});
