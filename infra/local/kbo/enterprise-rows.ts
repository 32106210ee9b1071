// The CSV rows of one generated enterprise in each table, as a Full extract (or the inserts of a new entity) lists them.
import { bare, csvLine, maybe, text, type Field } from './csv-zip.ts';
import type { ActivitySpec, AddressSpec, AddressState, GeneratedEnterprise, NameSpec } from './enterprise-model.ts';

export const enterpriseLine = (e: GeneratedEnterprise) =>
  csvLine([text(e.number), text('AC'), text(e.situation), text(e.natural ? '1' : '2'), maybe(e.form), maybe(e.formCac), bare(e.startDate)]);

const establishmentLines = (e: GeneratedEnterprise) => e.establishments.map((s) => csvLine([text(s.number), bare(s.startDate), text(e.number)]));

const nameLine = (entity: string, n: NameSpec) => csvLine([text(entity), text(n.language), text(n.type), text(n.value)]);

/** Names of the enterprise itself, of one establishment, or of the branch. */
export const namesOf = (e: GeneratedEnterprise, entity: string): string[] => {
  if (entity === e.number) return e.names.map((n) => nameLine(e.number, n));
  if (e.branch && entity === e.branch.id) return [nameLine(e.branch.id, { language: '2', type: '004', value: e.branch.name })];
  const s = e.establishments.find((x) => x.number === entity);
  return s ? s.names.map((n) => nameLine(s.number, n)) : [];
};

export function addressFields(
  entityNumber: string,
  type: string,
  location: AddressSpec,
  houseNumber: string,
  box: string | null,
  struckOffOn: string | null = null,
  extra: string | null = null,
): Field[] {
  return [
    text(entityNumber),
    text(type),
    maybe(location.countryNL),
    maybe(location.countryFR),
    text(location.postcode),
    text(location.municipalityNL),
    text(location.municipalityFR),
    text(location.streetNL),
    text(location.streetFR),
    text(houseNumber),
    // KBO writes an empty Box and ExtraAddressInfo as "" (quoted), unlike the NULL of other columns.
    text(box ?? ''),
    text(extra ?? ''),
    struckOffOn ? bare(struckOffOn) : null,
  ];
}
const addressLine = (entity: string, type: string, a: AddressState) =>
  csvLine(addressFields(entity, type, a.place, a.houseNumber, a.box, a.struckOffOn, a.extra));

export const addressesOf = (e: GeneratedEnterprise, entity: string): string[] => {
  if (entity === e.number) return e.seat ? [addressLine(e.number, 'REGO', e.seat)] : [];
  if (e.branch && entity === e.branch.id) return [addressLine(e.branch.id, 'ABBR', e.branch.address)];
  const s = e.establishments.find((x) => x.number === entity);
  return s ? [addressLine(s.number, 'BAET', s.address)] : [];
};

const activityLine = (entity: string, a: ActivitySpec) => csvLine([text(entity), text(a.group), text(a.version), text(a.code), text(a.classification)]);
export const activitiesOf = (e: GeneratedEnterprise, entity: string): string[] => {
  if (entity === e.number) return e.activities.map((a) => activityLine(e.number, a));
  const s = e.establishments.find((x) => x.number === entity);
  return s ? s.activities.map((a) => activityLine(s.number, a)) : [];
};
export const contactsOf = (e: GeneratedEnterprise, entity: string): string[] =>
  entity === e.number ? e.contacts.map((c) => csvLine([text(e.number), text('ENT'), text(c.type), text(c.value)])) : [];
const branchLines = (e: GeneratedEnterprise) => (e.branch ? [csvLine([text(e.branch.id), bare(e.branch.startDate), text(e.number)])] : []);

/** The enterprise, its establishments and its branch: every entity number that rows can hang on. */
export const entitiesOf = (e: GeneratedEnterprise) => [e.number, ...e.establishments.map((s) => s.number), ...(e.branch ? [e.branch.id] : [])];

/** Every row of an enterprise in each table, as a Full extract (or the inserts of a new entity) lists them. */
export const rowsOf = {
  enterprise: (e: GeneratedEnterprise) => [enterpriseLine(e)],
  establishment: establishmentLines,
  denomination: (e: GeneratedEnterprise) => entitiesOf(e).flatMap((n) => namesOf(e, n)),
  address: (e: GeneratedEnterprise) => entitiesOf(e).flatMap((n) => addressesOf(e, n)),
  contact: (e: GeneratedEnterprise) => contactsOf(e, e.number),
  activity: (e: GeneratedEnterprise) => entitiesOf(e).flatMap((n) => activitiesOf(e, n)),
  branch: branchLines,
};
export type Table = keyof typeof rowsOf;
export const tables = Object.keys(rowsOf) as Table[];
