/**
 * The log shipper: (1) how the Lambda is bundled at synth — esbuild's JS
 * API (what the logs stack uses on a cache miss) and the cache check (a
 * synth with unchanged sources) against the esbuild CLI as a child process
 * (what NodejsFunction's local bundling runs each synth), same options;
 * (2) the pure transform's cost over the decode it cannot avoid.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { gzipSync } from 'zlib';
import { BenchSuite, medianMs } from './harness';
import { planBatches } from '../../src/infra/log-shipper/batches';
import { toDocuments } from '../../src/infra/log-shipper/documents';
import { decodePayload } from '../../src/infra/log-shipper/payload';
import { LOG_SHIPPER_BUILD, buildLogShipperBundle, logShipperInputHash } from '../../src/infra/logging/shipper-bundle';

const ESBUILD = resolve(__dirname, '..', '..', 'node_modules', '.bin', 'esbuild');

function cliBundle(outDir: string): void {
  execFileSync(
    ESBUILD,
    [
      ...LOG_SHIPPER_BUILD.entryPoints,
      '--bundle',
      `--platform=${LOG_SHIPPER_BUILD.platform}`,
      `--target=${LOG_SHIPPER_BUILD.target}`,
      `--format=${LOG_SHIPPER_BUILD.format}`,
      '--minify',
      `--legal-comments=${LOG_SHIPPER_BUILD.legalComments}`,
      `--outfile=${join(outDir, 'index.js')}`,
      '--log-level=warning',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

/** A realistic subscription payload: 10,000 access-log lines, half of them JSON. */
function payload(events: number): string {
  const logEvents = Array.from({ length: events }, (_, i) => ({
    id: String(37000000000000000000000000000000000000000000000000000000n + BigInt(i)),
    timestamp: Date.UTC(2026, 10, 25, 13, 0, 0) + i,
    message: i % 2 === 0 ? JSON.stringify({ level: 'info', path: `/items/${i}`, status: 200, ms: i % 97 }) : `10.0.2.${i % 250} - - "GET /health HTTP/1.1" 200 2 "-" "ELB-HealthChecker/2.0"`,
  }));
  const json = JSON.stringify({ messageType: 'DATA_MESSAGE', owner: '123456789012', logGroup: '/slipway/flask-app/app', logStream: 's', subscriptionFilters: ['f'], logEvents });
  return gzipSync(json).toString('base64');
}

export const suite: BenchSuite = {
  name: 'log-shipper',
  async run() {
    const out = mkdtempSync(join(tmpdir(), 'slipway-shipper-bench-'));
    try {
      const runs = Number(process.env.BENCH_RUNS ?? 5);
      const inProcess = await medianMs(() => void buildLogShipperBundle(), runs);
      const cacheHit = await medianMs(() => void logShipperInputHash(), runs);
      const child = await medianMs(() => cliBundle(out), runs);

      const data = payload(10_000);
      const decodeOnly = await medianMs(() => void decodePayload(data), runs);
      const transform = await medianMs(() => {
        const docs = toDocuments(decodePayload(data), 'flask-app');
        planBatches(docs, 5 * 1024 * 1024);
      }, runs);
      return [
        {
          name: 'log shipper at synth after a source change (esbuild JS API, cache miss)',
          baseline: 'esbuild CLI child process, same options (NodejsFunction local bundling)',
          baselineValue: child,
          value: inProcess,
          unit: 'ms',
        },
        {
          name: 'log shipper at synth with unchanged sources (input hash, cached bundle reused)',
          baseline: 'esbuild CLI child process, same options (NodejsFunction local bundling)',
          baselineValue: child,
          value: cacheHit,
          unit: 'ms',
          goal: 0.1,
        },
        {
          name: 'decode + documents + batches + _bulk bodies for 10,000 events',
          baseline: 'gunzip + JSON.parse of the same payload alone',
          baselineValue: decodeOnly,
          value: transform,
          unit: 'ms',
        },
      ];
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
};
