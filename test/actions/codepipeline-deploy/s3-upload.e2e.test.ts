/**
 * The S3 source upload through the bundled action and the real SDK: the file
 * is streamed to a local S3 endpoint (AWS_ENDPOINT_URL_S3, path-style on an
 * IP), and the version id S3 answers pins the execution via sourceRevisions.
 */
import { createHash } from 'crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { Server, createServer } from 'http';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { AwsJsonServer, startAwsJsonServer } from '../support/aws-json-server';
import { runBundle } from '../support/run-bundle';

const DIST = join(__dirname, '../../../actions/codepipeline-deploy/dist');
const ID = 's3e2e000-0000-0000-0000-000000000001';

interface Put { readonly method: string; readonly url: string; readonly sha256: string }

/** Answers PUT /<bucket>/<key> with a version id (or none, like an unversioned bucket), keeping what it received. */
async function startS3(versionId: string | undefined): Promise<{ url: string; puts: Put[]; server: Server }> {
  const puts: Put[] = [];
  const server = createServer((req, res) => {
    const hash = createHash('sha256');
    let raw = Buffer.alloc(0);
    req.on('data', (chunk: Buffer) => { raw = Buffer.concat([raw, chunk]); });
    req.on('end', () => {
      // aws-chunked bodies carry the payload between chunk headers; a plain body is the payload itself.
      const body = req.headers['content-encoding']?.includes('aws-chunked') ? decodeAwsChunked(raw) : raw;
      hash.update(body);
      puts.push({ method: req.method ?? '', url: req.url ?? '', sha256: hash.digest('hex') });
      res.writeHead(200, versionId ? { 'x-amz-version-id': versionId, 'etag': '"e"' } : { etag: '"e"' });
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, puts, server };
}

function decodeAwsChunked(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', at);
    const size = parseInt(raw.subarray(at, eol).toString().split(';')[0], 16);
    if (!size) return Buffer.concat(parts);
    parts.push(raw.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

describe('codepipeline-deploy bundle: S3 source upload', () => {
  let dir: string;
  let pipeline: AwsJsonServer;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-s3-e2e-'));
    pipeline = await startAwsJsonServer({
      GetPipeline: () => ({
        pipeline: {
          name: 'p',
          stages: [{
            name: 'Source',
            actions: [{
              name: 'Assembly',
              actionTypeId: { category: 'Source', owner: 'AWS', provider: 'S3', version: '1' },
              configuration: { S3Bucket: 'artifacts', S3ObjectKey: 'svc/cloud-assembly.zip' },
            }],
          }],
        },
      }),
      StartPipelineExecution: () => ({ pipelineExecutionId: ID }),
    });
  });
  afterEach(async () => {
    await pipeline.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('streams the file, then starts the execution pinned to the version S3 returned', async () => {
    const file = join(dir, 'cloud-assembly.zip');
    const content = Buffer.from('PK fake zip '.repeat(50_000));
    writeFileSync(file, content);
    const s3 = await startS3('3sL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY');
    try {
      const run = await runBundle(join(DIST, 'index.js'), {
        inputs: { 'pipeline-name': 'p', 'source-file': file, 'source-bucket': 'artifacts', 'source-key': 'svc/cloud-assembly.zip', 'wait': 'false' },
        env: { AWS_ENDPOINT_URL_CODEPIPELINE: pipeline.url, AWS_ENDPOINT_URL_S3: s3.url },
      });
      expect(run.stdout).not.toContain('::error::');
      expect(run.code).toBe(0);
      expect(s3.puts).toHaveLength(1);
      expect(s3.puts[0]).toMatchObject({ method: 'PUT', url: '/artifacts/svc/cloud-assembly.zip?x-id=PutObject' });
      expect(s3.puts[0].sha256).toBe(createHash('sha256').update(content).digest('hex'));
      expect(pipeline.calls.map((c) => c.operation)).toEqual(['GetPipeline', 'StartPipelineExecution']);
      expect(pipeline.calls[1].body.sourceRevisions).toEqual([{ actionName: 'Assembly', revisionType: 'S3_OBJECT_VERSION_ID', revisionValue: '3sL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY' }]);
    } finally {
      s3.server.closeAllConnections();
      s3.server.close();
    }
  });

  test('an unversioned bucket fails before the pipeline starts', async () => {
    const file = join(dir, 'cloud-assembly.zip');
    writeFileSync(file, 'x');
    const s3 = await startS3(undefined);
    try {
      const run = await runBundle(join(DIST, 'index.js'), {
        inputs: { 'pipeline-name': 'p', 'source-file': file, 'source-bucket': 'artifacts', 'source-key': 'svc/cloud-assembly.zip' },
        env: { AWS_ENDPOINT_URL_CODEPIPELINE: pipeline.url, AWS_ENDPOINT_URL_S3: s3.url },
      });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('::error::s3://artifacts/svc/cloud-assembly.zip was uploaded but S3 returned no version id: the bucket is not versioned.');
      expect(pipeline.calls).toEqual([]);
    } finally {
      s3.server.closeAllConnections();
      s3.server.close();
    }
  });
});
