// fauxqs keeps S3 objects in memory; the local stage mirrors them to .local/s3 so that a restart keeps every
// document. Object keys are opaque ULIDs, so they are safe as file names once URL-encoded.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

type Meta = { etag: string; contentType?: string };

export async function restoreBuckets(s3: S3Client, buckets: string[], directory: string): Promise<number> {
  let restored = 0;
  for (const bucket of buckets) {
    const dir = join(directory, bucket);
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) {
      if (file.endsWith('.meta.json')) continue;
      const metaPath = join(dir, `${file}.meta.json`);
      const meta: Meta | undefined = existsSync(metaPath) ? JSON.parse(readFileSync(metaPath, 'utf8')) : undefined;
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: decodeURIComponent(file),
          Body: readFileSync(join(dir, file)),
          ...(meta?.contentType ? { ContentType: meta.contentType } : {}),
        }),
      );
      restored += 1;
    }
  }
  return restored;
}

/** Writes new or changed objects to disk and removes files of deleted objects. */
export async function persistBuckets(s3: S3Client, buckets: string[], directory: string): Promise<void> {
  for (const bucket of buckets) {
    const dir = join(directory, bucket);
    mkdirSync(dir, { recursive: true });
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const file = encodeURIComponent(object.Key!);
        seen.add(file);
        const metaPath = join(dir, `${file}.meta.json`);
        const meta: Meta | undefined = existsSync(metaPath) ? JSON.parse(readFileSync(metaPath, 'utf8')) : undefined;
        if (meta?.etag === object.ETag) continue;
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key! }));
        writeFileSync(join(dir, file), Buffer.from(await got.Body!.transformToByteArray()));
        writeFileSync(metaPath, JSON.stringify({ etag: object.ETag ?? '', ...(got.ContentType ? { contentType: got.ContentType } : {}) } satisfies Meta));
      }
      token = page.NextContinuationToken;
    } while (token);
    for (const file of readdirSync(dir)) {
      const base = file.replace(/\.meta\.json$/, '');
      if (!seen.has(base)) rmSync(join(dir, file));
    }
  }
}
