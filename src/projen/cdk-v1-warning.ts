/**
 * projen warns "Found CDK v1 deps" for every `@aws-cdk/*` package that is not
 * an `-alpha` or on its short list (projen lib/awscdk/awscdk-deps.js,
 * cdkVersionOfPackage). The kubectl layer packages are published for CDK v2
 * (peer dependency aws-cdk-lib ^2) under that scope, so the warning is false
 * for them (aws/aws-cdk#28628, cdklabs/awscdk-asset-kubectl#1273). This drops
 * the warning only when every package it names declares aws-cdk-lib; a real
 * v1 package keeps it.
 */
import { readFileSync } from 'fs';
import { Project } from 'projen';

const V1_WARNING = /^WARNING: Found CDK v1 deps in your project, even though your "cdkVersion" is 2\.x: \[([^\]]*)\]/;

interface Manifest {
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
}

/** The packages named by projen's "Found CDK v1 deps" warning, or undefined for any other message. */
export function cdkV1WarningPackages(message: string): string[] | undefined {
  const match = V1_WARNING.exec(message);
  return match ? match[1].split(',').map((name) => name.trim()).filter((name) => name.length > 0) : undefined;
}

/** A package built for CDK v2 depends on aws-cdk-lib (CDK v1 packages depend on @aws-cdk/core instead). */
export function isCdkV2Package(manifest: Manifest | undefined): boolean {
  return manifest !== undefined && ('aws-cdk-lib' in (manifest.peerDependencies ?? {}) || 'aws-cdk-lib' in (manifest.dependencies ?? {}));
}

/** True when the message is projen's v1 warning and every package it names is a CDK v2 package. */
export function isFalseCdkV1Warning(message: string, readManifest: (name: string) => Manifest | undefined): boolean {
  const names = cdkV1WarningPackages(message);
  return names !== undefined && names.length > 0 && names.every((name) => isCdkV2Package(readManifest(name)));
}

/** The installed manifest of a package, resolved from the project (or Slipway's own install); undefined when not installed. */
function installedManifest(project: Project): (name: string) => Manifest | undefined {
  return (name) => {
    try {
      return JSON.parse(readFileSync(require.resolve(`${name}/package.json`, { paths: [project.outdir, __dirname] }), 'utf8')) as Manifest;
    } catch {
      return undefined;
    }
  };
}

/** Filters the false warning out of the project's logger; every other message is logged as before. */
export function dropFalseCdkV1Warning(project: Project, readManifest = installedManifest(project)): void {
  const logger = project.logger;
  const warn = logger.warn.bind(logger);
  logger.warn = (...text: unknown[]): void => {
    if (isFalseCdkV1Warning(text.map(String).join(' '), readManifest)) return;
    warn(...text);
  };
}
