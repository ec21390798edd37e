/**
 * The optional S3 source: upload the file, then find the pipeline's S3 source
 * action(s) reading that object, so the execution is pinned to the exact
 * object version just uploaded (sourceRevisions, S3_OBJECT_VERSION_ID).
 */
import { closeSync, createReadStream, fstatSync, openSync } from 'fs';
import { PipelineDeclaration, SourceRevisionOverride } from '@aws-sdk/client-codepipeline';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SourceUpload } from './inputs';
import { ActionError } from '../../shared';

/** Opens the source file up front, so a wrong path fails with the input named and before any call. */
export function openSourceFile(file: string): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new ActionError(`input 'source-file' names '${file}', which cannot be read: ${(e as Error).message}`);
  }
  const stat = fstatSync(fd);
  if (!stat.isFile()) {
    closeSync(fd);
    throw new ActionError(`input 'source-file' must be a file; '${file}' is not one.`);
  }
  return { fd, size: stat.size };
}

/** Uploads the source file and returns the new object version; an unversioned bucket is an error. */
export async function uploadSource(s3: S3Client, source: SourceUpload): Promise<string> {
  const { fd, size } = openSourceFile(source.file);
  // Streamed, not read into memory: source bundles may be large. Destroying closes the fd either way.
  const body = createReadStream('', { fd, autoClose: true });
  let versionId: string | undefined;
  try {
    const put = await s3.send(new PutObjectCommand({ Bucket: source.bucket, Key: source.key, Body: body, ContentLength: size }));
    versionId = put.VersionId;
  } finally {
    body.destroy();
  }
  if (!versionId || versionId === 'null') {
    throw new ActionError(
      `s3://${source.bucket}/${source.key} was uploaded but S3 returned no version id: the bucket is not versioned. CodePipeline S3 sources need versioning; enable it on '${source.bucket}'.`,
    );
  }
  return versionId;
}

/** sourceRevisions pinning every S3 source action that reads bucket/key; none is an error naming what exists. */
export function sourceRevisionsFor(pipeline: PipelineDeclaration | undefined, source: SourceUpload, versionId: string): SourceRevisionOverride[] {
  const sources = (pipeline?.stages ?? []).flatMap((stage) => (stage.actions ?? []).filter((a) => a.actionTypeId?.category === 'Source'));
  const matching = sources.filter(
    (a) => a.actionTypeId?.provider === 'S3' && a.configuration?.S3Bucket === source.bucket && a.configuration?.S3ObjectKey === source.key,
  );
  if (matching.length === 0) {
    const seen = sources.map((a) => `${a.name} (${a.actionTypeId?.provider ?? '?'}${a.actionTypeId?.provider === 'S3' ? ` s3://${a.configuration?.S3Bucket}/${a.configuration?.S3ObjectKey}` : ''})`);
    throw new ActionError(
      `pipeline '${pipeline?.name ?? '?'}' has no S3 source action reading s3://${source.bucket}/${source.key}, so the upload cannot be pinned; its source actions are: ${seen.join(', ') || 'none'}. Set source-bucket and source-key to what the pipeline reads.`,
    );
  }
  return matching.map((a) => ({ actionName: a.name, revisionType: 'S3_OBJECT_VERSION_ID', revisionValue: versionId }));
}
