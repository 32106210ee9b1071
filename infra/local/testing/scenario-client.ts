// The portal's side of the scenarios over HTTP through the local stage: calls as a demo user acting for an
// organisation, uploads, and the multi-step flows several scenarios start from (a recognised workplace, a
// registered agreement).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, addYears } from 'date-fns';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from '../free-port.ts';
import { startLocalStage, type RunningStage } from '../stage.ts';
import { demoUsers } from '../seed/users.ts';
import { nationalNumberFor } from './national-numbers.ts';
import { kboDigits } from '../../../shared/domain/identifiers.ts';
import { schoolYearEnd } from '../../../shared/domain/agreements.ts';
import { brusselsDate } from '../../../shared/adapters/clock.ts';
import { createPortalClient } from '../../../clients/portal/client.ts';
import { allRoutes } from '../../topology.ts';
import { contractFetch } from './contract.ts';

export type Actor = { user: string; organisation: string };
export type Reply = { status: number; body: any; bytes: Uint8Array | undefined; text: string; contentType: string };

export const actors = {
  jan: { user: 'jan.mega', organisation: 'enterprise:0417390703' },
  karim: { user: 'karim.consulent', organisation: 'partnership:handel' },
  els: { user: 'els.stemgerechtigde', organisation: 'partnership:handel' },
  sofie: { user: 'sofie.trajectbegeleider', organisation: 'provider:campus-brugge' },
} satisfies Record<string, Actor>;

// The Belgian calendar date, as the API's own "today": a UTC date fails every night between 23:00 and 01:00 UTC.
export const iso = (d: Date) => brusselsDate(d);

export type ScenarioClient = ReturnType<typeof scenarioClient>;

/**
 * A throwaway local stage for the scenarios of one test file: started before them (with its client) in a
 * temporary folder, stopped and removed after. Read `stage` and `client` inside the tests.
 */
export function useScenarioStage(name: string): { stage: RunningStage; client: ScenarioClient; dataDir: string } {
  const scenario = { dataDir: mkdtempSync(join(tmpdir(), `werkplekduaal-${name}-`)) } as { stage: RunningStage; client: ScenarioClient; dataDir: string };
  beforeAll(async () => {
    scenario.stage = await startLocalStage({ apiPort: 0, dynamoPort: await freePort(), awsPort: 0, dataDir: scenario.dataDir });
    scenario.client = scenarioClient(scenario.stage);
  }, 90_000);
  afterAll(async () => {
    await scenario.stage?.stop();
    rmSync(scenario.dataDir, { recursive: true, force: true });
  });
  return scenario;
}

