import { describe, expect, it } from 'vitest';
import { displayName, juridicalSituationClass } from './kbo.ts';
import { regionOf } from './region.ts';

describe('KBO domain rules', () => {
  it('groups juridical situations', () => {
    expect(juridicalSituationClass('000')).toBe('normal');
    expect(juridicalSituationClass('050')).toBe('bankruptcy');
    expect(juridicalSituationClass('012')).toBe('dissolvedOrLiquidation');
    expect(juridicalSituationClass('014')).toBe('closed');
    expect(juridicalSituationClass('777')).toBe('unknown');
    expect(juridicalSituationClass(null)).toBe('unknown');
  });
  it('shows the Dutch legal name first', () => {
    const n = (languageCode: string, typeCode: string, value: string) => ({ language: '', type: '', languageCode, typeCode, value });
    expect(displayName([n('1', '001', 'Boulangerie'), n('2', '003', 'Bakkerij handelsnaam'), n('2', '001', 'Bakkerij')])).toBe('Bakkerij');
    expect(displayName([n('1', '001', 'Boulangerie'), n('2', '003', 'Bakkerij handelsnaam')])).toBe('Boulangerie');
    expect(displayName([])).toBeNull();
  });
  it('derives the region from the postcode', () => {
    const at = (postcode: string, country: string | null = null) => regionOf({ postcode, country });
    expect([at('1000'), at('1299'), at('1300'), at('1499'), at('1500'), at('3999'), at('4000'), at('7999'), at('8000'), at('9999')]).toEqual(['brussels', 'brussels', 'wallonia', 'wallonia', 'flanders', 'flanders', 'wallonia', 'wallonia', 'flanders', 'flanders']);
    expect(at('59000', 'Frankrijk')).toBe('abroad');
    expect(at('abc')).toBe('unknown');
    expect(regionOf(null)).toBe('unknown');
  });
});
