// The small KBO Full extract the local stage imports on first start: the CSV files next to this module, in
// the real layout (see README.md for the enterprises and establishments). Invented values, valid check digits.
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import yazl from 'yazl';
import type { Dependencies } from '../../../../shared/adapters/dependencies.ts';
import { importFullExtract, type ImportCounts } from '../../../../functions/kbo-import/full-import.ts';

export const seedDirectory = import.meta.dirname;
/** Extract 1, snapshot of 31 October 2026, made on 1 November. */
export const seedExtractFileName = 'KboOpenData_0001_2026_11_01_Full.zip';
export const seedMembers = [
  'meta.csv',
  'code.csv',
  'enterprise.csv',
  'establishment.csv',
  'denomination.csv',
  'address.csv',
  'contact.csv',
  'activity.csv',
  'branch.csv',
];

/** Zips the seed CSV files into `targetPath` (folders are created). */
export async function buildSeedZip(targetPath: string): Promise<void> {
  mkdirSync(dirname(targetPath), { recursive: true });
  const zip = new yazl.ZipFile();
  const out = createWriteStream(targetPath);
  zip.outputStream.pipe(out);
  // A fixed time keeps the zip the same from run to run.
  for (const member of seedMembers) zip.addFile(join(seedDirectory, member), member, { mtime: new Date(Date.UTC(2026, 10, 1)) });
  zip.end();
  await finished(out);
}

/** Imports the seed extract into the table of `deps` (idempotent: a second run changes nothing). */
export async function seedKbo(deps: Dependencies): Promise<ImportCounts> {
  const dir = mkdtempSync(join(tmpdir(), 'werkplekduaal-kbo-seed-'));
  try {
    const path = join(dir, seedExtractFileName);
    await buildSeedZip(path);
    return await importFullExtract(deps, path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
