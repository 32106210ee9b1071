// Belgian identifiers (domain.md "Identifiers", all mod 97). Every valid example below was checked by hand:
// for KBO numbers 97 - (first 8 digits mod 97) equals the last 2 digits, e.g. 04173907 mod 97 = 94 -> 03.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ageOn,
  formatEnterpriseNumber,
  formatEstablishmentNumber,
  formatIban,
  kboDigits,
  maskNationalNumber,
  mod97Check,
  parseBelgianIban,
  parseEnterpriseNumber,
  parseEstablishmentNumber,
  parseNationalNumber,
} from './identifiers.ts';

const two = (n: number) => String(n).padStart(2, '0');
/** A national number from its first 9 digits, with the check for a birth before or from 2000. */
const nationalNumber = (first9: string, from2000: boolean) => `${first9}${two(mod97Check(BigInt(from2000 ? `2${first9}` : first9)))}`;
const formattedNational = (d: string) => `${d.slice(0, 2)}.${d.slice(2, 4)}.${d.slice(4, 6)}-${d.slice(6, 9)}.${d.slice(9)}`;

describe('mod97Check', () => {
  it('is 97 minus the remainder, and a remainder of 0 gives 97 (never 00)', () => {
    expect(mod97Check(4173907n)).toBe(3);
    expect(mod97Check(1000070n)).toBe(97); // 1000070 = 97 * 10310
    expect(mod97Check(0n)).toBe(97);
    expect(mod97Check(96n)).toBe(1);
  });
});

