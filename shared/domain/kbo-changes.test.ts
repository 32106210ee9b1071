import { describe, expect, it } from 'vitest';
import type { Address } from './kbo.ts';
import {
  addCounts,
  addressDiffers,
  allowedDecisions,
  changeId,
  changeIdPattern,
  changeRecords,
  decisionEffect,
  decisionStep,
  emptyCounts,
  describeChange,
  detectChanges,
  endsActivity,
  partnershipTask,
  describeGap,
  planRun,
  sliceCountFor,
  sliceOf,
  type DetectedChange,
  type EntityState,
} from './kbo-changes.ts';
import { taskTypes } from './tasks.ts';

const gent: Address = {
  street: 'Kouter',
  houseNumber: '12',
  box: null,
  postcode: '9000',
  municipality: 'Gent',
  country: null,
  extraAddressInfo: null,
  struckOffOn: null,
};
const est = (over: Partial<EntityState> = {}): EntityState => ({
  kind: 'establishment',
  number: '2.123.456.791',
  enterpriseNumber: '0412.345.614',
  status: 'active',
  address: gent,
  name: 'Bakkerij Peeters',
  juridicalSituation: null,
  ...over,
});

describe('detectChanges', () => {
  it('reports nothing for an unknown entity, an unchanged one, or one already stopped', () => {
    expect(detectChanges(undefined, est())).toEqual([]);
    expect(detectChanges(est(), est())).toEqual([]);
    expect(detectChanges(est({ status: 'stopped' }), undefined)).toEqual([]);
  });

  it('ignores a re-statement that differs only in case and blanks', () => {
    expect(detectChanges(est(), est({ address: { ...gent, street: ' KOUTER ' } }))).toEqual([]);
  });

  it('reports an address change with old and new address', () => {
    const moved = { ...gent, street: 'Brusselsesteenweg', houseNumber: '250', postcode: '9050' };
    expect(detectChanges(est(), est({ address: moved }))).toMatchObject([{ kind: 'addressChanged', oldAddress: gent, newAddress: moved }]);
  });

  it('reports an ex officio strike-off as its own kind; a strike-off lifted again is an address change', () => {
    const struckOff = { ...gent, struckOffOn: '2026-05-12' };
    expect(addressDiffers(gent, struckOff)).toBe(true);
    expect(detectChanges(est(), est({ address: struckOff }))).toMatchObject([{ kind: 'addressStruckOff', oldAddress: gent, newAddress: struckOff }]);
    expect(detectChanges(est({ address: struckOff }), est())).toMatchObject([{ kind: 'addressChanged' }]);
    expect(describeChange({ kind: 'addressStruckOff', entity: { kind: 'establishment', number: '2.123.456.791' }, newEnterpriseNumber: null })).toBe(
      'Adres doorgehaald vestiging 2.123.456.791',
    );
  });

  it('counts a change of the extra address information only as an address change', () => {
    expect(detectChanges(est(), est({ address: { ...gent, extraAddressInfo: 'Ingang Kerkstraat' } }))).toMatchObject([{ kind: 'addressChanged' }]);
  });

  it('does not call a missing new address a move', () => {
    expect(detectChanges(est(), est({ address: null }))).toEqual([]);
  });

  it('reports a stop when the entity leaves KBO or is no longer active, with the last juridical situation', () => {
    expect(detectChanges(est({ kind: 'enterprise', number: '0412.345.614', juridicalSituation: '050' }), undefined)).toMatchObject([
      { kind: 'stopped', lastJuridicalSituation: '050', newAddress: null },
    ]);
    expect(detectChanges(est(), est({ status: 'stopped' }))).toMatchObject([{ kind: 'stopped' }]);
  });

  it('reports a name change and a move to another enterprise together', () => {
    const changes = detectChanges(est(), est({ name: 'Brood & Co', enterpriseNumber: '0712.345.630' }));
    expect(changes.map((c) => c.kind)).toEqual(['movedToEnterprise', 'nameChanged']);
    expect(changes[0]).toMatchObject({ newEnterpriseNumber: '0712.345.630' });
  });
});

