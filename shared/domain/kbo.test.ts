import { describe, expect, it } from 'vitest';
import {
  classifyEntityNumber,
  denominationLanguages,
  denominationTypes,
  describeName,
  displayName,
  entityStatus,
  juridicalSituationClass,
  juridicalSituationClasses,
  answersNameSearch,
  nameIndexEntry,
  presentAddress,
  searchableName,
  toAddressRecord,
  toEnterpriseRecord,
  type KboName,
} from './kbo.ts';

const name = (languageCode: string, typeCode: string, value: string): KboName => describeName({ language: languageCode, type: typeCode, denomination: value });

describe('juridical situations', () => {
  it('classes all 40 codes of the cookbook, each once', () => {
    const all = Object.values(juridicalSituationClasses).flat();
    expect(all).toHaveLength(40);
    expect(new Set(all).size).toBe(40);
    for (const code of all) expect(juridicalSituationClass(code)).not.toBe('unknown');
  });

  it('groups the codes as our table says', () => {
    expect(['000', '001', '020', '090', '100'].map(juridicalSituationClass)).toEqual(Array(5).fill('normal'));
    expect(['021', '026'].map(juridicalSituationClass)).toEqual(['mergerOrSplit', 'mergerOrSplit']);
    expect(['030', '043', '091'].map(juridicalSituationClass)).toEqual(Array(3).fill('reorganisation'));
    expect(['010', '012', '013', '112'].map(juridicalSituationClass)).toEqual(Array(4).fill('dissolvedOrLiquidation'));
    expect(['048', '049', '050'].map(juridicalSituationClass)).toEqual(Array(3).fill('bankruptcy'));
    expect(['006', '014', '051', '053', '999'].map(juridicalSituationClass)).toEqual(Array(5).fill('closed'));
    expect(juridicalSituationClass('777')).toBe('unknown');
    expect(juridicalSituationClass(null)).toBe('unknown');
  });
});

describe('codes', () => {
  it('reads denomination languages with their own coding and the four types', () => {
    expect(denominationLanguages).toEqual({ '0': 'unknown', '1': 'fr', '2': 'nl', '3': 'de', '4': 'en' });
    expect(denominationTypes).toEqual({ '001': 'name', '002': 'abbreviation', '003': 'commercialName', '004': 'branchName' });
    expect(name('2', '003', 'Mega World')).toEqual({ language: 'nl', type: 'commercialName', value: 'Mega World', languageCode: '2', typeCode: '003' });
    expect(name('7', '009', 'X')).toMatchObject({ language: 'unknown', type: 'other' });
  });

  it('treats every status but ST and AN as active (Open Data lists active entities only)', () => {
    expect(['AC', 'ST', 'AN', null].map(entityStatus)).toEqual(['active', 'stopped', 'stopped', 'active']);
  });

  it('tells enterprises, establishments and branches apart, checking only the official numbers', () => {
    expect(classifyEntityNumber('0417.390.703')).toEqual({ kind: 'enterprise', number: '0417.390.703' });
    expect(classifyEntityNumber('0417390703')).toEqual({ kind: 'enterprise', number: '0417.390.703' });
    expect(classifyEntityNumber('417390703')).toEqual({ kind: 'enterprise', number: '0417.390.703' });
    expect(classifyEntityNumber('2.123.456.791')).toEqual({ kind: 'establishment', number: '2.123.456.791' });
    expect(classifyEntityNumber('9.000.006.627')).toEqual({ kind: 'branch', number: '9.000.006.627' });
    expect(classifyEntityNumber('0417.390.704').kind).toBe('invalid');
    expect(classifyEntityNumber('2.123.456.792').kind).toBe('invalid');
    expect(classifyEntityNumber('abc').kind).toBe('invalid');
  });
});

describe('display name', () => {
  it('prefers the Dutch legal name, then another legal name, then a commercial name', () => {
    expect(displayName([name('1', '001', 'Boulangerie'), name('2', '003', 'Bakkerij handelsnaam'), name('2', '001', 'Bakkerij')])).toBe('Bakkerij');
    expect(displayName([name('1', '001', 'Boulangerie'), name('2', '003', 'Bakkerij handelsnaam')])).toBe('Boulangerie');
    expect(displayName([name('0', '001', 'Janssens, An'), name('3', '001', 'Janssens GmbH')])).toBe('Janssens GmbH');
    expect(displayName([name('2', '002', 'BMZ'), name('1', '003', 'Maes Construction'), name('2', '003', 'Maes Bouw')])).toBe('Maes Bouw');
    expect(displayName([name('2', '004', 'Branch'), name('2', '002', 'ABBR')])).toBe('ABBR');
    expect(displayName([])).toBeNull();
  });

  it('does not depend on the order of the names', () => {
    const names = [name('1', '003', 'B'), name('1', '003', 'A'), name('4', '003', 'C')];
    expect(displayName(names)).toBe('A');
    expect(displayName([...names].reverse())).toBe('A');
  });
});

