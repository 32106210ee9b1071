// The authorization matrix per resource: every route that takes a resource id (in its path or its body) is
// called on a resource owned by one organisation, by anonymous callers, by a role the route does not allow, by
// users of another organisation of the same type (another enterprise, provider, partnership), and by the
// owner. Outsiders get a 403 or 404 that is not the role check and change nothing; the owner gets past them.
// The routes without an owner (reference data, singletons) are listed with the reason, and a route with a
// path parameter that is in neither list fails the test, so a new route cannot be forgotten.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../adapters/clock.ts';
import { getRecognition } from '../data/recognitions.ts';
import { getApplication } from '../data/applications.ts';
import { getAgreement } from '../data/agreements.ts';
import { getMandate } from '../data/mandates.ts';
import { putChanges, type KboChange } from '../data/kbo-changes.ts';
import { getSubscription } from '../data/webhooks.ts';
import { deliveryIdFor } from '../domain/webhooks.ts';
import { createApiWorld } from '../../infra/local/testing/api-world.ts';
import type { TestEnvironment } from '../../infra/local/testing/environment.ts';
import type { TestStepFunctions } from '../../infra/local/testing/step-functions.ts';
import { putEnterprise } from '../../infra/local/testing/kbo-fixtures.ts';
import { demo, recognitionPath, type Actor, type given, type Reply } from '../../infra/local/testing/given.ts';
import { nationalNumberFor } from '../../infra/local/testing/national-numbers.ts';
import { allRoutes } from '../../infra/topology.ts';
import { changeId } from '../domain/kbo-changes.ts';
import { isAllowed, type ActingOrganisation } from '../domain/organisations.ts';
import { demoUsers } from '../../infra/local/seed/users.ts';
import type { RouteDefinition } from './route.ts';

const clock = fixedClock('2026-12-02T08:00:00.000Z');
let env: TestEnvironment;
let sfn: TestStepFunctions;
let g: ReturnType<typeof given>;
const routes = allRoutes().map((r) => r.route);

/** What the cases refer to, made once through the API as the portal would. */
const world = {} as {
  documentOfJan: string;
  pendingUploadOfJan: string;
  mandateDocumentOfPieter: string;
  scheduleOfSofie: string;
  draftOfJan: { id: string; version: number };
  submittedToHandel: { id: string; version: number };
  filedByPieter: { id: string; version: number };
  recognitionOfHandel: string;
  mentorOfRecognition: string;
  pendingMentors: string[];
  rejectedByVpdl: string;
  appealOfJan: { id: string; version: number };
  agreementOfSofie: { id: string; version: number };
  kboChange: string;
  subscriptionOfHandel: { id: string; version: number };
};

const megaWorld = '0417390703';
const heist = '2.123.456.791';
const leuven = '2.200.000.382';
const hasselt = '2.200.000.481';