export function scenarioClient(stage: RunningStage) {
  // Every answer of the API is checked against the document (contract.ts), whatever the scenario was about.
  const checkedFetch = contractFetch(
    allRoutes().map((r) => r.route),
    stage.url,
  );
  // Every call goes through the generated portal client (openapi-fetch), so its request and response handling runs
  // in every scenario. The paths here are concrete URLs, which its types cannot check: the typed calls, path
  // template by path template, are in foundation.test.ts.
  const portal = createPortalClient({ baseUrl: stage.url, fetch: checkedFetch });
  async function call(actor: Actor | null, method: string, path: string, body?: unknown, version?: number): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (actor) {
      headers.authorization = `Bearer ${await stage.issuer.sign(demoUsers[actor.user]!)}`;
      headers['x-organisation'] = actor.organisation;
    }
    if (version !== undefined) headers['if-match'] = `"${version}"`;
    const init = { headers, parseAs: 'stream', ...(body !== undefined ? { body } : {}) };
    const { response, error } = await portal.request(method.toLowerCase() as 'get', path as never, init as never);
    const contentType = response.headers.get('content-type') ?? '';
    // On an error openapi-fetch has read the body already and hands it over parsed; otherwise it is still unread.
    if (!response.ok) {
      const text = error === undefined ? '' : typeof error === 'string' ? error : JSON.stringify(error);
      return { status: response.status, body: typeof error === 'string' ? undefined : error, bytes: undefined, text, contentType };
    }
    if (contentType.startsWith('application/pdf'))
      return { status: response.status, body: undefined, bytes: new Uint8Array(await response.arrayBuffer()), text: '', contentType };
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, bytes: undefined, text, contentType };
  }

  /** Uploads a small PDF as `kind` through the presigned POST and confirms it; returns the document id. */
  async function upload(actor: Actor, kind: string): Promise<string> {
    const created = await call(actor, 'POST', '/v1/documents', { kind, contentType: 'application/pdf', sizeBytes: 500, label: kind });
    if (created.status !== 201) throw new Error(`upload ${kind}: ${created.text}`);
    const form = new FormData();
    for (const [name, value] of Object.entries(created.body.upload.fields as Record<string, string>)) form.append(name, value);
    form.append('file', new Blob([Buffer.from(`%PDF-1.7\n${kind}\n%%EOF`)], { type: 'application/pdf' }));
    if (!(await fetch(created.body.upload.url, { method: 'POST', body: form })).ok) throw new Error(`upload ${kind} to S3 failed`);
    const completed = await call(actor, 'POST', `/v1/documents/${created.body.document.id}/complete`);
    if (completed.status !== 200) throw new Error(`complete ${kind}: ${completed.text}`);
    return created.body.document.id;
  }

  /** E-mails in the local mailbox, once there are at least `count`. */
  async function mailbox(count: number): Promise<{ subject: string; to: string[] }[]> {
    for (let i = 0; i < 200; i++) {
      const messages = (await call(null, 'GET', '/_local/mail')).body.messages;
      if (messages.length >= count) return messages;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`expected ${count} e-mails`);
  }

  /**
   * Reports the training of each mentor as completed on `completedOn`, one change after the other from the
   * recognition's `version` (read first when not given). Returns the recognition's version after the last one.
   */
  async function reportTraining(enterprise: Actor, recognitionId: string, mentorIds: string[], completedOn: string, version?: number): Promise<number> {
    let current = version ?? (await call(enterprise, 'GET', `/v1/recognitions/${recognitionId}`)).body.version;
    for (const mentorId of mentorIds) {
      const body = { action: 'training', completedOn, exempted: false };
      const reported = await call(enterprise, 'POST', `/v1/recognitions/${recognitionId}/mentors/${mentorId}/change`, body, current);
      if (reported.status !== 200) throw new Error(`training of mentor ${mentorId}: ${reported.text}`);
      current = reported.body.version;
    }
    return current;
  }

  /**
   * Recognises an establishment for a programme with two mentors (Mieke Mentor and Bart Begeleider, the persons
   * numbered `counter` and `counter + 1`: the same counter names the same persons on another recognition) through
   * the partnership's review (the enterprise files; handel's consultant and voting member review and decide).
   * `mentors` keeps only the named ones. Returns the recognition with its mentors.
   */
  async function recogniseWorkplace(input: {
    enterprise: Actor;
    enterpriseNumber: string;
    establishmentNumber: string;
    programmeId: string;
    jointCommittee: string;
    counter: number;
    /** The recognition's first day (default today): an earlier one puts its end, and so its renewal, within reach. */
    startDate?: string;
    mentors?: ('Mieke Mentor' | 'Bart Begeleider')[];
  }) {
    const { enterprise } = input;
    const draft = await call(enterprise, 'POST', '/v1/applications', {
      enterpriseNumber: input.enterpriseNumber,
      establishmentNumber: input.establishmentNumber,
      programmeId: input.programmeId,
      jointCommittee: input.jointCommittee,
      contactEmail: 'hr@werkplek.test',
    });
    if (draft.status !== 201) throw new Error(`draft application: ${draft.text}`);
    const today = iso(new Date());
    const persons = [
      { name: 'Mieke Mentor', birthDate: '1980-01-01', n: input.counter },
      { name: 'Bart Begeleider', birthDate: '1975-05-05', n: input.counter + 1 },
    ].filter((p) => !input.mentors || input.mentors.includes(p.name as 'Mieke Mentor'));
    const mentors = [];
    for (const p of persons)
      mentors.push({
        name: p.name,
        nationalNumber: nationalNumberFor(p.birthDate, p.n).replace(/\D/g, ''),
        yearsOfExperience: 12,
        proofDocumentId: null,
        criminalRecordExtract: { documentId: await upload(enterprise, 'criminalRecordExtract'), issuedOn: today },
      });
    const content = {
      criteria: { financialCapacity: true, organisationAndEquipment: true, noConvictions: true, commitments: true },
      mentors,
      documents: [],
      bankAccount: { iban: 'BE68539007547034', premiumConsent: true },
    };
    const updated = await call(enterprise, 'PUT', `/v1/applications/${draft.body.id}`, content, 1);
    if (updated.status !== 200) throw new Error(`application content: ${updated.text}`);
    const submitted = await call(enterprise, 'POST', `/v1/applications/${draft.body.id}/submit`, undefined, updated.body.version);
    if (submitted.status !== 200) throw new Error(`submit: ${submitted.text}`);
    let version = submitted.body.version;
    for (const action of ['mark-complete', 'start-review'])
      version = (await call(actors.karim, 'POST', `/v1/applications/${draft.body.id}/${action}`, undefined, version)).body.version;
    version = (await call(actors.karim, 'POST', `/v1/applications/${draft.body.id}/propose`, { decision: 'recognise', reasons: 'In orde' }, version)).body
      .version;
    const decision = { decision: 'recognised', reasons: 'In orde', ...(input.startDate ? { startDate: input.startDate } : {}) };
    const decided = await call(actors.els, 'POST', `/v1/applications/${draft.body.id}/decide`, decision, version);
    if (decided.status !== 200) throw new Error(`decide: ${decided.text}`);
    const found = await call(
      actors.sofie,
      'GET',
      `/v1/recognitions?establishment=${kboDigits(input.establishmentNumber)}&programme=${input.programmeId}&onDate=${today}`,
    );
    const recognition = found.body.items.find((r: { id: string }) => r.id === decided.body.recognition.id);
    return {
      id: recognition.id as string,
      number: decided.body.recognition.number as string,
      endDate: decided.body.recognition.endDate as string,
      applicationId: draft.body.id as string,
      mentors: recognition.mentors.map((m: { id: string; name: string }) => ({ id: m.id, name: m.name })) as { id: string; name: string }[],
    };
  }

  /** The body of a valid OAO work version for a learner of 16 starting in 14 days. */
  function agreementBody(input: { enterpriseNumber: string; establishmentNumber: string; programmeId: string; mentorId: string; counter: number }) {
    const start = addDays(new Date(), 14);
    const startDate = iso(start);
    const address = { street: 'Kerkstraat', houseNumber: '5', box: null, postcode: '8000', municipality: 'Brugge' };
    return {
      learner: {
        firstName: 'Lena',
        lastName: `Janssens ${input.counter}`,
        nationalNumber: nationalNumberFor(iso(addYears(start, -16)), input.counter),
        address,
        legalRepresentative: { name: 'Marc Janssens', address },
        iban: 'BE71096123456769',
        premiumConsent: true,
        priorEducationTier: 1,
        firstTwoYearsSecondaryCompleted: true,
        paid: true,
      },
      enterpriseNumber: input.enterpriseNumber,
      establishmentNumber: input.establishmentNumber,
      enterpriseRepresentative: 'Zaakvoerder',
      enterpriseBankAccount: { iban: 'BE68539007547034', consent: true },
      mentorId: input.mentorId,
      programmeId: input.programmeId,
      trajectoryYear: 1,
      lessonLocationId: 'campus-brugge-zuid',
      providerRepresentative: 'Directeur Campus Brugge',
      startDate,
      endDate: `${Number(schoolYearEnd(startDate).slice(0, 4)) + 1}-06-30`,
      weeklyHours: { enterpriseFullTime: 36, school: 16, workplace: 20 },
    };
  }

  /**
   * Drafts, attaches the four annexes and registers an agreement as Sofie (Campus Brugge), or as another
   * counsellor (Syntra Mechelen's has no lesson location: `over` replaces the body's fields); returns it.
   */
  async function registerAgreement(input: Parameters<typeof agreementBody>[0], counsellor: Actor = actors.sofie, over: Record<string, unknown> = {}) {
    const draft = await call(counsellor, 'POST', '/v1/agreements', { ...agreementBody(input), ...over });
    if (draft.status !== 201 || draft.body.issues.some((i: { severity: string }) => i.severity === 'blocking'))
      throw new Error(`agreement draft: ${draft.text}`);
    const annexes = {
      schedule: await upload(counsellor, 'schedule'),
      trainingPlan: await upload(counsellor, 'trainingPlan'),
      learnerPremiumConsent: await upload(counsellor, 'learnerPremiumConsent'),
      signedAgreement: await upload(counsellor, 'signedAgreement'),
    };
    const attached = await call(counsellor, 'PUT', `/v1/agreements/${draft.body.id}/annexes`, annexes, draft.body.version);
    const registered = await call(counsellor, 'POST', `/v1/agreements/${draft.body.id}/register`, {}, attached.body.version);
    if (registered.status !== 200) throw new Error(`register: ${registered.text}`);
    return registered.body as { id: string; version: number; startDate: string; endDate: string };
  }

  return { call, upload, mailbox, recogniseWorkplace, reportTraining, agreementBody, registerAgreement };
}
