// The region of a Belgian address, from its postcode. Pure.
export type Region = 'flanders' | 'brussels' | 'wallonia' | 'abroad' | 'unknown';

export function regionOf(address: { postcode: string | null; country: string | null } | null | undefined): Region {
  if (!address) return 'unknown';
  if (address.country) return 'abroad';
  const code = Number(address.postcode);
  if (!Number.isInteger(code) || code < 1000 || code > 9999) return 'unknown';
  if (code <= 1299) return 'brussels';
  if (code <= 1499) return 'wallonia';
  if (code <= 3999) return 'flanders';
  if (code <= 7999) return 'wallonia';
  return 'flanders';
}
