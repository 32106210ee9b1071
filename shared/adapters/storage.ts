// S3 access for documents: presigned POST uploads with a size range and content type (a presigned PUT
// cannot cap the size), short-lived presigned GETs, and reading just the first bytes to check the format.
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, NotFound, NoSuchKey } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Dependencies } from './dependencies.ts';

export const uploadUrlSeconds = 15 * 60;
export const downloadUrlSeconds = 5 * 60;

export async function presignUpload(deps: Dependencies, key: string, contentType: string, maxBytes: number) {
  return createPresignedPost(deps.s3, {
    Bucket: deps.config.DOCUMENTS_BUCKET,
    Key: key,
    Conditions: [
      ['content-length-range', 1, maxBytes],
      ['eq', '$Content-Type', contentType],
    ],
    Fields: { 'Content-Type': contentType },
    Expires: uploadUrlSeconds,
  });
}

export async function presignDownload(deps: Dependencies, key: string, fileName: string): Promise<string> {
  return getSignedUrl(
    deps.s3,
    new GetObjectCommand({ Bucket: deps.config.DOCUMENTS_BUCKET, Key: key, ResponseContentDisposition: `attachment; filename="${fileName}"` }),
    { expiresIn: downloadUrlSeconds },
  );
}

/** Size and the first 16 bytes of an uploaded object, or undefined values when nothing was uploaded. */
export async function inspectObject(deps: Dependencies, key: string): Promise<{ sizeBytes: number | undefined; head: Uint8Array | undefined }> {
  try {
    const head = await deps.s3.send(new HeadObjectCommand({ Bucket: deps.config.DOCUMENTS_BUCKET, Key: key }));
    const size = head.ContentLength ?? 0;
    if (size === 0) return { sizeBytes: 0, head: new Uint8Array() };
    const start = await deps.s3.send(new GetObjectCommand({ Bucket: deps.config.DOCUMENTS_BUCKET, Key: key, Range: 'bytes=0-15' }));
    return { sizeBytes: size, head: await start.Body!.transformToByteArray() };
  } catch (error) {
    if (error instanceof NotFound || error instanceof NoSuchKey || (error as Error).name === 'NotFound') return { sizeBytes: undefined, head: undefined };
    throw error;
  }
}

export async function deleteObject(deps: Dependencies, key: string): Promise<void> {
  await deps.s3.send(new DeleteObjectCommand({ Bucket: deps.config.DOCUMENTS_BUCKET, Key: key }));
}

/** Moves a checked upload to its document key: copy, then delete the upload (a retry copies again, harmlessly). */
export async function promoteUpload(deps: Dependencies, from: string, to: string): Promise<void> {
  const bucket = deps.config.DOCUMENTS_BUCKET;
  await deps.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: `${bucket}/${from}` }));
  await deleteObject(deps, from);
}