beforeAll(async () => {
  ({ env, sfn, g } = await createApiWorld(clock));
  await putEnterprise(env.deps, {
    number: '0412.345.614',
    name: 'Bakkerij Peeters',
    establishments: [{ number: '2.200.000.283', name: 'Bakkerij Peeters Gent', postcode: '9000', municipality: 'Gent' }],
  });

  world.documentOfJan = await g.verifiedDocument(demo.jan, 'other');
  world.pendingUploadOfJan = (
    await g.ok(201, demo.jan, 'POST', '/v1/documents', { kind: 'other', contentType: 'application/pdf', sizeBytes: 100, label: 'nog op te laden' })
  ).document.id;
  world.scheduleOfSofie = await g.verifiedDocument(demo.sofie, 'schedule');

  // A counsellor registers a mandate for Mega World on its own: registering one is not holding one.
  world.mandateDocumentOfPieter = await g.verifiedDocument(demo.pieter, 'mandate');
  await g.ok(201, demo.pieter, 'POST', '/v1/mandates', {
    enterpriseNumber: megaWorld,
    documentId: world.mandateDocumentOfPieter,
    enterpriseEmail: 'info@megaworld.test',
  });
  const declaration = await g.verifiedDocument(demo.pieter, 'declarationOnHonour');
  const filed = await g.filledApplication(demo.pieter, {
    enterpriseNumber: megaWorld,
    establishmentNumber: hasselt,
    programmeId: 'winkelbediende-duaal',
    documents: [{ kind: 'declarationOnHonour', documentId: declaration }],
  });
  world.filedByPieter = await g.ok(200, demo.pieter, 'POST', `/v1/applications/${filed.id}/submit`, undefined, filed.version);

  const recognised = await g.decided(
    await g.submitted(demo.jan, { enterpriseNumber: megaWorld, establishmentNumber: heist, programmeId: 'verkoper-duaal', jointCommittee: '311' }),
    demo.karim,
    demo.els,
    'recognised',
    '2026-12-15',
  );
  // The official number, as the table keys it; rec() gives the id of its path.
  world.recognitionOfHandel = recognised.recognition.number;
  world.mentorOfRecognition = recognised.recognition.mentors[0].id;
  world.draftOfJan = await g.filledApplication(demo.jan, { enterpriseNumber: megaWorld, establishmentNumber: leuven, programmeId: 'winkelbediende-duaal' });
  world.submittedToHandel = await g.submitted(demo.jan, {
    enterpriseNumber: megaWorld,
    establishmentNumber: leuven,
    programmeId: 'verkoper-duaal',
    jointCommittee: '311',
  });
  const rejected = await g.decided(
    await g.submitted(demo.jan, { enterpriseNumber: megaWorld, establishmentNumber: hasselt, programmeId: 'kinderbegeleider-duaal' }),
    demo.lotte,
    demo.lotte,
    'notRecognised',
  );
  world.rejectedByVpdl = rejected.id;
  world.appealOfJan = await g.ok(201, demo.jan, 'POST', '/v1/appeals', {
    against: { kind: 'decision', applicationId: rejected.id },
    grounds: 'De mentor heeft wel voldoende ervaring.',
    contactEmail: 'hr@megaworld.test',
  });

  world.pendingMentors = [];
  let version = (await getRecognition(env.deps, world.recognitionOfHandel))!.version;
  for (const name of ['Piet Nieuw', 'Paula Nieuw']) {
    const extract = await g.verifiedDocument(demo.jan, 'criminalRecordExtract');
    const requested = await g.ok(
      202,
      demo.jan,
      'POST',
      `/v1/recognitions/${recognitionPath(world.recognitionOfHandel)}/mentors`,
      {
        name,
        nationalNumber: '80.01.01-001.07',
        yearsOfExperience: 10,
        proofDocumentId: null,
        criminalRecordExtract: { documentId: extract, issuedOn: '2026-11-01' },
      },
      version,
    );
    version = requested.version;
    world.pendingMentors.push(requested.pendingMentors.at(-1).id);
  }

  world.agreementOfSofie = await g.ok(201, demo.sofie, 'POST', '/v1/agreements', agreementDraft());
  const change: KboChange = {
    id: changeId(10, { kind: 'addressChanged', entity: { kind: 'establishment', number: heist } }, 'handel'),
    kind: 'addressChanged',
    entity: { kind: 'establishment', number: heist },
    enterpriseNumber: '0417.390.703',
    oldAddress: {
      street: 'Stationsstraat',
      houseNumber: '1',
      box: null,
      postcode: '2220',
      municipality: 'Heist-op-den-Berg',
      country: null,
      extraAddressInfo: null,
      struckOffOn: null,
    },
    newAddress: {
      street: 'Kerkplein',
      houseNumber: '2',
      box: null,
      postcode: '2220',
      municipality: 'Heist-op-den-Berg',
      country: null,
      extraAddressInfo: null,
      struckOffOn: null,
    },
    oldName: null,
    newName: null,
    newEnterpriseNumber: null,
    lastJuridicalSituation: null,
    extractNumber: 10,
    snapshotDate: '2026-11-30',
    fileName: 'KboOpenData_0010_2026_11_30_Update.zip',
    slice: 0,
    partnershipId: 'handel',
    recognitions: [{ id: world.recognitionOfHandel, establishmentNumber: heist, programmeId: 'verkoper-duaal' }],
    status: 'open',
    decision: null,
    detectedAt: '2026-11-30T03:00:00.000Z',
    version: 1,
  };
  await putChanges(env.deps, [change]);
  world.kboChange = change.id;
  world.subscriptionOfHandel = await g.ok(201, demo.els, 'POST', '/v1/subscriptions', {
    url: 'https://hooks.handel.example/werkplek',
    eventTypes: ['recognition.revoked'],
  });
}, 120_000);

