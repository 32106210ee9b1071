// Retention of mentor data, against the emulators: a year after a recognition ended (revoked or expired), the
// daily job erases its mentors' birth dates from the recognition and from the file it came from, once.
import { beforeAll, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { createTestEnvironment, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { createApplication, getApplication } from '../../shared/data/applications.ts';
import { getRecognition, type Recognition } from '../../shared/data/recognitions.ts';
import { fileFixture, putEndingRecognition, recognitionMentor } from '../../infra/local/testing/recognition-files.ts';
import { creation, systemActor } from '../../shared/domain/recognitions.ts';
import { createDailyJob } from './daily.ts';

let env: TestEnvironment;

const mentor = recognitionMentor({ birthDate: '1980-01-01' });

async function endedRecognition(over: Partial<Recognition>): Promise<Recognition> {
  const applicationId = ulid();
  const application = fileFixture({
    id: applicationId,
    mentors: [
      {
        id: mentor.id,
        name: mentor.name,
        nationalNumber: '80.01.01-***.**',
        nationalNumberErased: true,
        birthDate: '1980-01-01',
        yearsOfExperience: 10,
        proofDocumentId: null,
        criminalRecordExtract: null,
      },
    ],
    status: 'recognised',
    createdAt: '2021-01-01T00:00:00.000Z',
    updatedAt: '2021-01-01T00:00:00.000Z',
  });
  await createApplication(env.deps, application, creation(application, systemActor));
  const recognition: Recognition = {
    id: `E/20210101/${String(Math.floor(Math.random() * 999999)).padStart(6, '0')}`,
    applicationId,
    enterpriseNumber: '0417.390.703',
    establishmentNumber: '2.123.456.791',
    programmeId: 'verkoper-duaal',
    partnershipId: 'handel',
    startDate: '2021-01-01',
    endDate: '2025-12-31',
    status: 'expired',
    mentors: [mentor],
    pendingMentors: [],
    placeAvailable: false,
    contactEmails: ['hr@megaworld.test'],
    revocation: null,
    workplace: { name: 'Mega World Heist', postcode: '2220', municipality: 'Heist-op-den-Berg', sector: 'handel', programmeName: 'Verkoper duaal' },
    decidedBy: 'x',
    decidedAt: '2021-01-01T00:00:00.000Z',
    version: 1,
    ...over,
  };
  return putEndingRecognition(env.deps, recognition);
}

beforeAll(async () => {
  env = await createTestEnvironment();
});

describe('mentor data of an ended recognition', () => {
  it('keeps the birth dates for a year after the end, then erases them from the recognition and its file, once', async () => {
    const expired = await endedRecognition({});
    const revoked = await endedRecognition({
      status: 'revoked',
      endDate: '2028-06-30',
      revocation: { sanctionId: 'S', reasons: 'Sanctie', at: '2026-03-10T10:00:00.000Z' },
    });
    const job = createDailyJob(env.deps);
    expect((await job({ today: '2026-12-30' })).mentorDataErased).toBe(0);
    expect((await job({ today: '2026-12-31' })).mentorDataErased).toBe(1);
    const erased = (await getRecognition(env.deps, expired.id))!.mentors[0]!;
    expect([erased.name, erased.birthDate]).toEqual(['Mieke Mentor', undefined]);
    expect((await getApplication(env.deps, expired.applicationId))!.mentors[0]!.birthDate).toBeUndefined();
    expect((await getRecognition(env.deps, revoked.id))!.mentors[0]!.birthDate).toBe('1980-01-01');
    expect((await job({ today: '2027-03-10' })).mentorDataErased).toBe(1);
    expect((await getRecognition(env.deps, revoked.id))!.mentors[0]!.birthDate).toBeUndefined();
    expect((await job({ today: '2027-03-11' })).mentorDataErased).toBe(0);
  });
});