describe('a juridical situation that ends the activity', () => {
  it('is dissolution, liquidation, bankruptcy or a closed situation, not a moratorium or a merger', () => {
    for (const code of ['012', '050', '014']) expect(endsActivity(code)).toBe(true);
    for (const code of ['000', '091', '021', null]) expect(endsActivity(code)).toBe(false);
  });

  it('reports a stop once, when the enterprise enters it, and its later changes as usual', () => {
    const enterprise = est({ kind: 'enterprise', number: '0412.345.614', juridicalSituation: '000' });
    const bankrupt = { ...enterprise, juridicalSituation: '050' };
    expect(detectChanges(enterprise, bankrupt)).toMatchObject([{ kind: 'stopped', lastJuridicalSituation: '050', newAddress: null }]);
    expect(detectChanges(bankrupt, { ...bankrupt, juridicalSituation: '012' })).toEqual([]);
    const moved = { ...gent, street: 'Kouter', houseNumber: '1' };
    expect(detectChanges(bankrupt, { ...bankrupt, address: moved })).toMatchObject([{ kind: 'addressChanged', newAddress: moved }]);
    expect(
      describeChange({ kind: 'stopped', entity: { kind: 'enterprise', number: '0412.345.614' }, newEnterpriseNumber: null, lastJuridicalSituation: '050' }),
    ).toBe('Stopzetting onderneming 0412.345.614 (faillissement)');
    expect(
      describeChange({ kind: 'stopped', entity: { kind: 'enterprise', number: '0412.345.614' }, newEnterpriseNumber: null, lastJuridicalSituation: '000' }),
    ).toBe('Stopzetting onderneming 0412.345.614');
  });
});

describe('partnershipTask', () => {
  it('gives each kind of change its own task type, titled as the dashboard lists it', () => {
    const tasks = (['addressChanged', 'addressStruckOff', 'stopped', 'movedToEnterprise', 'nameChanged'] as const).map((kind) => partnershipTask(kind));
    expect(tasks.map((t) => t.type)).toEqual(['processAddressChange', 'processAddressStrikeOff', 'processStop', 'processTransfer', 'processNameChange']);
    expect(partnershipTask('addressStruckOff')).toEqual({ type: 'processAddressStrikeOff', title: 'Adres doorgehaald', decisions: ['keep', 'revoke'] });
    for (const t of tasks) expect(t.title).toBe(taskTypes[t.type]);
    // A new name is acknowledged, not decided: it cannot cost the recognition.
    expect(partnershipTask('nameChanged').decisions).toEqual(['keep']);
  });
});

describe('change ids', () => {
  it('are deterministic and match the path pattern', () => {
    const id = changeId(392, { kind: 'addressChanged', entity: { kind: 'establishment', number: '2.123.456.791' } }, 'horeca');
    expect(id).toBe('K000392-2123456791-addressChanged-horeca');
    expect(changeIdPattern.test(id)).toBe(true);
  });
});

describe('decisionEffect', () => {
  it('moves the workplace on keep after an establishment address change, revokes on revoke', () => {
    const change = {
      kind: 'addressChanged' as const,
      entity: { kind: 'establishment' as const, number: '2.123.456.791' },
      newAddress: { ...gent, postcode: '9050' },
      newName: null,
    };
    expect(decisionEffect(change, 'keep')).toEqual({ action: 'moveWorkplace', postcode: '9050', municipality: 'Gent' });
    expect(decisionEffect(change, 'revoke')).toEqual({ action: 'revoke' });
    expect(decisionEffect({ ...change, kind: 'stopped' }, 'keep')).toEqual({ action: 'none' });
  });
});

describe('planRun', () => {
  const f = (n: number) => ({ key: `KboOpenData_${String(n).padStart(4, '0')}_2026_06_${n}_Update.zip`, extractNumber: n });

  it('takes the files after the last applied extract in order, each number once', () => {
    expect(planRun([f(5), f(3), f(4), f(2), f(4)], 2)).toEqual({ files: [f(3), f(4), f(5)], gap: null });
  });

  it('stops at a gap, keeping the files before it', () => {
    expect(planRun([f(3), f(5)], 2)).toEqual({ files: [f(3)], gap: { expected: 4, found: 5 } });
    expect(planRun([f(5)], 2)).toEqual({ files: [], gap: { expected: 3, found: 5 } });
  });

  it('needs a full import first', () => {
    expect(planRun([f(3)], undefined).gap).toEqual({ expected: 1, found: 3 });
    expect(planRun([], undefined)).toEqual({ files: [], gap: null });
  });
});

describe('describeGap', () => {
  it('names the last applied extract, the missing numbers (a long run as a range) and the first waiting file', () => {
    expect(describeGap({ expected: 4, found: 6 }, 3, 'KboOpenData_0006_2026_06_07_Update.zip')).toContain(
      'last applied extract: 3; missing: 4, 5; first waiting file: KboOpenData_0006_2026_06_07_Update.zip',
    );
    expect(describeGap({ expected: 4, found: 40 }, 3, 'x.zip')).toContain('missing: 4 to 39 (36 extracts)');
    expect(describeGap({ expected: 1, found: 3 }, undefined, 'x.zip')).toContain('last applied extract: none; first waiting file: x.zip');
  });
});