afterAll(async () => sfn?.close());

function agreementDraft() {
  const address = { street: 'Kerkstraat', houseNumber: '5', box: null, postcode: '8000', municipality: 'Brugge' };
  return {
    learner: {
      firstName: 'Lena',
      lastName: 'Janssens',
      nationalNumber: nationalNumberFor('2010-03-15', 1),
      address,
      legalRepresentative: { name: 'Marc Janssens', address },
      iban: 'BE71096123456769',
      premiumConsent: true,
      priorEducationTier: 2,
      firstTwoYearsSecondaryCompleted: true,
      paid: true,
    },
    enterpriseNumber: '0417.390.703',
    establishmentNumber: heist,
    enterpriseRepresentative: 'Jan Van Mega',
    enterpriseBankAccount: { iban: 'BE68539007547034', consent: true },
    mentorId: world.mentorOfRecognition,
    programmeId: 'verkoper-duaal',
    trajectoryYear: 1,
    lessonLocationId: 'campus-brugge-zuid',
    providerRepresentative: 'Directeur Campus Brugge',
    startDate: '2027-01-04',
    endDate: '2027-06-30',
    weeklyHours: { enterpriseFullTime: 38, school: 16, workplace: 22 },
  };
}

const applicationContent = () => ({
  criteria: { financialCapacity: true, organisationAndEquipment: true, noConvictions: true, commitments: true },
  mentors: [],
  documents: [],
  bankAccount: null,
});

type Case = {
  route: string;
  path: () => string;
  body?: () => unknown;
  /** The If-Match version for the owner; outsiders send "1" (their answer must not depend on it). */
  version?: () => number;
  owner: Actor;
  /** Users of other organisations of the same type as the owner (and of other types the rule allows). */
  outsiders: Actor[];
  /** Answers an outsider may get besides 403 and 404, e.g. 422 for someone else's document named in a body. */
  outsiderStatuses?: number[];
  /** The stored resource, read before and after the outsiders' calls: they must not change it. */
  state?: () => Promise<unknown>;
};

const rec = () => recognitionPath(world.recognitionOfHandel);
const recognitionState = () => getRecognition(env.deps, world.recognitionOfHandel);
const applicationState = (id: () => string) => () => getApplication(env.deps, id());
const agreementState = () => getAgreement(env.deps, world.agreementOfSofie.id, '2026-12-02');
const agreement = () => `/v1/agreements/${world.agreementOfSofie.id}`;
const reasons = 'Na begeleiding blijven de problemen bestaan.';