describe('enterprise number', () => {
  it.each([
    ['0417.390.703', '0417.390.703'],
    ['0417390703', '0417.390.703'],
    [' 0417 390 703 ', '0417.390.703'],
    ['0403.449.823', '0403.449.823'],
    ['0403449823', '0403.449.823'],
    ['0412.345.614', '0412.345.614'],
    ['0712.345.630', '0712.345.630'],
    ['1098.765.421', '1098.765.421'], // numbers starting with 1 are issued since the 0 range ran out
    ['1098765421', '1098.765.421'],
    ['0100.007.097', '0100.007.097'], // 01000070 mod 97 = 0: the check is 97
  ])('accepts %s as %s', (input, formatted) => {
    expect(parseEnterpriseNumber(input)).toEqual({ ok: true, value: formatted });
  });

  it('reads an old 9-digit number (before the leading 0 was written) with a 0 in front', () => {
    expect(parseEnterpriseNumber('417390703')).toEqual({ ok: true, value: '0417.390.703' });
    expect(parseEnterpriseNumber('417.390.703')).toEqual({ ok: true, value: '0417.390.703' });
    expect(parseEnterpriseNumber('403449823')).toEqual({ ok: true, value: '0403.449.823' });
  });

  it.each([
    ['0417.390.704', 'controlegetal'],
    ['0417.390.700', 'controlegetal'],
    ['0100.007.000', 'controlegetal'], // remainder 0 must be written 97, not 00
    ['0403.449.832', 'controlegetal'], // swapped check digits
    ['0403.494.823', 'controlegetal'], // swapped body digits
    ['417390704', 'controlegetal'],
    ['2123.456.791', 'ongeldig cijfer'], // a valid mod-97 number, but 2 starts an establishment number
    ['9417.390.703', 'ongeldig cijfer'],
    ['04173907', '10 cijfers'],
    ['04173907031', '10 cijfers'],
    ['0417.39O.703', 'andere tekens'],
    ['BE 0417 390 703', 'andere tekens'],
    ['', 'andere tekens'],
  ])('refuses %s (%s)', (input, reason) => {
    const parsed = parseEnterpriseNumber(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });

  it('formats 10 digits as dddd.ddd.ddd and kboDigits undoes it', () => {
    expect(formatEnterpriseNumber('0417390703')).toBe('0417.390.703');
    expect(kboDigits('0417.390.703')).toBe('0417390703');
  });
});

describe('establishment number', () => {
  it.each([
    ['2.123.456.791', '2.123.456.791'],
    ['2123456791', '2.123.456.791'],
    ['2.300.000.157', '2.300.000.157'],
    ['2.199.988.803', '2.199.988.803'],
  ])('accepts %s as %s', (input, formatted) => {
    expect(parseEstablishmentNumber(input)).toEqual({ ok: true, value: formatted });
  });

  it('accepts first digits 2 to 8 and nothing else', () => {
    const withFirst = (d: number) => {
      const first8 = `${d}1234567`;
      return `${first8}${two(mod97Check(BigInt(first8)))}`;
    };
    for (let d = 0; d <= 9; d++) expect(parseEstablishmentNumber(withFirst(d)).ok, `first digit ${d}`).toBe(d >= 2 && d <= 8);
  });

  it.each([
    ['2.123.456.792', 'controlegetal'],
    ['2.300.000.175', 'controlegetal'],
    ['0.417.390.703', 'ongeldig cijfer'], // a valid enterprise number is not an establishment number
    ['1.098.765.421', 'ongeldig cijfer'],
    ['212345679', '10 cijfers'], // no 9-digit form for establishments
  ])('refuses %s (%s)', (input, reason) => {
    const parsed = parseEstablishmentNumber(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });

  it('formats as d.ddd.ddd.ddd', () => expect(formatEstablishmentNumber('2123456791')).toBe('2.123.456.791'));
});

describe('national number', () => {
  it('reads a birth before 2000 (check over the first 9 digits)', () => {
    // 850730033 mod 97 = 69 -> 28
    expect(parseNationalNumber('85.07.30-033.28')).toEqual({ ok: true, value: { value: '85.07.30-033.28', kind: 'national', birthDate: '1985-07-30' } });
    expect(parseNationalNumber('85073003328')).toEqual({ ok: true, value: { value: '85.07.30-033.28', kind: 'national', birthDate: '1985-07-30' } });
  });

  it('reads a birth from 2000 (check over 2 followed by the first 9 digits)', () => {
    // 2030101001 mod 97 = 29 -> 68; over 030101001 alone the check would be 99, so 68 can only mean 2003
    expect(parseNationalNumber('03.01.01-001.68')).toEqual({ ok: true, value: { value: '03.01.01-001.68', kind: 'national', birthDate: '2003-01-01' } });
    expect(parseNationalNumber(nationalNumber('090213123', true))).toMatchObject({ ok: true, value: { birthDate: '2009-02-13' } });
  });

  it('tells the century from the check digits alone', () => {
    // The same 9 digits are 1 January 1903 or 2003 depending on the check.
    expect(parseNationalNumber(nationalNumber('030101001', false))).toMatchObject({ ok: true, value: { birthDate: '1903-01-01' } });
    expect(parseNationalNumber(nationalNumber('030101001', true))).toMatchObject({ ok: true, value: { birthDate: '2003-01-01' } });
  });

  it('knows 29 February 2000 exists and 29 February 1900 does not', () => {
    expect(parseNationalNumber(nationalNumber('000229001', true))).toMatchObject({ ok: true, value: { birthDate: '2000-02-29' } });
    expect(parseNationalNumber(nationalNumber('000229001', false)).ok).toBe(false);
    expect(parseNationalNumber(nationalNumber('080229001', true))).toMatchObject({ ok: true, value: { birthDate: '2008-02-29' } });
    expect(parseNationalNumber(nationalNumber('090229001', true)).ok).toBe(false);
  });

  it('recognises BIS numbers: month + 20 (sex unknown) or + 40 (sex known)', () => {
    expect(parseNationalNumber(nationalNumber('802101001', false))).toEqual({
      ok: true,
      value: { value: formattedNational(nationalNumber('802101001', false)), kind: 'bis', birthDate: '1980-01-01' },
    });
    expect(parseNationalNumber(nationalNumber('804101002', false))).toMatchObject({ ok: true, value: { kind: 'bis', birthDate: '1980-01-01' } });
    expect(parseNationalNumber(nationalNumber('055215003', true))).toMatchObject({ ok: true, value: { kind: 'bis', birthDate: '2005-12-15' } });
  });

  it('keeps the birth date unknown when month or day is 00', () => {
    expect(parseNationalNumber(nationalNumber('800000001', false))).toEqual({
      ok: true,
      value: { value: formattedNational(nationalNumber('800000001', false)), kind: 'national', birthDate: undefined },
    });
    expect(parseNationalNumber(nationalNumber('800100001', false))).toMatchObject({ ok: true, value: { birthDate: undefined } });
    expect(parseNationalNumber(nationalNumber('800015001', false))).toMatchObject({ ok: true, value: { birthDate: undefined } });
    expect(parseNationalNumber(nationalNumber('802000001', false))).toMatchObject({ ok: true, value: { kind: 'bis', birthDate: undefined } });
    expect(parseNationalNumber(nationalNumber('054000001', true))).toMatchObject({ ok: true, value: { kind: 'bis', birthDate: undefined } });
  });

  it.each([
    ['800231001', false, '31 February'],
    ['800230001', false, '30 February'],
    ['810229001', false, '29 February 1981'],
    ['800431001', false, '31 April'],
    ['801301001', false, 'month 13'],
    ['801901001', false, 'month 19 (neither a month nor a BIS month)'],
    ['803301001', false, 'BIS month 33 (13 + 20)'],
    ['805301001', false, 'BIS month 53 (13 + 40)'],
    ['806001001', false, 'month 60'],
    ['800132001', false, 'day 32'],
    ['052231001', true, 'BIS 31 February 2005'],
  ])('refuses %s (from 2000: %s): %s, even with a correct check', (first9, from2000, _what) => {
    const parsed = parseNationalNumber(nationalNumber(first9, from2000));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain('geboortedatum');
  });

  it('refuses wrong check digits, wrong lengths and letters', () => {
    // 03.01.01-001.67 is neither 1903 (check 99) nor 2003 (check 68).
    for (const input of ['85.07.30-033.29', '85.07.30-033.82', '85.07.30-034.28', '03.01.01-001.67']) {
      const parsed = parseNationalNumber(input);
      expect(parsed.ok, input).toBe(false);
    }
    expect(parseNationalNumber('85.07.30-033.29')).toEqual({ ok: false, reason: 'rijksregisternummer heeft een ongeldig controlegetal' });
    expect(parseNationalNumber('8507300332')).toEqual({ ok: false, reason: 'rijksregisternummer moet 11 cijfers hebben' });
    expect(parseNationalNumber('850730033280').ok).toBe(false);
    expect(parseNationalNumber('85.07.30-O33.28').ok).toBe(false);
  });

  it('masks all but the birth date for parties who may not see the number in full', () => {
    expect(maskNationalNumber('85.07.30-033.28')).toBe('85.07.30-***.**');
    const parsed = parseNationalNumber('85073003328');
    if (parsed.ok) expect(maskNationalNumber(parsed.value.value)).not.toContain('033');
  });
});

describe('ageOn', () => {
  it('turns a year older on the birthday itself, not the day before', () => {
    expect(ageOn('2001-11-23', '2026-11-22')).toBe(24);
    expect(ageOn('2001-11-23', '2026-11-23')).toBe(25);
    expect(ageOn('2001-11-23', '2026-11-24')).toBe(25);
    expect(ageOn('2008-06-15', '2026-06-14')).toBe(17); // a minor learner the day before turning 18
    expect(ageOn('2008-06-15', '2026-06-15')).toBe(18);
  });

  it('compares months before days (born in December, counted in January)', () => {
    expect(ageOn('2000-12-31', '2026-01-01')).toBe(25);
    expect(ageOn('2000-01-31', '2026-02-01')).toBe(26);
  });

  it('makes someone born on 29 February a year older on 1 March in other years, and on 29 February in leap years', () => {
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
    expect(ageOn('2008-02-29', '2028-02-28')).toBe(19);
    expect(ageOn('2008-02-29', '2028-02-29')).toBe(20);
  });

  it('is 0 on the day of birth', () => expect(ageOn('2026-05-01', '2026-05-01')).toBe(0));
});

describe('Belgian IBAN', () => {
  it('accepts a valid account in any spacing or case and returns the electronic form', () => {
    expect(parseBelgianIban('BE68 5390 0754 7034')).toEqual({ ok: true, value: 'BE68539007547034' });
    expect(parseBelgianIban('BE68539007547034')).toEqual({ ok: true, value: 'BE68539007547034' });
    expect(parseBelgianIban('be68 5390 0754 7034')).toEqual({ ok: true, value: 'BE68539007547034' });
    expect(formatIban('BE68539007547034')).toBe('BE68 5390 0754 7034');
  });

  it('refuses a wrong ISO checksum', () => {
    expect(parseBelgianIban('BE69 5390 0754 7034')).toEqual({ ok: false, reason: 'IBAN is geen geldig Belgisch rekeningnummer (controlegetal)' });
    expect(parseBelgianIban('BE68 5390 0754 7043').ok).toBe(false);
  });

  it('refuses an account whose ISO checksum is right but whose Belgian check (first 10 digits mod 97) is wrong', () => {
    // BE41 5390 0754 7035 passes mod 97-10; 5390075470 mod 97 = 34, not 35.
    expect(parseBelgianIban('BE41 5390 0754 7035').ok).toBe(false);
    // 0000000000 mod 97 = 0, read as 97: the national check 97 is right, 00 is not.
    expect(parseBelgianIban('BE54 0000 0000 0097').ok).toBe(true);
    expect(parseBelgianIban('BE54 0000 0000 0000').ok).toBe(false);
  });

  it('refuses foreign accounts and incomplete ones', () => {
    const foreign = parseBelgianIban('NL91 ABNA 0417 1643 00');
    expect(foreign.ok).toBe(false);
    if (!foreign.ok) expect(foreign.reason).toContain('Belgisch');
    expect(parseBelgianIban('FR14 2004 1010 0505 0001 3M02 606').ok).toBe(false);
    expect(parseBelgianIban('BE68 5390').ok).toBe(false);
    expect(parseBelgianIban('').ok).toBe(false);
  });
});

describe('properties', () => {
  const tenDigits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 10, maxLength: 10 });
  /** Half random strings (almost all invalid), half numbers with a correct check, so both sides are exercised. */
  const candidates = fc.oneof(
    tenDigits,
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 8, maxLength: 8 }).map((first8) => `${first8}${two(mod97Check(BigInt(first8)))}`),
  );

  it('accepts a 10-digit string as enterprise or establishment number exactly when the mod-97 rule and the first digit allow it', () => {
    fc.assert(
      fc.property(candidates, (digits) => {
        const checkHolds = mod97Check(BigInt(digits.slice(0, 8))) === Number(digits.slice(8));
        const first = Number(digits[0]);
        expect(parseEnterpriseNumber(digits).ok).toBe(checkHolds && first <= 1);
        expect(parseEstablishmentNumber(digits).ok).toBe(checkHolds && first >= 2 && first <= 8);
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips: a valid number formatted, parsed again (with or without dots) gives the same value', () => {
    fc.assert(
      fc.property(candidates, (digits) => {
        for (const [parse, format] of [
          [parseEnterpriseNumber, formatEnterpriseNumber],
          [parseEstablishmentNumber, formatEstablishmentNumber],
        ] as const) {
          const parsed = parse(digits);
          if (!parsed.ok) continue;
          expect(parsed.value).toBe(format(digits));
          expect(parse(parsed.value)).toEqual(parsed);
          expect(parse(kboDigits(parsed.value))).toEqual(parsed);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('reads back the birth date and century of any valid national number, formatted or not', () => {
    const birth = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(birth, fc.integer({ min: 1, max: 997 }), fc.constantFrom(0, 20, 40), (date, counter, bisOffset) => {
        const iso = date.toISOString().slice(0, 10);
        const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
        const first9 = `${two(year % 100)}${two(month + bisOffset)}${two(day)}${String(counter).padStart(3, '0')}`;
        const digits = nationalNumber(first9, year >= 2000);
        const expected = { ok: true, value: { value: formattedNational(digits), kind: bisOffset ? 'bis' : 'national', birthDate: iso } };
        expect(parseNationalNumber(digits)).toEqual(expected);
        expect(parseNationalNumber(formattedNational(digits))).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses any single changed digit of a valid national number or enterprise number whose check then fails', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999 }), fc.nat(9), fc.integer({ min: 1, max: 9 }), (body, position, delta) => {
        const first8 = `0${String(body).padStart(7, '0')}`;
        const valid = `${first8}${two(mod97Check(BigInt(first8)))}`;
        const changed = `${valid.slice(0, position)}${(Number(valid[position]) + delta) % 10}${valid.slice(position + 1)}`;
        // mod 97 catches every single-digit change.
        if (changed[0] === '0' || changed[0] === '1') expect(parseEnterpriseNumber(changed).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
