import { describe, expect, it } from 'vitest';
import { regionOf, regionOfPostcode } from './region.ts';

describe('region of an address', () => {
  it('follows the postcode ranges at every boundary', () => {
    const cases: [string, string][] = [
      ['1000', 'brussels'],
      ['1299', 'brussels'],
      ['1300', 'wallonia'],
      ['1499', 'wallonia'],
      ['1500', 'flanders'],
      ['2220', 'flanders'],
      ['3999', 'flanders'],
      ['4000', 'wallonia'],
      ['7999', 'wallonia'],
      ['8000', 'flanders'],
      ['9999', 'flanders'],
    ];
    for (const [postcode, region] of cases) expect([postcode, regionOfPostcode(postcode)]).toEqual([postcode, region]);
    expect(regionOfPostcode(' 9000 ')).toBe('flanders');
  });

  it('calls an address with a country abroad, whatever its postcode looks like', () => {
    expect(regionOf({ postcode: '59000', country: 'Frankrijk' })).toBe('abroad');
    expect(regionOf({ postcode: '1009', country: 'Luxemburg' })).toBe('abroad');
    expect(regionOf({ postcode: '2220', country: null })).toBe('flanders');
  });

  it('is unknown without a usable Belgian postcode', () => {
    for (const postcode of [null, '', 'abc', '999', '0999', '59000', '5611 AZ']) expect(regionOf({ postcode, country: null })).toBe('unknown');
    expect(regionOf(null)).toBe('unknown');
    expect(regionOf(undefined)).toBe('unknown');
    expect(regionOf({ postcode: '1000', country: '  ' })).toBe('brussels');
  });
});
