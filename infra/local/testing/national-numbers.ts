// Valid national numbers for tests and scenarios, computed from a birth date with the mod-97 rule.

/** A national number with valid check digits for a birth date (born from 2000: the 2-prefix rule), formatted. */
export function nationalNumberFor(birthDate: string, counter: number): string {
  const [y, m, d] = birthDate.split('-');
  const base = `${y!.slice(2)}${m}${d}${String(counter).padStart(3, '0')}`;
  const check = 97 - Number(BigInt(`${Number(y) >= 2000 ? '2' : ''}${base}`) % 97n);
  const all = `${base}${String(check).padStart(2, '0')}`;
  return `${all.slice(0, 2)}.${all.slice(2, 4)}.${all.slice(4, 6)}-${all.slice(6, 9)}.${all.slice(9)}`;
}
