// Fixtures of the agreements tests: a recognised workplace with its mentors, and the body of a work version
// that passes the pre-flight check on it (Mega World Heist, verkoper-duaal, an OAO from 1 September 2027).
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { Dependencies } from '../../../shared/adapters/dependencies.ts';
import { type Recognition, recognitionItem } from '../../../shared/data/recognitions.ts';
import type { Actor, given } from './given.ts';
import { nationalNumberFor } from './national-numbers.ts';

export function recognitionFixture(over: Partial<Recognition>): Recognition {
  return {
    id: 'E/20260101/000001',
    applicationId: ulid(),
    enterpriseNumber: '0417.390.703',
    establishmentNumber: '2.123.456.791',
    programmeId: 'verkoper-duaal',
    partnershipId: 'handel',
    startDate: '2026-01-01',
    endDate: '2030-12-31',
    status: 'active',
    mentors: [],
    pendingMentors: [],
    placeAvailable: true,
    contactEmails: ['hr@megaworld.test'],
    revocation: null,
    workplace: { name: 'Mega World Heist', postcode: '2220', municipality: 'Heist-op-den-Berg', sector: 'handel', programmeName: 'Verkoper duaal' },
    decidedBy: 'demo-els',
    decidedAt: '2026-01-01T10:00:00.000Z',
    version: 1,
    ...over,
  };
}

/** A recognition written as the decision writes its item (without the decision's lock and links). */
export async function putRecognition(deps: Dependencies, recognition: Recognition): Promise<void> {
  await deps.db.send(new PutCommand({ TableName: deps.config.TABLE_NAME, Item: recognitionItem(recognition) }));
}

/** An active mentor with nothing left to do for the mentor training. */
export const mentorFixture = (id: string, name: string) => ({
  id,
  name,
  birthDate: '1980-01-01',
  active: true,
  withdrawn: false,
  trainingDeadline: null,
  trainingCompletedOn: null,
  trainingExempted: false,
});

export const learnerAddress = { street: 'Kerkstraat', houseNumber: '5', box: null, postcode: '8000', municipality: 'Brugge' };

/** The body of `POST /v1/agreements` for `mentorId`; `over` replaces top-level fields, `learner` the learner's. */
export function draftBody(mentorId: string, over: Record<string, unknown> = {}, learner: Record<string, unknown> = {}) {
  return {
    learner: {
      firstName: 'Lena',
      lastName: 'Janssens',
      nationalNumber: nationalNumberFor('2010-03-15', 1),
      address: learnerAddress,
      legalRepresentative: { name: 'Marc Janssens', address: learnerAddress },
      iban: 'BE71096123456769',
      premiumConsent: true,
      priorEducationTier: 2,
      firstTwoYearsSecondaryCompleted: true,
      paid: true,
      ...learner,
    },
    enterpriseNumber: '0417.390.703',
    establishmentNumber: '2.123.456.791',
    enterpriseRepresentative: 'Jan Van Mega',
    enterpriseBankAccount: { iban: 'BE68539007547034', consent: true },
    mentorId,
    programmeId: 'verkoper-duaal',
    trajectoryYear: 1,
    lessonLocationId: 'campus-brugge-zuid',
    providerRepresentative: 'Directeur Campus Brugge',
    startDate: '2027-09-01',
    endDate: '2028-06-30',
    weeklyHours: { enterpriseFullTime: 38, school: 16, workplace: 22 },
    ...over,
  };
}

/** The four annexes registration needs, uploaded and verified by `upload` (given-steps' verifiedDocument). */
export async function allAnnexes(upload: (kind: string) => Promise<string>): Promise<Record<string, string>> {
  return {
    schedule: await upload('schedule'),
    trainingPlan: await upload('trainingPlan'),
    learnerPremiumConsent: await upload('learnerPremiumConsent'),
    signedAgreement: await upload('signedAgreement'),
  };
}

/** A work version of `body` by `counsellor`, with its annexes, registered over the API: the registered agreement. */
export async function registeredAgreement(g: ReturnType<typeof given>, counsellor: Actor, body: Record<string, unknown>) {
  const created = await g.ok(201, counsellor, 'POST', '/v1/agreements', body);
  const attached = await g.ok(
    200,
    counsellor,
    'PUT',
    `/v1/agreements/${created.id}/annexes`,
    await allAnnexes((kind) => g.verifiedDocument(counsellor, kind)),
    created.version,
  );
  return g.ok(200, counsellor, 'POST', `/v1/agreements/${created.id}/register`, {}, attached.version);
}
