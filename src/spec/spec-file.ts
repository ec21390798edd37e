/**
 * The generated spec file: `npx projen` writes the normalised spec here and
 * the CDK app, the host driver and the summary read it. Parsing is pure;
 * reading the file is the only I/O in this module.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { EstateSpec, SPEC_SCHEMA_VERSION } from './spec';

/** Relative to the repository root. */
export const SPEC_FILE = '.slipway/spec.json';

export function parseSpecFile(text: string, source = SPEC_FILE): EstateSpec {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source} is not valid JSON (${(e as Error).message}); run 'npx projen' to regenerate it`);
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== SPEC_SCHEMA_VERSION) {
    throw new Error(`${source} has schemaVersion ${JSON.stringify(version)}, expected ${SPEC_SCHEMA_VERSION}; run 'npx projen' to regenerate it`);
  }
  return data as EstateSpec;
}

export function readSpecFile(rootDir: string = process.cwd()): EstateSpec {
  const path = join(rootDir, SPEC_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`cannot read the service spec at ${path}; run 'npx projen' first to generate it from .projenrc.ts`);
  }
  return parseSpecFile(text, path);
}