describe('slices', () => {
  it('spread entities over a bounded number of slices', () => {
    expect(sliceCountFor(0, 1000)).toBe(1);
    expect(sliceCountFor(2500, 1000)).toBe(3);
    expect(sliceOf('2123456791', 3)).toBe(2123456791 % 3);
  });
});

describe('changeRecords', () => {
  const moved: DetectedChange = {
    kind: 'addressChanged',
    entity: { kind: 'establishment', number: '2.123.456.791' },
    enterpriseNumber: '0412.345.614',
    oldAddress: gent,
    newAddress: { ...gent, postcode: '9050' },
    oldName: null,
    newName: null,
    newEnterpriseNumber: null,
    lastJuridicalSituation: null,
  };
  const source = {
    extractNumber: 392,
    snapshotDate: '2026-06-14',
    fileName: 'KboOpenData_0392_2026_06_15_Update.zip',
    slice: 3,
    detectedAt: '2026-06-15T03:00:00.000Z',
  };
  const recognition = (id: string, establishmentNumber: string, partnershipId: string) => ({
    id,
    establishmentNumber,
    programmeId: 'kok-duaal',
    partnershipId,
  });

  it('makes one open record per partnership with active recognitions on the establishments concerned', () => {
    const on: Record<string, ReturnType<typeof recognition>[]> = {
      '2123456791': [recognition('E/1', '2.123.456.791', 'horeca'), recognition('E/2', '2.123.456.791', 'bouw')],
      '2200000184': [recognition('E/3', '2.200.000.184', 'horeca')],
    };
    const { records, withoutRecognitions } = changeRecords([{ change: moved, establishments: ['2123456791', '2200000184'] }], (d) => on[d] ?? [], source);
    expect(withoutRecognitions).toBe(0);
    expect(records).toEqual([
      {
        ...moved,
        ...source,
        id: 'K000392-2123456791-addressChanged-horeca',
        partnershipId: 'horeca',
        recognitions: [
          { id: 'E/1', establishmentNumber: '2.123.456.791', programmeId: 'kok-duaal' },
          { id: 'E/3', establishmentNumber: '2.200.000.184', programmeId: 'kok-duaal' },
        ],
        status: 'open',
        decision: null,
        version: 1,
      },
      expect.objectContaining({ id: 'K000392-2123456791-addressChanged-bouw', recognitions: [expect.objectContaining({ id: 'E/2' })] }),
    ]);
  });

  it('only counts a change nobody needs to decide on', () => {
    expect(changeRecords([{ change: moved, establishments: ['2123456791'] }], () => [], source)).toEqual({ records: [], withoutRecognitions: 1 });
  });
});

describe('decisionStep', () => {
  const open = { kind: 'addressChanged' as const, status: 'open' as const, decision: null, version: 3 };
  const decided = {
    ...open,
    status: 'decided' as const,
    decision: { decision: 'revoke' as const, reasons: 'Gestopt volgens KBO.', by: 'x', at: 'y' },
    version: 4,
  };

  it('decides an open change at the version read', () => {
    expect(decisionStep(open, 'keep', 3)).toBe('decide');
    expect(decisionStep(open, 'revoke', 3)).toBe('decide');
  });

  it('refuses another version, a decision the kind does not offer, and another decision than the one taken', () => {
    expect(decisionStep(open, 'keep', 2)).toBe('version-conflict');
    expect(decisionStep({ ...open, kind: 'nameChanged' }, 'revoke', 3)).toBe('decision-not-allowed');
    expect(decisionStep(decided, 'keep', 4)).toBe('decided-otherwise');
  });

  it('answers a retry of the decision taken as a repeat, whatever version it names', () => {
    expect(decisionStep(decided, 'revoke', 3)).toBe('repeat');
  });

  it('offers the decisions of the kind while open, none once decided', () => {
    expect(allowedDecisions(open)).toEqual(['keep', 'revoke']);
    expect(allowedDecisions({ kind: 'nameChanged', status: 'open' })).toEqual(['keep']);
    expect(allowedDecisions(decided)).toEqual([]);
  });
});

describe('sync counts', () => {
  it('add up field by field, a count missing on an old checkpoint from zero', () => {
    const { changes: _missing, ...old } = { ...emptyCounts(), rows: 5, changes: 1 };
    expect(addCounts(old, { ...emptyCounts(), rows: 2, changes: 3 })).toEqual({ ...emptyCounts(), rows: 7, changes: 3 });
  });
});
