// Imports a KBO Open Data full extract: enterprises, establishments, names and addresses (activity, contact
// and branches are not needed). Streams the zip; idempotent, since every row becomes a Put on a key derived
// from the row itself, so a second run writes the same items again and changes nothing.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { KboZip, kboDate, parseExtractName } from '../../shared/adapters/kbo/extract.ts';
import { addressItem, BatchWriter, digitsOf, nameItem } from '../../shared/data/kbo.ts';

export type ImportCounts = { enterprises: number; establishments: number; names: number; addresses: number; skipped: number };
export type ImportProgress = { file: string; rows: number; rowsPerSecond: number };

const progressEvery = 1000;

export async function importFullExtract(deps: Dependencies, zipPath: string, options: { onProgress?: (p: ImportProgress) => void } = {}): Promise<ImportCounts> {
  const zip = await KboZip.open(zipPath);
  try {
    const meta = await zip.meta();
    const extractNumber = meta.extractNumber ?? parseExtractName(zipPath)?.extractNumber ?? 0;
    const counts: ImportCounts = { enterprises: 0, establishments: 0, names: 0, addresses: 0, skipped: 0 };
    const started = Date.now();
    let rows = 0;
    const writer = new BatchWriter(deps);
    const progress = (file: string) => {
      if (rows % progressEvery === 0) options.onProgress?.({ file, rows, rowsPerSecond: rows / Math.max(0.001, (Date.now() - started) / 1000) });
    };

    // Establishments first: their names and address rows carry only the establishment number, and they are
    // stored in their enterprise's item collection. Numbers as numbers keep ~1.7 M entries small.
    const enterpriseOf = new Map<number, number>();
    for await (const row of zip.rows('establishment.csv')) {
      rows += 1;
      const est = digitsOf(row.EstablishmentNumber!);
      const ent = digitsOf(row.EnterpriseNumber!);
      enterpriseOf.set(Number(est), Number(ent));
      await writer.add({ pk: `ENT#${ent}`, sk: `EST#${est}`, gsi1pk: `EST#${est}`, gsi1sk: `ENT#${ent}`, kind: 'establishment', establishmentNumber: row.EstablishmentNumber, enterpriseNumber: row.EnterpriseNumber, startDate: kboDate(row.StartDate ?? null), status: 'active', kboExtractNumber: extractNumber });
      counts.establishments += 1;
      progress('establishment.csv');
    }
    for await (const row of zip.rows('enterprise.csv')) {
      rows += 1;
      const ent = digitsOf(row.EnterpriseNumber!);
      await writer.add({ pk: `ENT#${ent}`, sk: 'PROFILE', kind: 'enterprise', enterpriseNumber: row.EnterpriseNumber, status: row.Status === 'AC' || !row.Status ? 'active' : 'stopped', juridicalSituation: row.JuridicalSituation, typeOfEnterprise: row.TypeOfEnterprise, juridicalForm: row.JuridicalForm ?? null, startDate: kboDate(row.StartDate ?? null), kboExtractNumber: extractNumber });
      counts.enterprises += 1;
      progress('enterprise.csv');
    }
    /** Where a name or address row belongs: its own enterprise collection, or its establishment's enterprise. */
    const placeOf = (entityNumber: string): { pk: string; prefix: string } | undefined => {
      const digits = digitsOf(entityNumber);
      if (digits.startsWith('0') || digits.startsWith('1')) return { pk: `ENT#${digits}`, prefix: '' };
      if (/^[2-8]/.test(digits)) {
        const ent = enterpriseOf.get(Number(digits));
        return ent === undefined ? undefined : { pk: `ENT#${String(ent).padStart(10, '0')}`, prefix: `EST#${digits}#` };
      }
      return undefined; // branch ids (9.xxx) are not kept
    };
    for await (const row of zip.rows('denomination.csv')) {
      rows += 1;
      const place = placeOf(row.EntityNumber!);
      if (!place || !row.Denomination) counts.skipped += 1;
      else {
        await writer.add(nameItem(place.pk, place.prefix, row.EntityNumber!, row.Language ?? '0', row.TypeOfDenomination ?? '001', row.Denomination));
        counts.names += 1;
      }
      progress('denomination.csv');
    }
    for await (const row of zip.rows('address.csv')) {
      rows += 1;
      const place = placeOf(row.EntityNumber!);
      if (!place || (row.TypeOfAddress !== 'REGO' && row.TypeOfAddress !== 'BAET')) counts.skipped += 1;
      else {
        await writer.add(addressItem(place.pk, place.prefix, row, kboDate(row.DateStrikingOff ?? null)));
        counts.addresses += 1;
      }
      progress('address.csv');
    }
    await writer.flush();
    options.onProgress?.({ file: 'done', rows, rowsPerSecond: rows / Math.max(0.001, (Date.now() - started) / 1000) });
    await deps.db.send(
      new PutCommand({
        TableName: deps.config.TABLE_NAME,
        Item: { pk: 'KBO#EXTRACT', sk: String(extractNumber).padStart(6, '0'), type: 'full', snapshotDate: meta.snapshotDate, extractTimestamp: meta.extractTimestamp, fileName: zipPath.split('/').pop(), counts },
      }),
    );
    return counts;
  } finally {
    zip.close();
  }
}
