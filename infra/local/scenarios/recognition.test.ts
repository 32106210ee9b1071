// Scenario over HTTP through the local stage, as the portal would drive it: an enterprise drafts, uploads the
// mentor's extract, submits; the consultant asks for completion; the enterprise completes and resubmits; the
// voting member decides; e-mails arrive in the local mailbox; the public search finds the free place.
import { describe, expect, it } from 'vitest';
import { actors, useScenarioStage, type ScenarioClient } from '../testing/scenario-client.ts';
import { brusselsDate } from '../../../shared/adapters/clock.ts';

const scenario = useScenarioStage('recognition');
const { jan, karim, els } = actors;
const call: ScenarioClient['call'] = (...args) => scenario.client.call(...args);

const mailbox = (count: number) => scenario.client.mailbox(count);

describe('recognition scenario through the local stage', () => {
  it('goes from draft to a recognised workplace that learners find', async () => {
    const draft = await call(jan, 'POST', '/v1/applications', {
      enterpriseNumber: '0417.390.703',
      establishmentNumber: '2.123.456.791',
      programmeId: 'verkoper-duaal',
      jointCommittee: '311',
      contactEmail: 'hr@megaworld.test',
    });
    expect(draft.status, draft.text).toBe(201);
    const upload = await call(jan, 'POST', '/v1/documents', {
      kind: 'criminalRecordExtract',
      contentType: 'application/pdf',
      sizeBytes: 500,
      label: 'Uittreksel Mieke',
    });
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.body.upload.fields as Record<string, string>)) form.append(name, value);
    form.append('file', new Blob([Buffer.from('%PDF-1.7\nuittreksel\n%%EOF')], { type: 'application/pdf' }));
    expect((await fetch(upload.body.upload.url, { method: 'POST', body: form })).ok).toBe(true);
    expect((await call(jan, 'POST', `/v1/documents/${upload.body.document.id}/complete`)).status).toBe(200);

    const today = brusselsDate(new Date());
    const content = (extract: boolean) => ({
      criteria: { financialCapacity: true, organisationAndEquipment: true, noConvictions: true, commitments: true },
      mentors: [
        {
          name: 'Mieke Mentor',
          nationalNumber: '80010100107',
          yearsOfExperience: 12,
          proofDocumentId: null,
          criminalRecordExtract: extract ? { documentId: upload.body.document.id, issuedOn: today } : null,
        },
      ],
      documents: [],
      bankAccount: { iban: 'BE68539007547034', premiumConsent: true },
    });
    const withoutExtract = await call(jan, 'PUT', `/v1/applications/${draft.body.id}`, content(false), 1);
    expect(withoutExtract.status).toBe(200);
    const blocked = await call(jan, 'POST', `/v1/applications/${draft.body.id}/submit`, undefined, withoutExtract.body.version);
    expect(blocked.status).toBe(422);
    expect(blocked.body.errors.map((e: { code: string }) => e.code)).toEqual(['extract-missing']);
    const complete = await call(jan, 'PUT', `/v1/applications/${draft.body.id}`, content(true), withoutExtract.body.version);
    const submitted = await call(jan, 'POST', `/v1/applications/${draft.body.id}/submit`, undefined, complete.body.version);
    expect(submitted.status, submitted.text).toBe(200);
    // The partnership is told, and the enterprise gets the acknowledgement.
    const received = (await mailbox(2)).map((m) => m.to[0]);
    expect(received).toEqual(expect.arrayContaining(['duaal@handel.werkplekduaal.test', 'hr@megaworld.test']));

    const incomplete = await call(
      karim,
      'POST',
      `/v1/applications/${draft.body.id}/request-completion`,
      { message: 'Graag ook het rekeningnummer bevestigen.' },
      submitted.body.version,
    );
    expect(incomplete.status, incomplete.text).toBe(200);
    expect((await mailbox(3)).map((m) => m.to[0]).filter((to) => to === 'hr@megaworld.test')).toHaveLength(2);
    const resubmitted = await call(jan, 'POST', `/v1/applications/${draft.body.id}/submit`, undefined, incomplete.body.version);
    expect(resubmitted.body.reviewRound).toBe(2);
    await mailbox(5);

    let version = resubmitted.body.version;
    for (const action of ['mark-complete', 'start-review'])
      version = (await call(karim, 'POST', `/v1/applications/${draft.body.id}/${action}`, undefined, version)).body.version;
    version = (
      await call(karim, 'POST', `/v1/applications/${draft.body.id}/propose`, { decision: 'recognise', reasons: 'Werkplek en mentor in orde' }, version)
    ).body.version;
    const decided = await call(
      els,
      'POST',
      `/v1/applications/${draft.body.id}/decide`,
      { decision: 'recognised', reasons: 'Werkplek en mentor in orde' },
      version,
    );
    expect(decided.status, decided.text).toBe(200);
    const mail = await mailbox(6);
    expect(mail.map((m) => m.subject)).toContain('Officiële kennisgeving: Mega World (vestigingsnummer 2.123.456.791) is erkend als werkplek');

    const recognitionPath = decided.body.recognition.id.replace(/\//g, '-');
    expect((await call(jan, 'PUT', `/v1/recognitions/${recognitionPath}/availability`, { placeAvailable: true }, 1)).status).toBe(200);
    const search = await call(null, 'GET', '/v1/workplaces?programme=verkoper-duaal&postcode=2220');
    expect(search.status).toBe(200);
    expect(search.body.items).toEqual([expect.objectContaining({ establishmentNumber: '2.123.456.791', municipality: 'Heist-op-den-Berg' })]);
  });
});