/** In order: the owners' calls change state, so the ones that end a resource come last. */
const cases: Case[] = [
  { route: 'GET /v1/enterprises/{enterpriseNumber}', path: () => '/v1/enterprises/0417.390.703', owner: demo.jan, outsiders: [demo.an, demo.sofie] },
  {
    route: 'GET /v1/documents/{id}',
    path: () => `/v1/documents/${world.documentOfJan}`,
    owner: demo.jan,
    outsiders: [demo.an, demo.sofie, demo.karim, demo.dirk],
  },
  {
    route: 'POST /v1/documents/{id}/complete',
    path: () => `/v1/documents/${world.pendingUploadOfJan}/complete`,
    owner: demo.jan,
    outsiders: [demo.an, demo.pieter],
  },
  {
    route: 'POST /v1/mandates',
    path: () => '/v1/mandates',
    body: () => ({ enterpriseNumber: '0412345614', documentId: world.mandateDocumentOfPieter, enterpriseEmail: 'info@peeters.test' }),
    owner: demo.pieter,
    outsiders: [demo.sofie],
    outsiderStatuses: [422],
  },
  {
    route: 'POST /v1/applications',
    path: () => '/v1/applications',
    body: () => ({ enterpriseNumber: megaWorld, establishmentNumber: heist, programmeId: 'winkelbediende-duaal', contactEmail: 'x@megaworld.test' }),
    owner: demo.jan,
    outsiders: [demo.an, demo.sofie],
  },
  // A counsellor whose mandate the enterprise has not confirmed sees only the files it filed itself.
  {
    route: 'GET /v1/applications/{id}',
    path: () => `/v1/applications/${world.draftOfJan.id}`,
    owner: demo.jan,
    outsiders: [demo.an, demo.pieter, demo.sofie, demo.karim, demo.bart],
  },
  { route: 'GET /v1/applications/{id}', path: () => `/v1/applications/${world.filedByPieter.id}`, owner: demo.pieter, outsiders: [demo.an, demo.sofie] },
  {
    route: 'GET /v1/applications/{id}',
    path: () => `/v1/applications/${world.submittedToHandel.id}`,
    owner: demo.karim,
    outsiders: [demo.bart, demo.lotte, demo.an],
  },
  {
    route: 'PUT /v1/applications/{id}',
    path: () => `/v1/applications/${world.draftOfJan.id}`,
    body: applicationContent,
    version: () => world.draftOfJan.version,
    owner: demo.jan,
    outsiders: [demo.an, demo.pieter, demo.sofie],
    state: applicationState(() => world.draftOfJan.id),
  },
  {
    route: 'POST /v1/applications/{id}/submit',
    path: () => `/v1/applications/${world.draftOfJan.id}/submit`,
    owner: demo.jan,
    outsiders: [demo.an, demo.pieter],
    state: applicationState(() => world.draftOfJan.id),
  },
  {
    route: 'POST /v1/applications/{id}/request-completion',
    path: () => `/v1/applications/${world.submittedToHandel.id}/request-completion`,
    body: () => ({ message: 'Graag het RSZ-attest.' }),
    version: () => world.submittedToHandel.version,
    owner: demo.karim,
    outsiders: [demo.bart, demo.lotte],
    state: applicationState(() => world.submittedToHandel.id),
  },
  {
    route: 'POST /v1/applications/{id}/mark-complete',
    path: () => `/v1/applications/${world.submittedToHandel.id}/mark-complete`,
    owner: demo.karim,
    outsiders: [demo.bart, demo.lotte],
  },
  {
    route: 'POST /v1/applications/{id}/start-review',
    path: () => `/v1/applications/${world.submittedToHandel.id}/start-review`,
    owner: demo.karim,
    outsiders: [demo.bart, demo.lotte],
  },
  {
    route: 'POST /v1/applications/{id}/pause',
    path: () => `/v1/applications/${world.submittedToHandel.id}/pause`,
    body: () => ({ reason: 'Bezoek gepland' }),
    owner: demo.karim,
    outsiders: [demo.bart, demo.lotte],
  },
  {
    route: 'POST /v1/applications/{id}/resume',
    path: () => `/v1/applications/${world.submittedToHandel.id}/resume`,
    owner: demo.karim,
    outsiders: [demo.bart, demo.lotte],
  },
  {
    route: 'POST /v1/applications/{id}/propose',
    path: () => `/v1/applications/${world.submittedToHandel.id}/propose`,
    body: () => ({ decision: 'recognise', reasons: 'In orde' }),
    owner: demo.karim,
    outsiders: [demo.bart, demo.lotte],
  },
  {
    route: 'POST /v1/applications/{id}/decide',
    path: () => `/v1/applications/${world.submittedToHandel.id}/decide`,
    body: () => ({ decision: 'recognised', reasons: 'In orde' }),
    owner: demo.els,
    outsiders: [demo.bart, demo.lotte],
    state: applicationState(() => world.submittedToHandel.id),
  },
  // One recognition: the enterprise itself, the competent partnership (and the department, and a counsellor in its
  // own view: every provider is a reader, so no provider is an outsider); another enterprise or partnership gets 404.
  { route: 'GET /v1/recognitions/{recognitionId}', path: () => `/v1/recognitions/${rec()}`, owner: demo.jan, outsiders: [demo.an] },
  { route: 'GET /v1/recognitions/{recognitionId}', path: () => `/v1/recognitions/${rec()}`, owner: demo.karim, outsiders: [demo.bart, demo.lotte] },
  {
    route: 'PUT /v1/recognitions/{recognitionId}/availability',
    path: () => `/v1/recognitions/${rec()}/availability`,
    body: () => ({ placeAvailable: true }),
    owner: demo.jan,
    outsiders: [demo.an],
    state: recognitionState,
  },
  {
    route: 'POST /v1/recognitions/{recognitionId}/mentors',
    path: () => `/v1/recognitions/${rec()}/mentors`,
    body: () => ({ name: 'Nog Een', nationalNumber: '80.01.01-001.07', yearsOfExperience: 10, proofDocumentId: null, criminalRecordExtract: null }),
    owner: demo.jan,
    outsiders: [demo.an],
  },
  {
    route: 'POST /v1/recognitions/{recognitionId}/mentors/{mentorId}/approve',
    path: () => `/v1/recognitions/${rec()}/mentors/${world.pendingMentors[0]}/approve`,
    owner: demo.karim,
    outsiders: [demo.bart, demo.lotte],
    state: recognitionState,
  },
  {
    route: 'POST /v1/recognitions/{recognitionId}/mentors/{mentorId}/reject',
    path: () => `/v1/recognitions/${rec()}/mentors/${world.pendingMentors[1]}/reject`,
    owner: demo.karim,
    outsiders: [demo.bart, demo.lotte],
  },
  {
    route: 'POST /v1/recognitions/{recognitionId}/mentors/{mentorId}/change',
    path: () => `/v1/recognitions/${rec()}/mentors/${world.mentorOfRecognition}/change`,
    body: () => ({ action: 'training', completedOn: '2026-12-01', exempted: false }),
    owner: demo.jan,
    outsiders: [demo.an, demo.bart],
    state: recognitionState,
  },
  { route: 'POST /v1/recognitions/{recognitionId}/renew', path: () => `/v1/recognitions/${rec()}/renew`, owner: demo.jan, outsiders: [demo.an] },
  {
    route: 'POST /v1/appeals',
    path: () => '/v1/appeals',
    body: () => ({
      against: { kind: 'decision', applicationId: world.rejectedByVpdl },
      grounds: 'Wij zijn het niet eens met de beslissing.',
      contactEmail: 'hr@megaworld.test',
    }),
    owner: demo.jan,
    outsiders: [demo.an],
  },
  { route: 'GET /v1/appeals/{id}', path: () => `/v1/appeals/${world.appealOfJan.id}`, owner: demo.jan, outsiders: [demo.an] },
  {
    route: 'GET /v1/applications/{id}/appeals',
    path: () => `/v1/applications/${world.rejectedByVpdl}/appeals`,
    owner: demo.jan,
    outsiders: [demo.an],
  },
  { route: 'GET /v1/agreements/{id}', path: agreement, owner: demo.sofie, outsiders: [demo.pieter, demo.an] },
  { route: 'GET /v1/agreements/{id}/document', path: () => `${agreement()}/document`, owner: demo.sofie, outsiders: [demo.pieter, demo.an] },
  // A work version has no addendum: the owner's 404 names the addendum, the outsiders' the agreement.
  { route: 'GET /v1/agreements/{id}/addenda/{number}', path: () => `${agreement()}/addenda/1`, owner: demo.sofie, outsiders: [demo.pieter, demo.an] },
  {
    route: 'GET /v1/agreements/{id}/addenda/{number}/document',
    path: () => `${agreement()}/addenda/1/document`,
    owner: demo.sofie,
    outsiders: [demo.pieter, demo.an],
  },
  {
    route: 'PUT /v1/agreements/{id}',
    path: agreement,
    body: agreementDraft,
    version: () => world.agreementOfSofie.version,
    owner: demo.sofie,
    outsiders: [demo.pieter],
    state: agreementState,
  },
  {
    route: 'PUT /v1/agreements/{id}/annexes',
    path: () => `${agreement()}/annexes`,
    body: () => ({ schedule: world.scheduleOfSofie }),
    owner: demo.sofie,
    outsiders: [demo.pieter],
  },
  { route: 'POST /v1/agreements/{id}/register', path: () => `${agreement()}/register`, owner: demo.sofie, outsiders: [demo.pieter] },
  {
    route: 'POST /v1/agreements/{id}/amendments',
    path: () => `${agreement()}/amendments`,
    body: () => ({ kind: 'endDate', endDate: '2027-05-31' }),
    owner: demo.sofie,
    outsiders: [demo.pieter],
  },
  {
    route: 'POST /v1/agreements/{id}/addenda/{number}/register',
    path: () => `${agreement()}/addenda/1/register`,
    body: () => ({ signedDocumentId: world.scheduleOfSofie }),
    owner: demo.sofie,
    outsiders: [demo.pieter],
  },
  {
    route: 'POST /v1/agreements/{id}/suspensions',
    path: () => `${agreement()}/suspensions`,
    body: () => ({ ground: 'illness', from: '2027-02-01', to: '2027-02-03' }),
    owner: demo.sofie,
    // The enterprise is a party and reports suspensions: another enterprise must not.
    outsiders: [demo.pieter, demo.an],
  },
  {
    route: 'POST /v1/agreements/{id}/suspensions/{suspensionId}/acknowledge',
    path: () => `${agreement()}/suspensions/01JAAAAAAAAAAAAAAAAAAAAAAA/acknowledge`,
    owner: demo.sofie,
    outsiders: [demo.pieter],
  },
  {
    route: 'POST /v1/agreements/{id}/end',
    path: () => `${agreement()}/end`,
    body: () => ({ kind: 'early', date: '2027-03-01', reason: 'Leerling stopt', by: 'learner' }),
    owner: demo.sofie,
    outsiders: [demo.pieter],
    state: agreementState,
  },
  { route: 'GET /v1/kbo-changes/{id}', path: () => `/v1/kbo-changes/${world.kboChange}`, owner: demo.karim, outsiders: [demo.bart, demo.lotte] },
  {
    route: 'POST /v1/kbo-changes/{id}/decision',
    path: () => `/v1/kbo-changes/${world.kboChange}/decision`,
    body: () => ({ decision: 'keep', reasons: 'Het nieuwe adres is geschikt.' }),
    owner: demo.els,
    outsiders: [demo.bart],
  },
  // A partnership sanctions only the workplaces it is competent for.
  {
    route: 'POST /v1/exclusions',
    path: () => '/v1/exclusions',
    body: () => ({ level: 'establishment', enterpriseNumber: megaWorld, establishmentNumber: heist, reasons, until: null }),
    owner: demo.els,
    outsiders: [demo.bart],
    state: recognitionState,
  },
  {
    route: 'POST /v1/recognitions/{recognitionId}/mentors/{mentorId}/withdraw',
    path: () => `/v1/recognitions/${rec()}/mentors/${world.mentorOfRecognition}/withdraw`,
    body: () => ({ reasons }),
    owner: demo.els,
    outsiders: [demo.bart],
    state: recognitionState,
  },
  {
    route: 'POST /v1/recognitions/{recognitionId}/revoke',
    path: () => `/v1/recognitions/${rec()}/revoke`,
    body: () => ({ reasons }),
    owner: demo.els,
    outsiders: [demo.bart],
    state: recognitionState,
  },
  {
    route: 'GET /v1/mandates/{enterpriseNumber}/{providerId}',
    path: () => `/v1/mandates/${megaWorld}/syntra-mechelen`,
    owner: demo.jan,
    outsiders: [demo.an, demo.sofie],
  },
  {
    route: 'GET /v1/mandates/{enterpriseNumber}/{providerId}',
    path: () => `/v1/mandates/${megaWorld}/syntra-mechelen`,
    owner: demo.pieter,
    outsiders: [demo.an, demo.sofie],
  },
  // The partnership rejects the mandate of a file it reviews; another partnership cannot.
  {
    route: 'POST /v1/applications/{id}/reject-mandate',
    path: () => `/v1/applications/${world.filedByPieter.id}/reject-mandate`,
    body: () => ({ reasons: 'De machtiging is niet ondertekend door de zaakvoerder.' }),
    version: () => world.filedByPieter.version,
    owner: demo.karim,
    outsiders: [demo.bart, demo.lotte],
    state: () => getMandate(env.deps, megaWorld, 'syntra-mechelen'),
  },
  // The owner's answer is a refusal here (the partnership rejected this mandate just before, so its version moved on
  // too): still not what outsiders get.
  {
    route: 'POST /v1/mandates/{enterpriseNumber}/{providerId}/confirm',
    path: () => `/v1/mandates/${megaWorld}/syntra-mechelen/confirm`,
    owner: demo.jan,
    outsiders: [demo.an],
    state: () => getMandate(env.deps, megaWorld, 'syntra-mechelen'),
  },
  {
    route: 'POST /v1/mandates/{enterpriseNumber}/{providerId}/revoke',
    path: () => `/v1/mandates/${megaWorld}/syntra-mechelen/revoke`,
    owner: demo.jan,
    outsiders: [demo.an],
    state: () => getMandate(env.deps, megaWorld, 'syntra-mechelen'),
  },
  // A partnership's (or provider's) webhook subscription: another partnership's administrator, and a provider's, get 404.
  {
    route: 'GET /v1/subscriptions/{id}',
    path: () => `/v1/subscriptions/${world.subscriptionOfHandel.id}`,
    owner: demo.els,
    outsiders: [demo.bart, demo.pieter],
  },
  {
    route: 'GET /v1/subscriptions/{id}/deliveries',
    path: () => `/v1/subscriptions/${world.subscriptionOfHandel.id}/deliveries`,
    owner: demo.els,
    outsiders: [demo.bart, demo.pieter],
  },
  // No delivery yet: the owner's 404 names the delivery, the outsiders' the subscription.
  {
    route: 'POST /v1/subscriptions/{id}/deliveries/{deliveryId}/redeliver',
    path: () => `/v1/subscriptions/${world.subscriptionOfHandel.id}/deliveries/${deliveryIdFor(world.subscriptionOfHandel.id, 'no-event')}/redeliver`,
    owner: demo.els,
    outsiders: [demo.bart, demo.pieter],
    state: () => getSubscription(env.deps, 'partnership:handel', world.subscriptionOfHandel.id),
  },
  {
    route: 'PATCH /v1/subscriptions/{id}',
    path: () => `/v1/subscriptions/${world.subscriptionOfHandel.id}`,
    body: () => ({ status: 'paused' }),
    version: () => world.subscriptionOfHandel.version,
    owner: demo.els,
    outsiders: [demo.bart, demo.pieter],
    state: () => getSubscription(env.deps, 'partnership:handel', world.subscriptionOfHandel.id),
  },
  // Last: it ends the subscription (the pause just before moved its version on by one).
  {
    route: 'DELETE /v1/subscriptions/{id}',
    path: () => `/v1/subscriptions/${world.subscriptionOfHandel.id}`,
    version: () => world.subscriptionOfHandel.version + 1,
    owner: demo.els,
    outsiders: [demo.bart, demo.pieter],
    state: () => getSubscription(env.deps, 'partnership:handel', world.subscriptionOfHandel.id),
  },
];

