/**
 * The scan actions' own costs, each against a baseline in the same run:
 * - a Veracode pipeline scan's upload path (SHA-256, HMAC signing, multipart
 *   segments, start, status, findings) against one plain PUT of the same
 *   bytes to the same local server. The scan path includes two SHA-256
 *   passes the baseline has not: the client's binary_hash (the API requires
 *   it) and the local server's check of it;
 * - packaging this repository's sources with fflate against Info-ZIP `zip`
 *   over the same file list.
 */
import { execFileSync } from 'child_process';
import { randomBytes } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { BenchFigure, BenchSuite, medianMs } from './harness';
import { nodeHttpSend } from '../../actions/shared/http';
import { RequestSigner } from '../../actions/veracode-scan/src/hmac';
import { listPackagedFiles, packageSourceDirectory } from '../../actions/veracode-scan/src/package-source';
import { PipelineScanApi } from '../../actions/veracode-scan/src/pipeline-scan-api';
import { runPipelineScan } from '../../actions/veracode-scan/src/scan';
import { PipelineScanServer, TEST_API_ID, TEST_API_KEY } from '../actions/veracode-scan/pipeline-scan-server';
import { hasCommand } from '../support/real-tools';

/** Medians over 7 runs: the machine is shared, and 3 runs let one busy moment decide a figure. */
const RUNS = 7;
const UPLOAD_BYTES = 16 * 1024 * 1024;
const SEGMENT_BYTES = 2 * 1024 * 1024;

async function uploadFigure(): Promise<BenchFigure> {
  const server = await new PipelineScanServer({ segmentSize: SEGMENT_BYTES, statuses: ['SUCCESS'] }).start();
  try {
    const bytes = randomBytes(UPLOAD_BYTES);
    const send = nodeHttpSend();
    const api = new PipelineScanApi(server.baseUrl, send, new RequestSigner({ id: TEST_API_ID, key: TEST_API_KEY }));
    const baseline = await medianMs(async () => {
      await send({ method: 'PUT', url: new URL(`${server.baseUrl}/raw`), body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    }, RUNS);
    const value = await medianMs(async () => {
      server.scans.clear();
      await runPipelineScan({ api, log: () => undefined }, { bytes, binaryName: 'bench.zip', timeoutMs: 60_000, pollIntervalMs: 1_000 });
    }, RUNS);
    return {
      name: `veracode scan upload path (${UPLOAD_BYTES / SEGMENT_BYTES} signed multipart segments + start/status/findings)`,
      baseline: 'one plain PUT of the same 16 MiB to the same server',
      baselineValue: baseline,
      value,
      unit: 'ms',
      goal: 2,
    };
  } finally {
    await server.stop();
  }
}

async function packagingFigure(): Promise<BenchFigure | undefined> {
  if (!hasCommand('zip')) return undefined;
  const root = resolve(__dirname, '../..');
  const files = listPackagedFiles(root);
  const out = mkdtempSync(join(tmpdir(), 'bench-zip-'));
  try {
    const baseline = await medianMs(() => {
      rmSync(join(out, 'a.zip'), { force: true });
      execFileSync('zip', ['-q', '-6', '-X', join(out, 'a.zip'), '-@'], { cwd: root, input: files.join('\n') });
    }, RUNS);
    const value = await medianMs(() => void packageSourceDirectory(root), RUNS);
    return {
      name: `package this repository's sources (${files.length} files, walk + fflate)`,
      baseline: 'Info-ZIP zip -6 over the same file list',
      baselineValue: baseline,
      value,
      unit: 'ms',
      goal: 1.5,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export const suite: BenchSuite = {
  name: 'scans',
  run: async () => {
    const figures: BenchFigure[] = [await uploadFigure()];
    const packaging = await packagingFigure();
    if (packaging) figures.push(packaging);
    return figures;
  },
};
