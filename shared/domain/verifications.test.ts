// The verification rules on their edge cases: which recognition answers for a date, its status on that date, and
// the order of the answers that are not "recognised".
import { describe, expect, it } from 'vitest';
import type { Recognition, RecognitionMentor } from './recognitions.ts';
import { placeOf, recognitionFor, statusOn, verifyRecognition } from './verifications.ts';

const mentor: RecognitionMentor = {
  id: 'm1',
  name: 'M',
  birthDate: undefined,
  active: true,
  withdrawn: false,
  trainingDeadline: null,
  trainingCompletedOn: null,
  trainingExempted: false,
};
const recognitionFixture = (n: number, over: Partial<Recognition>): Recognition => ({
  id: `E/20260101/${String(n).padStart(6, '0')}`,
  applicationId: `A${n}`,
  enterpriseNumber: '0412.345.614',
  establishmentNumber: '2.123.456.791',
  programmeId: 'verkoper-duaal',
  partnershipId: 'handel',
  startDate: '2026-01-01',
  endDate: '2030-12-31',
  status: 'active',
  mentors: [],
  pendingMentors: [],
  placeAvailable: true,
  contactEmails: [],
  revocation: null,
  workplace: { name: null, postcode: null, municipality: null, sector: 'handel', programmeName: 'Verkoper' },
  decidedBy: 'test',
  decidedAt: '2026-01-01T10:00:00Z',
  version: 1,
  ...over,
});
const first = recognitionFixture(1, { startDate: '2021-01-01', endDate: '2025-12-31', status: 'expired', mentors: [mentor] });
const renewal = recognitionFixture(2, { startDate: '2026-01-01', endDate: '2030-12-31', mentors: [mentor] });
const establishment = { establishmentNumber: '2.123.456.791', enterpriseNumber: '0412.345.614', status: 'active' as const };

describe('recognitionFor', () => {
  it('takes the one covering the date, else the latest before it, else the first after it', () => {
    expect(recognitionFor([renewal, first], '2025-12-31')?.id).toBe(first.id);
    expect(recognitionFor([renewal, first], '2026-01-01')?.id).toBe(renewal.id);
    expect(recognitionFor([renewal, first], '2031-06-01')?.id).toBe(renewal.id);
    expect(recognitionFor([renewal, first], '2020-06-01')?.id).toBe(first.id);
    expect(recognitionFor([], '2026-01-01')).toBeUndefined();
  });

  it('passes over a recognition revoked by the date for one that covers it', () => {
    const revoked = { ...renewal, status: 'revoked' as const, revocation: { sanctionId: 's', reasons: 'r', at: '2026-03-01T10:00:00Z' } };
    const next = recognitionFixture(3, { startDate: '2026-06-01', endDate: '2031-05-31', mentors: [mentor] });
    expect(recognitionFor([revoked, next], '2026-07-01')?.id).toBe(next.id);
    expect(recognitionFor([revoked, next], '2026-02-01')?.id).toBe(revoked.id);
  });
});

describe('statusOn', () => {
  it('is revoked from the day of the revocation, expired after the end, suspended without a mentor who counts', () => {
    const revoked = { ...renewal, status: 'revoked' as const, revocation: { sanctionId: 's', reasons: 'r', at: '2026-03-01T10:00:00Z' } };
    expect(statusOn(revoked, '2026-02-28')).toBe('active');
    expect(statusOn(revoked, '2026-03-01')).toBe('revoked');
    expect(statusOn(first, '2024-01-01')).toBe('active');
    expect(statusOn(first, '2026-01-01')).toBe('expired');
    expect(statusOn({ ...renewal, mentors: [{ ...mentor, active: false }] }, '2026-05-01')).toBe('suspended');
    expect(statusOn({ ...renewal, mentors: [{ ...mentor, withdrawn: true }] }, '2026-05-01')).toBe('suspended');
    expect(statusOn({ ...renewal, mentors: [{ ...mentor, trainingDeadline: '2026-04-30' }] }, '2026-05-01')).toBe('suspended');
  });
});

describe('verifyRecognition', () => {
  it('answers unknown before closed before never recognised before the date', () => {
    expect(verifyRecognition({ establishment: undefined, enterpriseStatus: undefined, recognitions: [renewal] }, '2026-05-01').result).toBe(
      'unknownEstablishment',
    );
    expect(verifyRecognition({ establishment, enterpriseStatus: 'stopped', recognitions: [renewal] }, '2026-05-01')).toMatchObject({
      result: 'closed',
      validOnDate: false,
    });
    expect(
      verifyRecognition({ establishment: { ...establishment, status: 'stopped' }, enterpriseStatus: 'active', recognitions: [] }, '2026-05-01').result,
    ).toBe('closed');
    expect(verifyRecognition({ establishment, enterpriseStatus: 'active', recognitions: [] }, '2026-05-01').result).toBe('neverRecognised');
    expect(verifyRecognition({ establishment, enterpriseStatus: 'active', recognitions: [renewal] }, '2026-05-01').result).toBe('recognised');
    expect(verifyRecognition({ establishment, enterpriseStatus: 'active', recognitions: [renewal] }, '2025-05-01')).toMatchObject({
      result: 'notRecognisedOnDate',
      status: 'active',
      validOnDate: false,
    });
  });
});

describe('placeOf', () => {
  const places = { capacity: { mentor: 1, establishment: 2 }, establishmentUsed: 0, mentorUsed: () => 0 };
  it('needs an active recognition, the enterprise flag, room at the establishment and a mentor with room', () => {
    expect(placeOf(renewal, 'active', places, '2026-05-01')).toEqual({ placeFree: true, establishmentFreePlaces: 2 });
    expect(placeOf(renewal, 'suspended', places, '2026-05-01').placeFree).toBe(false);
    expect(placeOf({ ...renewal, placeAvailable: false }, 'active', places, '2026-05-01').placeFree).toBe(false);
    expect(placeOf(renewal, 'active', { ...places, establishmentUsed: 2 }, '2026-05-01')).toEqual({ placeFree: false, establishmentFreePlaces: 0 });
    expect(placeOf(renewal, 'active', { ...places, mentorUsed: () => 1 }, '2026-05-01').placeFree).toBe(false);
    expect(placeOf(renewal, 'active', { ...places, capacity: { mentor: 1, establishment: null } }, '2026-05-01')).toEqual({
      placeFree: true,
      establishmentFreePlaces: null,
    });
  });
});