describe('the name search', () => {
  it('compares names in lowercase, without accents, with every run of other characters one space', () => {
    expect(searchableName("Brasserie L'Étoile B.V.")).toBe('brasserie l etoile b v');
    expect(searchableName('  Bouwwerken Maes & Zonen ')).toBe('bouwwerken maes zonen');
    expect(searchableName('Peeters "Het Gouden Brood"')).toBe('peeters het gouden brood');
    expect(searchableName('ÇA VA Ölçü Ñandú')).toBe('ca va olcu nandu');
    expect(searchableName('ﬁets２go')).toBe('fiets2go');
    expect(searchableName('Søren Ærø straße')).toBe('søren ærø straße');
    expect(searchableName('--')).toBe('');
  });

  const seat = (postcode: string | null, country: string | null = null) => ({ postcode, country });

  it('indexes the main name at the postcode of a Belgian main address', () => {
    const names = [name('1', '001', 'Boulangerie Peeters'), name('2', '001', 'Bakkerij Peeters'), name('2', '003', 'Het Gouden Brood')];
    expect(nameIndexEntry({ typeOfEnterprise: '2', names, mainAddress: seat('9000') })).toEqual({ postcode: '9000', name: 'bakkerij peeters' });
    expect(nameIndexEntry({ names: [name('2', '003', 'Mega World Heist')], mainAddress: seat('2220') })).toEqual({
      postcode: '2220',
      name: 'mega world heist',
    });
  });

  it('never indexes an enterprise of a natural person, nor an entity without a name or a Belgian postcode', () => {
    const names = [name('0', '001', 'Janssens, An')];
    expect(nameIndexEntry({ typeOfEnterprise: '1', names, mainAddress: seat('2800') })).toBeUndefined();
    expect(nameIndexEntry({ typeOfEnterprise: '0', names, mainAddress: seat('2800') })).toEqual({ postcode: '2800', name: 'janssens an' });
    expect(nameIndexEntry({ typeOfEnterprise: '2', names: [], mainAddress: seat('2800') })).toBeUndefined();
    expect(nameIndexEntry({ typeOfEnterprise: '2', names: [name('2', '001', '...')], mainAddress: seat('2800') })).toBeUndefined();
    expect(nameIndexEntry({ typeOfEnterprise: '2', names, mainAddress: seat('59000', 'Frankrijk') })).toBeUndefined();
    expect(nameIndexEntry({ typeOfEnterprise: '2', names, mainAddress: seat(null) })).toBeUndefined();
    expect(nameIndexEntry({ typeOfEnterprise: '2', names, mainAddress: undefined })).toBeUndefined();
  });

  it('answers only active enterprises, never one of a natural person, however they were found', () => {
    expect(answersNameSearch({ status: 'active', typeOfEnterprise: '2' })).toBe(true);
    expect(answersNameSearch({ status: 'active', typeOfEnterprise: '0' })).toBe(true);
    expect(answersNameSearch({ status: 'active', typeOfEnterprise: '1' })).toBe(false);
    expect(answersNameSearch({ status: 'stopped', typeOfEnterprise: '2' })).toBe(false);
  });
});

describe('records', () => {
  it('maps an enterprise row and keeps the extract number', () => {
    expect(
      toEnterpriseRecord(
        {
          enterpriseNumber: '1098.765.421',
          status: 'AC',
          juridicalSituation: '000',
          typeOfEnterprise: '1',
          juridicalForm: null,
          juridicalFormCac: null,
          startDate: '2024-04-01',
        },
        392,
      ),
    ).toEqual({
      enterpriseNumber: '1098.765.421',
      status: 'active',
      juridicalSituation: '000',
      typeOfEnterprise: '1',
      juridicalForm: null,
      startDate: '2024-04-01',
      kboExtractNumber: 392,
    });
  });

  it('keeps both languages of an address and shows Dutch, falling back to French', () => {
    const record = toAddressRecord({
      entity: { kind: 'enterprise', number: '0712.345.630' },
      typeOfAddress: 'REGO',
      countryNL: null,
      countryFR: 'France',
      zipcode: '59000',
      municipalityNL: null,
      municipalityFR: 'Lille',
      streetNL: 'Nationalestraat',
      streetFR: 'Rue Nationale',
      houseNumber: '3',
      box: null,
      extraAddressInfo: null,
      dateStrikingOff: '2026-05-12',
    });
    expect(record).toMatchObject({
      entityNumber: '0712.345.630',
      country: 'France',
      municipality: { nl: null, fr: 'Lille' },
      street: { nl: 'Nationalestraat', fr: 'Rue Nationale' },
      struckOffOn: '2026-05-12',
    });
    expect(presentAddress(record)).toEqual({
      street: 'Nationalestraat',
      houseNumber: '3',
      box: null,
      postcode: '59000',
      municipality: 'Lille',
      country: 'France',
      extraAddressInfo: null,
      struckOffOn: '2026-05-12',
    });
    expect(presentAddress({ ...record, extra: 'Ingang Kerkstraat' }).extraAddressInfo).toBe('Ingang Kerkstraat');
  });
});
