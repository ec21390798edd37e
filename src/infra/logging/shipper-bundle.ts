/**
 * Bundles the log shipper with esbuild's in-process API at synth time: no
 * Docker, no child process, a few milliseconds. The output lands in a
 * directory named after its own hash, so repeated synths reuse it and the
 * asset hash changes only when the code does.
 */
import { createHash } from 'crypto';
import { existsSync, mkdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
// The CDK app runs only where devDependencies are installed (the repo and CI), never in a deployed service.
// eslint-disable-next-line import/no-extraneous-dependencies
import { buildSync } from 'esbuild';

export const LOG_SHIPPER_ENTRY = join(__dirname, '..', 'log-shipper', 'handler.ts');
/** The Lambda handler string for the bundle below. */
export const LOG_SHIPPER_HANDLER = 'index.handler';

let cached: string | undefined;

/** Returns a directory holding `index.js`, the bundled shipper. */
export function logShipperBundleDir(): string {
  if (cached && existsSync(join(cached, 'index.js'))) return cached;
  const result = buildSync({
    entryPoints: [LOG_SHIPPER_ENTRY],
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    write: false,
    outfile: 'index.js',
    logLevel: 'silent',
  });
  if (result.errors.length > 0 || result.outputFiles.length !== 1) {
    throw new Error(`bundling ${LOG_SHIPPER_ENTRY} failed: ${result.errors.map((e) => e.text).join('; ') || 'unexpected output files'}`);
  }
  const code = result.outputFiles[0].contents;
  const dir = join(tmpdir(), `slipway-log-shipper-${createHash('sha256').update(code).digest('hex').slice(0, 16)}`);
  if (!existsSync(join(dir, 'index.js'))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'index.js'), code);
  }
  cached = dir;
  return dir;
}