/** Routes with a resource id whose resource no organisation owns, or whose owner type has one organisation. */
const withoutOwner: Record<string, string> = {
  'GET /v1/reference/{kind}/{id}': 'reference data: readable by every signed-in user, written by the department only',
  'PUT /v1/reference/{kind}/{id}': 'reference data: readable by every signed-in user, written by the department only',
  'POST /v1/appeals/{id}/confirm': 'the department is the only organisation of its type',
  'POST /v1/appeals/{id}/outcome': 'the department is the only organisation of its type',
  'GET /v1/kbo-extracts/{extractNumber}/report': "the department is the only organisation of its type; a KBO file is nobody else's",
  'POST /v1/agreements': 'any counsellor may draft an agreement with any recognised workplace; what it names is checked by the pre-flight check',
};
const routeName = (r: RouteDefinition) => `${r.method} ${r.path.replace(/^\/v1\/reference\/[A-Za-z]+\//, '/v1/reference/{kind}/')}`;

const pool: Actor[] = Object.values(demo);
const actingOf = (actor: Actor): ActingOrganisation => {
  const grant = demoUsers[actor.user]!.organisations.find((o) => `${o.type}:${o.id}` === actor.organisation)!;
  return { type: grant.type, id: grant.id, key: actor.organisation, roles: [...grant.roles] };
};

