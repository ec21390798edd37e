/**
 * `sonar-project.properties`, generated from the spec: what the scanner
 * analyses (sources, tests, exclusions), where jest's lcov coverage is, and
 * which Sonar project and organization the analysis belongs to. Written only
 * when the Sonar stage is on.
 */
import type { IConstruct } from 'constructs';
import { Component, FileBase, IResolver, awscdk } from 'projen';
import type { EstateSpec } from '../spec';
import { imageContext } from './test-split';

export const SONAR_PROPERTIES_FILE = 'sonar-project.properties';

/** Where the code lives, relative to the repository root. */
export interface SonarLayout {
  /** jest's coverage directory; its lcov.info is the coverage report. @default 'coverage' */
  readonly coverageDirectory?: string;
}

/** Hosts that are SonarCloud, where sonar.organization is required (SonarQube Server has no organizations). */
const SONARCLOUD_HOSTS = ['sonarcloud.io', 'sonarqube.us'];

export function isSonarCloud(hostUrl: string): boolean {
  const host = new URL(hostUrl).hostname;
  return SONARCLOUD_HOSTS.some((h) => host === h || host.endsWith(`.${h}`));
}

/** The properties in file order, as [key, value] pairs: pure, so tests check values, not text. */
export function sonarProperties(estate: EstateSpec, layout: SonarLayout = {}): [string, string][] {
  const sonar = estate.pipeline.sonar;
  const context = imageContext(estate);
  const coverage = layout.coverageDirectory ?? 'coverage';
  // The service's code (its image context), the platform code and our actions; tests apart, so they are not counted as code.
  const sources = [context, 'src', 'actions'];
  return [
    ['sonar.projectKey', sonar.projectKey],
    ['sonar.projectName', estate.serviceName],
    ...(isSonarCloud(sonar.hostUrl) ? [['sonar.organization', sonar.organization] as [string, string]] : []),
    ['sonar.sourceEncoding', 'UTF-8'],
    ['sonar.sources', sources.join(',')],
    ['sonar.tests', 'test'],
    // Bundles are generated from actions/*/src; cdk.out and coverage are build output; the service's own tests are not code.
    ['sonar.exclusions', [
      '**/node_modules/**', 'actions/*/dist/**', 'cdk.out/**', `${coverage}/**`, '**/*.d.ts',
      `${context}/tests/**`, `${context}/**/test_*.py`,
    ].join(',')],
    ['sonar.javascript.lcov.reportPaths', `${coverage}/lcov.info`],
    // jest covers the TypeScript only; the service's Python would otherwise read as 0% covered.
    ['sonar.coverage.exclusions', [`${context}/**`].join(',')],
  ];
}

/** Escape a .properties value: backslashes, line breaks, and a leading space that would otherwise be dropped. */
export function escapePropertyValue(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/^ /, '\\ ');
}

class PropertiesFile extends FileBase {
  constructor(scope: IConstruct, path: string, private readonly entries: () => [string, string][]) {
    super(scope, path, { readonly: true, marker: true });
  }

  protected synthesizeContent(_: IResolver): string {
    const lines = [...(this.marker ? [`# ${this.marker}`] : []), ...this.entries().map(([k, v]) => `${k}=${escapePropertyValue(v)}`)];
    return `${lines.join('\n')}\n`;
  }
}

/** Registers sonar-project.properties when the spec turns the Sonar stage on. */
export class SonarProperties extends Component {
  constructor(project: awscdk.AwsCdkTypeScriptApp, estate: EstateSpec) {
    super(project);
    if (!estate.pipeline.stages.sonar) return;
    const coverageDirectory = (project.jest?.config as { coverageDirectory?: string } | undefined)?.coverageDirectory;
    new PropertiesFile(project, SONAR_PROPERTIES_FILE, () => sonarProperties(estate, { coverageDirectory }));
  }
}
