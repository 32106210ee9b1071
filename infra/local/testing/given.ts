// Given-steps for in-process handler tests: calls as a demo user acting for an organisation, a verified
// upload, and the multi-step flows many tests start from (a filled-in application, a recognised workplace).
// The scenario tests over HTTP have the same steps in scenario-client.ts.
import { taskTypes, type Task, type TaskType } from '../../../shared/domain/tasks.ts';
import type { TestApi } from './api.ts';

export type Actor = { user: string; organisation: string };
export type Reply = Awaited<ReturnType<TestApi['call']>>;

/** The demo users as the tests use them (infra/local/seed/users.ts). */
export const demo = {
  jan: { user: 'jan.mega', organisation: 'enterprise:0417390703' },
  an: { user: 'an.peeters', organisation: 'enterprise:0412345614' },
  karim: { user: 'karim.consulent', organisation: 'partnership:handel' },
  els: { user: 'els.stemgerechtigde', organisation: 'partnership:handel' },
  lotte: { user: 'lotte.vpdl', organisation: 'partnership:vpdl' },
  bart: { user: 'bart.horeca', organisation: 'partnership:horeca' },
  sofie: { user: 'sofie.trajectbegeleider', organisation: 'provider:campus-brugge' },
  pieter: { user: 'pieter.beheerder', organisation: 'provider:syntra-mechelen' },
  dirk: { user: 'dirk.departement', organisation: 'department:dwse' },
} satisfies Record<string, Actor>;

/**
 * An open dashboard task, for the tests that open tasks directly rather than through the action that opens
 * one: about an application unless `subject` says otherwise, labelled with its id unless a label is given.
 */
export function openTaskOf(input: {
  id: string;
  type: TaskType;
  organisationKey: string;
  roles: string[];
  dueDate: string | null;
  createdAt: string;
  subject?: Partial<Task['subject']>;
}): Task {
  const subject = { kind: 'application' as const, id: input.id, label: input.id, ...input.subject };
  return {
    id: input.id,
    type: input.type,
    title: taskTypes[input.type],
    organisationKey: input.organisationKey,
    roles: input.roles,
    subject,
    dueDate: input.dueDate,
    actions: ['act'],
    link: subject.kind === 'application' ? `/v1/applications/${subject.id}` : `/v1/tasks?subject=${subject.kind}`,
    status: 'open',
    createdAt: input.createdAt,
    closedAt: null,
  };
}

export const allCriteria = { financialCapacity: true, organisationAndEquipment: true, noConvictions: true, commitments: true };

export function given(api: TestApi) {
  async function as(actor: Actor | null, method: string, path: string, body?: unknown, version?: number, headers: Record<string, string> = {}): Promise<Reply> {
    return api.call({
      method,
      path,
      ...(actor ? { token: await api.tokenFor(actor.user), organisation: actor.organisation } : {}),
      ...(body !== undefined ? { body } : {}),
      headers: { ...headers, ...(version !== undefined ? { 'if-match': `"${version}"` } : {}) },
    });
  }

  /** `as`, failing the test with the answer's text unless the status is the expected one. */
  async function ok(expected: number, actor: Actor, method: string, path: string, body?: unknown, version?: number): Promise<any> {
    const reply = await as(actor, method, path, body, version);
    if (reply.status !== expected) throw new Error(`${actor.user} ${method} ${path}: expected ${expected}, got ${reply.status} ${reply.text}`);
    return reply.body;
  }

  /** Uploads a small PDF as `kind` through the presigned POST and completes it; returns the document id. */
  async function verifiedDocument(actor: Actor, kind: string): Promise<string> {
    const created = await ok(201, actor, 'POST', '/v1/documents', { kind, contentType: 'application/pdf', sizeBytes: 1000, label: kind });
    const form = new FormData();
    for (const [name, value] of Object.entries(created.upload.fields as Record<string, string>)) form.append(name, value);
    form.append('file', new Blob([Buffer.from(`%PDF-1.7\n${kind}\n%%EOF`)], { type: 'application/pdf' }));
    const uploaded = await fetch(created.upload.url, { method: 'POST', body: form });
    if (!uploaded.ok) throw new Error(`upload of ${kind} failed with ${uploaded.status}`);
    await ok(200, actor, 'POST', `/v1/documents/${created.document.id}/complete`);
    return created.document.id;
  }

  /** A draft for one establishment and programme, filled in with one valid mentor: ready to submit. */
  async function filledApplication(
    actor: Actor,
    input: {
      enterpriseNumber: string;
      establishmentNumber: string;
      programmeId: string;
      jointCommittee?: string;
      documents?: { kind: string; documentId: string }[];
      /** The mentor's national number: another person than the default mentor (Mieke Mentor). */
      mentorNationalNumber?: string;
    },
  ) {
    const draft = await ok(201, actor, 'POST', '/v1/applications', {
      jointCommittee: null,
      contactEmail: 'hr@onderneming.test',
      ...input,
      documents: undefined,
      mentorNationalNumber: undefined,
    });
    const extract = await verifiedDocument(actor, 'criminalRecordExtract');
    return ok(
      200,
      actor,
      'PUT',
      `/v1/applications/${draft.id}`,
      {
        criteria: allCriteria,
        mentors: [
          {
            name: 'Mieke Mentor',
            nationalNumber: input.mentorNationalNumber ?? '80.01.01-001.07',
            yearsOfExperience: 12,
            proofDocumentId: null,
            criminalRecordExtract: { documentId: extract, issuedOn: '2026-10-01' },
          },
        ],
        documents: input.documents ?? [],
        bankAccount: null,
      },
      draft.version,
    );
  }

  async function submitted(actor: Actor, input: Parameters<typeof filledApplication>[1]) {
    const filled = await filledApplication(actor, input);
    return ok(200, actor, 'POST', `/v1/applications/${filled.id}/submit`, undefined, filled.version);
  }

  /** Runs a submitted file through the partnership's steps up to a decision; returns the decided file. */
  async function decided(
    application: { id: string; version: number },
    consultant: Actor,
    votingMember: Actor,
    decision: 'recognised' | 'notRecognised',
    startDate?: string,
  ) {
    let version = application.version;
    for (const action of ['mark-complete', 'start-review'])
      version = (await ok(200, consultant, 'POST', `/v1/applications/${application.id}/${action}`, undefined, version)).version;
    version = (
      await ok(
        200,
        consultant,
        'POST',
        `/v1/applications/${application.id}/propose`,
        { decision: decision === 'recognised' ? 'recognise' : 'reject', reasons: 'Voorstel na controle' },
        version,
      )
    ).version;
    return ok(
      200,
      votingMember,
      'POST',
      `/v1/applications/${application.id}/decide`,
      { decision, reasons: 'Beslist na controle', ...(startDate ? { startDate } : {}) },
      version,
    );
  }

  return { as, ok, verifiedDocument, filledApplication, submitted, decided };
}

/** `E/20261112/000001` as it appears in paths. */
export const recognitionPath = (id: string) => id.replace(/\//g, '-');
