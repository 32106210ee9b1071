// The fixtures of the recognitions' daily-job tests (feed events, retention): a Mega World file for Handel, a
// recognition's mentor, and a recognition stored as a decision stores it, with the entry of the month it ends in
// (what the daily job reads).
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { Dependencies } from '../../../shared/adapters/dependencies.ts';
import type { Application } from '../../../shared/data/applications.ts';
import { recognitionEndsItem, recognitionItem, type Recognition, type RecognitionMentor } from '../../../shared/data/recognitions.ts';

/** A new file of Mega World at Heist for Handel, under review, without mentors or documents; `over` replaces fields. */
export function fileFixture(over: Partial<Application> = {}): Application {
  return {
    id: ulid(),
    kind: 'new',
    renewsRecognitionId: null,
    enterpriseNumber: '0417.390.703',
    establishmentNumber: '2.123.456.791',
    programmeId: 'verkoper-duaal',
    jointCommittee: null,
    contactEmails: ['hr@megaworld.test'],
    criteria: { financialCapacity: true, organisationAndEquipment: true, noConvictions: true, commitments: true },
    mentors: [],
    documents: [],
    bankAccount: null,
    filedBy: { organisationKey: 'enterprise:0417390703', userId: 'u', role: 'enterprise', providerId: null },
    status: 'underReview',
    partnershipId: 'handel',
    reviewRound: 1,
    submittedAt: null,
    clockStartedAt: null,
    reminderSentAt: null,
    escalatedAt: null,
    overdue: false,
    completionRequest: null,
    pauseReason: null,
    proposal: null,
    decision: null,
    createdAt: '2026-10-01T00:00:00.000Z',
    updatedAt: '2026-10-01T00:00:00.000Z',
    version: 1,
    ...over,
  };
}

/** An active mentor of a recognition, trained (no deadline), without a birth date unless `over` gives one. */
export const recognitionMentor = (over: Partial<RecognitionMentor> = {}): RecognitionMentor => ({
  id: ulid(),
  name: 'Mieke Mentor',
  birthDate: undefined,
  active: true,
  withdrawn: false,
  trainingDeadline: null,
  trainingCompletedOn: null,
  trainingExempted: false,
  ...over,
});

/** Stores the recognition and its end-month entry, as the decision does. */
export async function putEndingRecognition(deps: Dependencies, r: Recognition): Promise<Recognition> {
  await deps.db.send(new PutCommand({ TableName: deps.config.TABLE_NAME, Item: recognitionItem(r) }));
  await deps.db.send(new PutCommand({ TableName: deps.config.TABLE_NAME, Item: recognitionEndsItem(r) }));
  return r;
}
