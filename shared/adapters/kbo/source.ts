// Where a KBO zip comes from. yauzl reads a zip by random access (central directory at the end, then each
// member's bytes), so any source that can serve byte ranges works: a local file now, an S3 object through
// ranged GETs later (a RandomAccessReader subclass whose _readStreamForRange does a GetObject with Range).
import yauzl, { type RandomAccessReader, type ZipFile } from 'yauzl';

export type ZipSource = {
  /** The zip's file name (`KboOpenData_0147_2025_10_12_Update.zip`), for parseExtractName and records. */
  name: string;
  open(): Promise<ZipFile>;
};

// lazyEntries: we list the entries ourselves; autoClose off: members are read one after another.
const zipOptions = { lazyEntries: true, autoClose: false } as const;

const baseName = (path: string) => path.split(/[/\\]/).pop() ?? path;

/** A zip on the local disk. */
export function fileSource(path: string): ZipSource {
  return {
    name: baseName(path),
    open: () => new Promise<ZipFile>((resolve, reject) => yauzl.open(path, zipOptions, (error, zip) => (error ? reject(error) : resolve(zip)))),
  };
}

/** A zip behind any byte-range reader of known total size (e.g. an S3 object). */
export function randomAccessSource(name: string, reader: RandomAccessReader, totalSize: number): ZipSource {
  return {
    name: baseName(name),
    open: () =>
      new Promise<ZipFile>((resolve, reject) =>
        yauzl.fromRandomAccessReader(reader, totalSize, zipOptions, (error, zip) => (error ? reject(error) : resolve(zip))),
      ),
  };
}
