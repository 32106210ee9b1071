// The region of an address in Belgium, from its postcode. Pure; no AWS imports.
// Belgian postcodes are four digits and their ranges follow the regions:
// Brussels 1000-1299, Wallonia 1300-1499 and 4000-7999, Flanders 1500-3999 and 8000-9999.
export type Region = 'flanders' | 'brussels' | 'wallonia' | 'abroad' | 'unknown';

export const regions: readonly Region[] = ['flanders', 'brussels', 'wallonia', 'abroad', 'unknown'];

/** The region of a Belgian postcode; anything that is not four digits in 1000-9999 is unknown. */
export function regionOfPostcode(postcode: string | null | undefined): Region {
  const trimmed = (postcode ?? '').trim();
  if (!/^\d{4}$/.test(trimmed)) return 'unknown';
  const code = Number(trimmed);
  if (code < 1000) return 'unknown';
  if (code <= 1299) return 'brussels';
  if (code <= 1499) return 'wallonia';
  if (code <= 3999) return 'flanders';
  if (code <= 7999) return 'wallonia';
  return 'flanders';
}

/**
 * The region of an address. KBO leaves the country empty for Belgium, so a non-empty country means abroad,
 * whatever the postcode looks like (a French `59000` or a Dutch `4811 AB`).
 */
export function regionOf(address: { postcode: string | null; country: string | null } | null | undefined): Region {
  if (!address) return 'unknown';
  if (address.country && address.country.trim() !== '') return 'abroad';
  return regionOfPostcode(address.postcode);
}