const call = (actor: Actor | null, c: Case, owner: boolean) => g.as(actor, c.route.split(' ')[0]!, c.path(), c.body?.(), owner ? (c.version?.() ?? 1) : 1);

/**
 * The lists of one organisation's resources (no id in the path, so not in the matrix below; first,
 * while the recognition is still active): anonymous 401, a role
 * the route does not allow 403, another organisation of the same type does not see the owner's resource, the
 * owner (and the department, where it reads all) does.
 */
describe('lists of resources, for the owner and for everybody else', () => {
  const listCases = [
    {
      name: 'GET /v1/appeals',
      path: () => '/v1/appeals',
      wrongRole: demo.sofie,
      owners: [demo.jan, demo.dirk],
      outsiders: [demo.an],
      ids: (reply: Reply) => reply.body.items.map((a: { id: string }) => a.id),
      resource: () => world.appealOfJan.id,
    },
    {
      name: 'GET /v1/recognitions?programme= (the drafting picker)',
      path: () => '/v1/recognitions?programme=verkoper-duaal',
      wrongRole: null,
      owners: [demo.jan],
      outsiders: [demo.an],
      ids: (reply: Reply) => reply.body.items.map((r: { id: string }) => r.id),
      resource: () => recognitionPath(world.recognitionOfHandel),
    },
    {
      name: 'GET /v1/subscriptions',
      path: () => '/v1/subscriptions',
      wrongRole: demo.karim,
      owners: [demo.els],
      outsiders: [demo.bart, demo.pieter],
      ids: (reply: Reply) => reply.body.items.map((s: { id: string }) => s.id),
      resource: () => world.subscriptionOfHandel.id,
    },
  ];

  it.each(listCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    expect((await g.as(null, 'GET', c.path())).status).toBe(401);
    if (c.wrongRole) expect((await g.as(c.wrongRole, 'GET', c.path())).body?.code).toBe('role-not-allowed');
    for (const outsider of c.outsiders) {
      const reply = await g.as(outsider, 'GET', c.path());
      expect(reply.status, reply.text).toBe(200);
      expect(c.ids(reply), outsider.user).not.toContain(c.resource());
    }
    for (const owner of c.owners) {
      const reply = await g.as(owner, 'GET', c.path());
      expect(reply.status, reply.text).toBe(200);
      expect(c.ids(reply), owner.user).toContain(c.resource());
    }
  });

  it('the picker is for enterprises (their own workplaces) and counsellors, not for other parties', async () => {
    expect((await g.as(demo.an, 'GET', `/v1/recognitions?programme=verkoper-duaal&enterprise=${megaWorld}`)).body.code).toBe('not-your-workplaces');
    for (const party of [demo.karim, demo.dirk])
      expect((await g.as(party, 'GET', '/v1/recognitions?programme=verkoper-duaal')).body.code, party.user).toBe('choice-not-for-party');
  });
});

