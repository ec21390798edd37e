/**
 * Bundles the log shipper with esbuild's JS API at synth time: no Docker,
 * no CLI process per synth. The bundle is cached in the temp directory under
 * a hash of everything that shapes it (the shipper's sources, the lockfile,
 * the build options), so a synth with unchanged sources skips esbuild.
 */
import { createHash } from 'crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
// The CDK app runs only where devDependencies are installed (the repo and CI), never in a deployed service.
// eslint-disable-next-line import/no-extraneous-dependencies
import { buildSync } from 'esbuild';

export const LOG_SHIPPER_ENTRY = join(__dirname, '..', 'log-shipper', 'handler.ts');
/** The Lambda handler string for the bundle below. */
export const LOG_SHIPPER_HANDLER = 'index.handler';
/** The domain setup custom resource's handler in the same bundle. */
export const LOG_SHIPPER_SETUP_HANDLER = 'index.setup';

let cached: string | undefined;

/** Esbuild options for the shipper; the bench builds with the same ones through the CLI. */
export const LOG_SHIPPER_BUILD = {
  entryPoints: [LOG_SHIPPER_ENTRY],
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
} as const;

const SOURCE_DIR = join(__dirname, '..', 'log-shipper');
const LOCKFILE = join(__dirname, '..', '..', '..', 'package-lock.json');

/** A hash of the bundle's inputs: shipper sources, resolved dependency versions, build options. */
export function logShipperInputHash(): string {
  const hash = createHash('sha256').update(JSON.stringify(LOG_SHIPPER_BUILD));
  for (const file of readdirSync(SOURCE_DIR).filter((f) => f.endsWith('.ts')).sort()) {
    hash.update(file).update(readFileSync(join(SOURCE_DIR, file)));
  }
  if (existsSync(LOCKFILE)) hash.update(readFileSync(LOCKFILE));
  return hash.digest('hex').slice(0, 20);
}

/** Bundles the shipper now (no cache); returns the bundled code. */
export function buildLogShipperBundle(): Uint8Array {
  const result = buildSync({ ...LOG_SHIPPER_BUILD, entryPoints: [...LOG_SHIPPER_BUILD.entryPoints], write: false, outfile: 'index.js', logLevel: 'silent' });
  if (result.errors.length > 0 || result.outputFiles.length !== 1) {
    throw new Error(`bundling ${LOG_SHIPPER_ENTRY} failed: ${result.errors.map((e) => e.text).join('; ') || 'unexpected output files'}`);
  }
  return result.outputFiles[0].contents;
}

/** The directory holding `index.js`: reused when the inputs are unchanged, built otherwise. */
export function logShipperBundleDir(): string {
  if (cached && existsSync(join(cached, 'index.js'))) return cached;
  const dir = join(tmpdir(), `slipway-log-shipper-${logShipperInputHash()}`);
  const file = join(dir, 'index.js');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    // Written then renamed, so a concurrent synth never sees half a bundle.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, buildLogShipperBundle());
    renameSync(partial, file);
  }
  cached = dir;
  return dir;
}
