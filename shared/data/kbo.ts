// KBO data in the single table (keys in README.md next to this file): one item collection per enterprise,
// holding the enterprise, its names and seat, its establishments with their names and address.
import { createHash } from 'node:crypto';
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../adapters/dependencies.ts';
import { denominationLanguages, denominationTypes, displayName, enterpriseTypes, juridicalSituationClass, type KboName } from '../domain/kbo.ts';
import { regionOf } from '../domain/region.ts';

export type KboItem = Record<string, unknown> & { pk: string; sk: string };
type Address = { street: string | null; houseNumber: string | null; box: string | null; postcode: string | null; municipality: string | null; country: string | null; struckOffOn: string | null };

export const digitsOf = (formatted: string) => formatted.replace(/\./g, '');
const hash8 = (text: string) => createHash('sha1').update(text).digest('hex').slice(0, 8);

export function nameItem(pk: string, prefix: string, entityNumber: string, languageCode: string, typeCode: string, denomination: string): KboItem {
  return { pk, sk: `${prefix}NAME#${typeCode}#${languageCode}#${hash8(denomination)}`, kind: 'name', entityNumber, language: languageCode, type: typeCode, denomination };
}

export function addressItem(pk: string, prefix: string, row: Record<string, string | null>, struckOffOn: string | null): KboItem {
  return {
    pk, sk: `${prefix}ADDR#${row.TypeOfAddress}`, kind: 'address', entityNumber: row.EntityNumber, typeOfAddress: row.TypeOfAddress,
    country: row.CountryNL ?? row.CountryFR ?? null, postcode: row.Zipcode ?? null,
    municipality: { nl: row.MunicipalityNL ?? null, fr: row.MunicipalityFR ?? null }, street: { nl: row.StreetNL ?? null, fr: row.StreetFR ?? null },
    houseNumber: row.HouseNumber ?? null, box: row.Box ?? null, extra: row.ExtraAddressInfo ?? null, struckOffOn,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function writeBatch(deps: Dependencies, batch: KboItem[]): Promise<void> {
  let pending = batch.map((Item) => ({ PutRequest: { Item } }));
  for (let attempt = 0; pending.length; attempt++) {
    if (attempt > 10) throw new Error('DynamoDB kept items unprocessed after 10 retries');
    if (attempt) await sleep(Math.min(2000, 25 * 2 ** attempt));
    const result = await deps.db.send(new BatchWriteCommand({ RequestItems: { [deps.config.TABLE_NAME]: pending } }));
    pending = (result.UnprocessedItems?.[deps.config.TABLE_NAME] ?? []) as typeof pending;
  }
}

/**
 * Streams items into BatchWrite requests of 25 with up to `parallel` requests in flight; `add` only waits when
 * that many are pending, so reading the file and writing the table overlap. Unprocessed items are retried
 * with exponential backoff.
 */
export class BatchWriter {
  private batch: KboItem[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown;
  written = 0;

  constructor(private readonly deps: Dependencies, private readonly parallel = 16) {}

  async add(item: KboItem): Promise<void> {
    this.batch.push(item);
    if (this.batch.length === 25) await this.send();
  }

  private async send(): Promise<void> {
    if (this.failure) throw this.failure;
    const batch = this.batch;
    this.batch = [];
    if (!batch.length) return;
    const request = writeBatch(this.deps, batch).then(
      () => { this.written += batch.length; },
      (error) => { this.failure = error; },
    );
    this.inFlight.add(request);
    void request.finally(() => this.inFlight.delete(request));
    if (this.inFlight.size >= this.parallel) await Promise.race(this.inFlight);
  }

  async flush(): Promise<void> {
    await this.send();
    await Promise.all(this.inFlight);
    if (this.failure) throw this.failure;
  }
}

export async function writeItems(deps: Dependencies, items: KboItem[]): Promise<void> {
  const writer = new BatchWriter(deps);
  for (const item of items) await writer.add(item);
  await writer.flush();
}

function toAddress(item: Record<string, any> | undefined): Address | null {
  if (!item) return null;
  return {
    street: item.street?.nl ?? item.street?.fr ?? null, houseNumber: item.houseNumber ?? null, box: item.box ?? null, postcode: item.postcode ?? null,
    municipality: item.municipality?.nl ?? item.municipality?.fr ?? null, country: item.country ?? null, struckOffOn: item.struckOffOn ?? null,
  };
}

const toName = (item: Record<string, any>): KboName => ({
  language: denominationLanguages[item.language] ?? 'unknown', type: denominationTypes[item.type] ?? 'other', value: item.denomination, languageCode: item.language, typeCode: item.type,
});
const publicName = ({ language, type, value }: KboName) => ({ language, type, value });

/** The enterprise profile from ONE Query on its item collection (paginated for very large enterprises). */
export async function getEnterpriseProfile(deps: Dependencies, enterpriseDigits: string) {
  const items: Record<string, any>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.db.send(new QueryCommand({ TableName: deps.config.TABLE_NAME, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `ENT#${enterpriseDigits}` }, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  const profile = items.find((i) => i.sk === 'PROFILE');
  if (!profile) return undefined;
  const names = items.filter((i) => String(i.sk).startsWith('NAME#')).map(toName);
  const establishments = items
    .filter((i) => /^EST#\d{10}$/.test(String(i.sk)))
    .map((e) => {
      const prefix = `${e.sk}#`;
      const own = items.filter((i) => String(i.sk).startsWith(prefix));
      const estNames = own.filter((i) => String(i.sk).startsWith(`${prefix}NAME#`)).map(toName);
      const address = toAddress(own.find((i) => i.sk === `${prefix}ADDR#BAET`));
      return { establishmentNumber: e.establishmentNumber, startDate: e.startDate ?? null, status: e.status ?? 'active', name: displayName(estNames), names: estNames.map(publicName), address, region: regionOf(address) };
    });
  return {
    enterpriseNumber: profile.enterpriseNumber,
    name: displayName(names),
    names: names.map(publicName),
    status: profile.status ?? 'active',
    juridicalSituation: { code: profile.juridicalSituation ?? '', class: juridicalSituationClass(profile.juridicalSituation ?? null) },
    juridicalForm: profile.juridicalForm ?? null,
    typeOfEnterprise: enterpriseTypes[profile.typeOfEnterprise] ?? 'unknown',
    startDate: profile.startDate ?? null,
    seat: toAddress(items.find((i) => i.sk === 'ADDR#REGO')),
    establishments,
    kboExtractNumber: profile.kboExtractNumber ?? null,
  };
}