describe('every route with a resource id, for the owner and for everybody else', () => {
  it('covers every route that takes a resource id', () => {
    const covered = new Set([...cases.map((c) => c.route), ...Object.keys(withoutOwner)]);
    const withIds = routes.filter((r) => r.path.includes('{') || r.request.body).map(routeName);
    const missing = [...new Set(withIds)].filter(
      (name) =>
        !covered.has(name) &&
        !['POST /v1/documents', 'PUT /v1/me/preferences', 'POST /v1/reference/{kind}', 'POST /v1/subscriptions'].includes(
          name.replace(/\/v1\/reference\/[A-Za-z]+$/, '/v1/reference/{kind}'),
        ),
    );
    expect(missing).toEqual([]);
  });

  it.each(cases.map((c, i) => [`${c.route} as ${c.owner.organisation} (#${i})`, c] as const))('%s', async (_name, c) => {
    const route = routes.find((r) => `${r.method} ${r.path}` === c.route)!;
    expect(route, c.route).toBeDefined();
    const anonymous = await call(null, c, false);
    expect(anonymous.status, `anonymous: ${anonymous.text}`).toBe(401);
    const wrongRole = pool.find((a) => !isAllowed(route.auth, actingOf(a)));
    if (wrongRole) {
      const reply = await call(wrongRole, c, false);
      expect([reply.status, reply.body?.code], `${wrongRole.user}: ${reply.text}`).toEqual([403, 'role-not-allowed']);
    }
    const before = await c.state?.();
    const answers: Reply[] = [];
    for (const outsider of c.outsiders) {
      const reply = await call(outsider, c, false);
      expect([403, 404, ...(c.outsiderStatuses ?? [])], `${outsider.user} (${outsider.organisation}): ${reply.status} ${reply.text}`).toContain(reply.status);
      expect(reply.body?.code, `${outsider.user}`).not.toBe('role-not-allowed');
      answers.push(reply);
    }
    expect(await c.state?.(), 'what outsiders tried changed the resource').toEqual(before);
    const owner = await call(c.owner, c, true);
    expect([401, 403], `owner ${c.owner.user}: ${owner.text}`).not.toContain(owner.status);
    for (const outsider of answers)
      expect(`${owner.status} ${owner.body?.code}`, `owner ${c.owner.user} got what outsiders get: ${owner.text}`).not.toBe(
        `${outsider.status} ${outsider.body?.code}`,
      );
  });
});
