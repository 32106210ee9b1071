// KBO rows and what we keep of them. Pure; no AWS imports. Format: ../shared/kbo-open-data.md.
export const denominationLanguages: Record<string, string> = { '0': 'unknown', '1': 'fr', '2': 'nl', '3': 'de', '4': 'en' };
export const denominationTypes: Record<string, string> = { '001': 'name', '002': 'abbreviation', '003': 'commercialName', '004': 'branchName' };
export const enterpriseTypes: Record<string, 'unknown' | 'naturalPerson' | 'legalPerson'> = { '0': 'unknown', '1': 'naturalPerson', '2': 'legalPerson' };

const situationClasses: [string, string[]][] = [
  ['normal', ['000', '001', '002', '003', '020', '090', '100']],
  ['mergerOrSplit', ['021', '022', '023', '024', '025', '026']],
  ['reorganisation', ['030', '031', '040', '041', '042', '043', '091']],
  ['dissolvedOrLiquidation', ['010', '012', '013', '112']],
  ['bankruptcy', ['048', '049', '050']],
  ['closed', ['014', '051', '052', '053', '006', '011', '015', '016', '017', '018', '019', '111', '999']],
];

/** Our grouping of the 40 juridical-situation codes; an unknown code is reported as such. */
export function juridicalSituationClass(code: string | null): string {
  if (!code) return 'unknown';
  return situationClasses.find(([, codes]) => codes.includes(code))?.[0] ?? 'unknown';
}

export type KboName = { language: string; type: string; value: string; languageCode: string; typeCode: string };

/** The name to show: Dutch legal name first, then any legal name, then a commercial name, then anything. */
export function displayName(names: KboName[]): string | null {
  const rank = (n: KboName) => (n.typeCode === '001' && n.languageCode === '2' ? 0 : n.typeCode === '001' ? 1 : n.typeCode === '003' ? 2 : 3);
  return [...names].sort((a, b) => rank(a) - rank(b))[0]?.value ?? null;
}
