import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ageOn, formatEnterpriseNumber, maskNationalNumber, mod97Check, parseBelgianIban, parseEnterpriseNumber, parseEstablishmentNumber, parseNationalNumber } from './identifiers.ts';

describe('enterprise number', () => {
  it.each(['0417.390.703', '0417390703', '0403.449.823', '0412.345.614', '0712.345.630', '1098.765.421', ' 0417 390 703 '])('accepts %s', (input) => {
    const parsed = parseEnterpriseNumber(input);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value).toMatch(/^[01]\d{3}\.\d{3}\.\d{3}$/);
  });
  it('reads a remainder of 0 as check 97', () => {
    expect(mod97Check(1000070n)).toBe(97);
    expect(parseEnterpriseNumber('0100.007.097')).toEqual({ ok: true, value: '0100.007.097' });
  });
  it('prefixes an old 9-digit number with 0', () => expect(parseEnterpriseNumber('417390703')).toEqual({ ok: true, value: '0417.390.703' }));
  it.each([['0417.390.704', 'controlegetal'], ['2417.390.703', 'ongeldig cijfer'], ['04173907', '10 cijfers'], ['0417.39O.703', 'andere tekens']])('refuses %s (%s)', (input, reason) => {
    const parsed = parseEnterpriseNumber(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });
});

describe('establishment number', () => {
  it.each(['2.123.456.791', '2.300.000.157', '2.199.988.803', '2123456791'])('accepts %s', (input) => expect(parseEstablishmentNumber(input).ok).toBe(true));
  it.each(['2.123.456.792', '0.417.390.703', '9.001.234.566', '1.098.765.421'])('refuses %s', (input) => expect(parseEstablishmentNumber(input).ok).toBe(false));
  it('formats as d.ddd.ddd.ddd', () => expect(parseEstablishmentNumber('2123456791')).toEqual({ ok: true, value: '2.123.456.791' }));
});

describe('national number', () => {
  it('reads a birth date before 2000', () => {
    expect(parseNationalNumber('80.01.01-001.07')).toEqual({ ok: true, value: { value: '80.01.01-001.07', kind: 'national', birthDate: '1980-01-01' } });
  });
  it('reads a birth date from 2000 (check computed over 2 + the first 9 digits)', () => {
    expect(parseNationalNumber('03010100168')).toEqual({ ok: true, value: { value: '03.01.01-001.68', kind: 'national', birthDate: '2003-01-01' } });
  });
  it('recognises BIS numbers (month + 20 or + 40)', () => {
    const base = '802101001';
    const bis = `${base}${String(mod97Check(BigInt(base))).padStart(2, '0')}`;
    expect(parseNationalNumber(bis)).toMatchObject({ ok: true, value: { kind: 'bis', birthDate: '1980-01-01' } });
    const base40 = '804101002';
    const bis40 = `${base40}${String(mod97Check(BigInt(base40))).padStart(2, '0')}`;
    expect(parseNationalNumber(bis40)).toMatchObject({ ok: true, value: { kind: 'bis', birthDate: '1980-01-01' } });
  });
  it('keeps the birth date unknown when month or day is 00', () => {
    const base = '800000001';
    const number = `${base}${String(mod97Check(BigInt(base))).padStart(2, '0')}`;
    expect(parseNationalNumber(number)).toMatchObject({ ok: true, value: { birthDate: undefined } });
  });
  it('refuses impossible dates, wrong check digits and wrong lengths', () => {
    const base = '800231001';
    expect(parseNationalNumber(`${base}${String(mod97Check(BigInt(base))).padStart(2, '0')}`).ok).toBe(false);
    expect(parseNationalNumber('80.01.01-001.08').ok).toBe(false);
    expect(parseNationalNumber('8001010010').ok).toBe(false);
  });
  it('masks for parties who may not see it in full', () => expect(maskNationalNumber('80.01.01-001.07')).toBe('80.01.01-***.**'));
});

describe('age', () => {
  it('counts whole years with the birthday as boundary', () => {
    expect(ageOn('2001-11-23', '2026-11-23')).toBe(25);
    expect(ageOn('2001-11-24', '2026-11-23')).toBe(24);
  });
  it('makes someone born on 29 February a year older on 1 March', () => {
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
  });
});

describe('Belgian IBAN', () => {
  it('accepts a valid account in any spacing and returns the electronic form', () => {
    expect(parseBelgianIban('BE68 5390 0754 7034')).toEqual({ ok: true, value: 'BE68539007547034' });
    expect(parseBelgianIban('be68539007547034')).toEqual({ ok: true, value: 'BE68539007547034' });
  });
  it('refuses a wrong checksum and foreign accounts', () => {
    expect(parseBelgianIban('BE69 5390 0754 7034').ok).toBe(false);
    expect(parseBelgianIban('NL91 ABNA 0417 1643 00').ok).toBe(false);
    expect(parseBelgianIban('BE68 5390').ok).toBe(false);
  });
});

describe('properties', () => {
  it('accepts a 10-digit string starting 0 or 1 exactly when the mod-97 rule holds, and formats it round-trip', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 19_999_999 }), fc.integer({ min: 0, max: 99 }), (base, check) => {
        const digits = `${String(base).padStart(8, '0')}${String(check).padStart(2, '0')}`;
        const valid = mod97Check(BigInt(digits.slice(0, 8))) === check;
        const parsed = parseEnterpriseNumber(digits);
        expect(parsed.ok).toBe(valid);
        if (parsed.ok) {
          expect(parsed.value).toBe(formatEnterpriseNumber(digits));
          expect(parseEnterpriseNumber(parsed.value)).toEqual(parsed);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
