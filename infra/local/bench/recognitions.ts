// Recognitions benchmarks: submit-to-e-mail latency through the local stage, and the public workplace search
// with 100 and with 100,000 recognitions in the table (the search is a Query on one programme's partition), and the
// cost of the outbox dispatch a state-changing request makes right after its transaction (dispatchCost).
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { RunningStage } from '../stage.ts';
import { demoUsers } from '../seed/users.ts';
import { putRecognitions, recognitionFixture } from '../testing/kbo-fixtures.ts';
import { readFeed } from '../../../shared/data/feed.ts';
import * as keys from '../../../shared/data/keys.ts';
import { writeItems, type KboItem } from '../../../shared/data/kbo.ts';
import { dispatchOutbox, outboxPut } from '../../../shared/data/outbox.ts';
import { recognitionItem, type Recognition } from '../../../shared/data/recognitions.ts';
import { recognitionChangedEvent } from '../../../shared/domain/feed.ts';
import { organisationKey } from '../../../shared/domain/organisations.ts';
import { recognitionPathId } from '../../../shared/domain/recognitions.ts';
import { countingRequests } from './counting.ts';
import { time, stats, type Stats } from './measure.ts';
import { brusselsDate } from '../../../shared/adapters/clock.ts';

async function call(stage: RunningStage, user: string | null, organisation: string | null, method: string, path: string, body?: unknown, version?: number) {
  const headers: Record<string, string> = {};
  if (user) headers.authorization = `Bearer ${await stage.issuer.sign(demoUsers[user]!)}`;
  if (organisation) headers['x-organisation'] = organisation;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (version !== undefined) headers['if-match'] = `"${version}"`;
  const response = await fetch(`${stage.url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: response.status, body: (await response.json().catch(() => undefined)) as any };
}

/** Milliseconds from the submit request to the partnership's e-mail in the local mailbox, for several files. */
export async function submitToMail(stage: RunningStage, samples: { establishment: string; programme: string }[]): Promise<Stats> {
  const jan = ['jan.mega', 'enterprise:0417390703'] as const;
  const upload = await call(stage, ...jan, 'POST', '/v1/documents', {
    kind: 'criminalRecordExtract',
    contentType: 'application/pdf',
    sizeBytes: 100,
    label: 'bench',
  });
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.body.upload.fields as Record<string, string>)) form.append(name, value);
  form.append('file', new Blob([Buffer.from('%PDF-1.7\nbench\n%%EOF')], { type: 'application/pdf' }));
  await fetch(upload.body.upload.url, { method: 'POST', body: form });
  await call(stage, ...jan, 'POST', `/v1/documents/${upload.body.document.id}/complete`);
  const today = brusselsDate(new Date());
  const durations: number[] = [];
  for (const sample of samples) {
    const draft = await call(stage, ...jan, 'POST', '/v1/applications', {
      enterpriseNumber: '0417390703',
      establishmentNumber: sample.establishment,
      programmeId: sample.programme,
      contactEmail: 'hr@megaworld.test',
    });
    const content = await call(
      stage,
      ...jan,
      'PUT',
      `/v1/applications/${draft.body.id}`,
      {
        criteria: { financialCapacity: true, organisationAndEquipment: true, noConvictions: true, commitments: true },
        mentors: [
          {
            name: 'Bench Mentor',
            nationalNumber: '80010100107',
            yearsOfExperience: 10,
            proofDocumentId: null,
            criminalRecordExtract: { documentId: upload.body.document.id, issuedOn: today },
          },
        ],
        documents: [],
        bankAccount: null,
      },
      1,
    );
    const before = (await call(stage, null, null, 'GET', '/_local/mail')).body.messages.length;
    const started = performance.now();
    const submitted = await call(stage, ...jan, 'POST', `/v1/applications/${draft.body.id}/submit`, undefined, content.body.version);
    if (submitted.status !== 200) throw new Error(`submit failed: ${JSON.stringify(submitted.body)}`);
    for (;;) {
      if ((await call(stage, null, null, 'GET', '/_local/mail')).body.messages.length > before) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    durations.push(performance.now() - started);
  }
  return stats(durations);
}

function syntheticRecognition(i: number, programmeId: string, postcode: string): Recognition {
  const id = `E/20260101/${String(i).padStart(6, '0')}`;
  return {
    id,
    applicationId: ulid(),
    enterpriseNumber: '0400.000.000',
    establishmentNumber: `2.${String(100 + (i % 900)).padStart(3, '0')}.${String(i).padStart(6, '0').slice(0, 3)}.${String(i).padStart(6, '0').slice(3)}`,
    programmeId,
    partnershipId: 'handel',
    startDate: '2026-01-01',
    endDate: '2030-12-31',
    status: 'active',
    mentors: [],
    pendingMentors: [],
    placeAvailable: true,
    contactEmails: [],
    revocation: null,
    workplace: { name: `Werkplek ${i}`, postcode, municipality: `Gemeente ${postcode}`, sector: 'handel', programmeName: programmeId },
    decidedBy: 'bench',
    decidedAt: '2026-01-01T00:00:00Z',
    version: 1,
  };
}

/** Search latency with `count` recognitions in the table, spread over programmes and postcodes. */
export async function workplaceSearch(stage: RunningStage, from: number, to: number, requests: number): Promise<Stats> {
  const programmes = [
    'verkoper-duaal',
    'winkelbediende-duaal',
    'keukenmedewerker-duaal',
    'ruwbouw-duaal',
    'logistiek-medewerker-duaal',
    'kinderbegeleider-duaal',
    'dakwerker-volwassenen',
  ];
  const postcodes = ['1000', '2000', '2220', '2800', '3000', '3500', '8000', '8500', '9000', '9300'];
  const items: KboItem[] = [];
  for (let i = from; i < to; i++) {
    const r = syntheticRecognition(i, programmes[i % programmes.length]!, postcodes[Math.floor(i / programmes.length) % postcodes.length]!);
    items.push(recognitionItem(r));
  }
  await writeItems(stage.deps, items);
  return time(async () => {
    const response = await fetch(`${stage.url}/v1/workplaces?programme=verkoper-duaal&postcode=2220&limit=25`);
    if (!response.ok) throw new Error(`search: ${response.status}`);
    await response.arrayBuffer();
  }, requests);
}

/** Distance search latency on what workplaceSearch wrote: 25 nearest within `km` of Heist-op-den-Berg. */
export async function workplaceDistanceSearch(stage: RunningStage, km: number, requests: number): Promise<Stats & { found: number }> {
  const url = `${stage.url}/v1/workplaces?programme=verkoper-duaal&near=2220&distanceKm=${km}&limit=25`;
  const probe = await fetch(url);
  if (!probe.ok) throw new Error(`distance search: ${probe.status} ${await probe.text()}`);
  const found = ((await probe.json()) as { items: unknown[] }).items.length;
  const stats = await time(async () => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`distance search: ${response.status}`);
    await response.arrayBuffer();
  }, requests);
  return { ...stats, found };
}

/**
 * What `dispatchSoon` costs inside a request. The same route, POST /v1/recognitions/{id}/mentors/{mentorId}/change
 * (deactivate), timed alternately: on a recognition whose only mentor it deactivates, so its transaction records
 * `recognition.suspended`, it opens the partnership's task, and its dispatch writes the event to the partnership's
 * and a provider's feed (a learner there) and sends it to the domain-events queue; and on one with a second mentor
 * who still counts, where the dispatch finds nothing (one empty Query). Each deactivation is reactivated, untimed,
 * before the next. Beside it, the dispatch alone (dispatchOutbox in the bench's process) with one such event and with none.
 */
export async function dispatchCost(stage: RunningStage, count: number) {
  const jan = ['jan.mega', 'enterprise:0417390703'] as const;
  const mentor = (id: string) => ({
    id,
    name: 'Bench Mentor',
    birthDate: undefined,
    active: true,
    withdrawn: false,
    trainingDeadline: null,
    trainingCompletedOn: null,
    trainingExempted: false,
  });
  const onMegaWorld = { enterpriseNumber: '0417.390.703', partnershipId: 'handel', programmeId: 'verkoper-duaal' };
  const ids = { alone: ulid(), paired: ulid(), second: ulid() };
  const alone = recognitionFixture(910_001, { ...onMegaWorld, establishmentNumber: '2.123.456.791', mentors: [mentor(ids.alone)] });
  const paired = recognitionFixture(910_002, {
    ...onMegaWorld,
    establishmentNumber: '2.300.000.157',
    mentors: [mentor(ids.paired), mentor(ids.second)],
  });
  await putRecognitions(stage.deps, [alone, paired]);
  const agreementId = ulid();
  await stage.deps.db.send(
    new PutCommand({
      TableName: stage.config.TABLE_NAME,
      Item: { ...keys.agreement.runningOn(alone.id, agreementId), agreementId, providerId: 'campus-brugge' },
    }),
  );
  const versions = new Map([
    [alone.id, 1],
    [paired.id, 1],
  ]);
  const change = async (r: Recognition, mentorId: string, action: 'deactivate' | 'reactivate') => {
    const path = `/v1/recognitions/${recognitionPathId(r.id)}/mentors/${mentorId}/change`;
    const answer = await call(stage, ...jan, 'POST', path, { action }, versions.get(r.id));
    if (answer.status !== 200) throw new Error(`${action} ${mentorId}: ${answer.status} ${JSON.stringify(answer.body)}`);
    versions.set(r.id, answer.body.version);
  };
  const deactivation = (r: Recognition, mentorId: string) => async () => {
    const started = performance.now();
    await change(r, mentorId, 'deactivate');
    const took = performance.now() - started;
    await change(r, mentorId, 'reactivate');
    return took;
  };
  const withEvent = deactivation(alone, ids.alone);
  const withoutEvent = deactivation(paired, ids.paired);
  const samples: { withEvent: number[]; withoutEvent: number[] } = { withEvent: [], withoutEvent: [] };
  for (let i = 0; i < 20 + count; i++) {
    const [a, b] = [await withEvent(), await withoutEvent()];
    if (i < 20) continue;
    samples.withEvent.push(a);
    samples.withoutEvent.push(b);
  }
  const feedEntries = (await readFeed(stage.deps, organisationKey('provider', 'campus-brugge'), 0, 1000)).events.filter(
    (e) => e.subject === `recognitions/${recognitionPathId(alone.id)}`,
  ).length;

  // The dispatch alone: one event of the recognition with a learner (two feeds, one SQS batch), and an empty outbox.
  const dispatchOne: number[] = [];
  const dispatchNone: number[] = [];
  for (let i = 0; i < 20 + count; i++) {
    const event = recognitionChangedEvent(alone, 'suspended', new Date().toISOString(), { eventId: `bench-dispatch-${i}` });
    await stage.deps.db.send(new TransactWriteCommand({ TransactItems: [outboxPut(stage.config.TABLE_NAME, event, new Date().toISOString())] }));
    let started = performance.now();
    await dispatchOutbox(stage.deps);
    const one = performance.now() - started;
    started = performance.now();
    await dispatchOutbox(stage.deps);
    const none = performance.now() - started;
    if (i < 20) continue;
    dispatchOne.push(one);
    dispatchNone.push(none);
  }
  // The DynamoDB requests of one such dispatch (SQS: one SendMessageBatch besides).
  const counted = countingRequests(stage.deps);
  const event = recognitionChangedEvent(alone, 'suspended', new Date().toISOString(), { eventId: 'bench-dispatch-counted' });
  await stage.deps.db.send(new TransactWriteCommand({ TransactItems: [outboxPut(stage.config.TABLE_NAME, event, new Date().toISOString())] }));
  await dispatchOutbox(counted.deps);
  return {
    dispatchRequests: counted.requests,
    withEvent: stats(samples.withEvent),
    withoutEvent: stats(samples.withoutEvent),
    dispatchOne: stats(dispatchOne),
    dispatchNone: stats(dispatchNone),
    feedEntries,
  };
}
