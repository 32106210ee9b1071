// A KBO zip in S3, read by ranged GETs: yauzl asks for the central directory and then one member at a time,
// so a Lambda holds a few stream buffers, never the whole file.
import { PassThrough, type Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import yauzl from 'yauzl';
import type { Dependencies } from '../dependencies.ts';
import { randomAccessSource, type ZipSource } from './source.ts';

/**
 * A ranged GET failed or its body broke off: the source's fault, not the file's, so worth a retry (the kbo-sync
 * state machine retries it by this name). Without it a network reset would look like a corrupt zip.
 */
export class KboSourceReadError extends Error {
  override name = 'KboSourceReadError';
}

const sourceError = (key: string, error: Error) => new KboSourceReadError(`reading ${key} from S3: ${error.name}: ${error.message}`, { cause: error });

class S3RangeReader extends yauzl.RandomAccessReader {
  /** Ranged GETs made, for the bench. */
  requests = 0;

  constructor(
    private readonly deps: Pick<Dependencies, 's3'>,
    private readonly bucket: string,
    private readonly key: string,
  ) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    const out = new PassThrough();
    if (end <= start) {
      out.end();
      return out;
    }
    this.requests += 1;
    // yauzl wants the stream at once; the GET starts behind it. HTTP ranges are inclusive, yauzl's end is not.
    this.deps.s3
      .send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key, Range: `bytes=${start}-${end - 1}` }))
      .then((result) => {
        const body = result.Body as Readable;
        body.on('error', (error) => out.destroy(sourceError(this.key, error)));
        body.pipe(out);
      })
      .catch((error: Error) => out.destroy(sourceError(this.key, error)));
    return out;
  }
}

export async function s3ZipSource(deps: Pick<Dependencies, 's3'>, bucket: string, key: string): Promise<ZipSource & { reader: S3RangeReader }> {
  const head = await deps.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  const reader = new S3RangeReader(deps, bucket, key);
  return { ...randomAccessSource(key, reader, head.ContentLength ?? 0), reader };
}

/** Every object key in the bucket (the KBO inbox), page by page. */
export async function listInbox(deps: Pick<Dependencies, 's3'>, bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await deps.s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}
