// The report of each applied KBO file, stored next to the file in the KBO inbox bucket (reports/<file>.json),
// with one part per slice of an Update while it is applied (reports/<file>/slice-<n>.json): a slice that runs
// again replaces its part, and the last slice assembles the parts. The file name in the key is KBO's
// (`KboOpenData_0142_2026_11_Update`): no personal data.
import { GetObjectCommand, NoSuchKey, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Dependencies } from '../adapters/dependencies.ts';
import type { KboFileReport, SliceReportPart } from '../domain/kbo-report.ts';
import { getExtract } from './kbo.ts';

const base = (fileName: string) => fileName.replace(/\.zip$/i, '');
export const reportKey = (fileName: string) => `reports/${base(fileName)}.json`;
const partKey = (fileName: string, slice: number) => `reports/${base(fileName)}/slice-${String(slice).padStart(4, '0')}.json`;

async function putJson(deps: Dependencies, key: string, value: unknown): Promise<void> {
  await deps.s3.send(new PutObjectCommand({ Bucket: deps.config.KBO_INBOX_BUCKET, Key: key, Body: JSON.stringify(value), ContentType: 'application/json' }));
}

async function getJson<T>(deps: Dependencies, key: string): Promise<T | undefined> {
  try {
    const object = await deps.s3.send(new GetObjectCommand({ Bucket: deps.config.KBO_INBOX_BUCKET, Key: key }));
    return JSON.parse(await object.Body!.transformToString('utf8')) as T;
  } catch (error) {
    if (error instanceof NoSuchKey || (error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

export const putSlicePart = (deps: Dependencies, fileName: string, part: SliceReportPart) => putJson(deps, partKey(fileName, part.slice), part);

/** The parts of slices 0 to sliceCount - 1; a missing one is an error (its slice was never applied). */
export async function getSliceParts(deps: Dependencies, fileName: string, sliceCount: number): Promise<SliceReportPart[]> {
  const parts = await Promise.all(Array.from({ length: sliceCount }, (_, slice) => getJson<SliceReportPart>(deps, partKey(fileName, slice))));
  const missing = parts.flatMap((part, slice) => (part ? [] : [slice]));
  if (missing.length) throw new Error(`${fileName}: no report part of slice ${missing.join(', ')}`);
  return parts as SliceReportPart[];
}

/** Stores the report and returns where (`s3://bucket/reports/…json`), which the CLIs print. */
export async function putReport(deps: Dependencies, report: KboFileReport): Promise<string> {
  const key = reportKey(report.fileName);
  await putJson(deps, key, report);
  return `s3://${deps.config.KBO_INBOX_BUCKET}/${key}`;
}

/** The report of an applied extract: its record names the file. Undefined when it was not applied or has none. */
export async function getReport(deps: Dependencies, extractNumber: number): Promise<KboFileReport | undefined> {
  const extract = await getExtract(deps, extractNumber);
  if (!extract) return undefined;
  return getJson<KboFileReport>(deps, reportKey(extract.fileName));
}
