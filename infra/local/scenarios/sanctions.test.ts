// Scenario over HTTP through the local stage: a sanction and its appeal as the partnership, the enterprise, the
// counsellor and the department drive them, with the e-mails (`/_local/mail`) and every dashboard read at each
// step. A recognition with a running agreement and a submitted renewal; revoking without If-Match is a 428 and
// changes nothing; the partnership excludes the establishment: the exclusion applies whole (the renewal closed,
// the recognition revoked, the parties mailed, the counsellor's *Opheffing verwerken*); the enterprise appeals
// (the department's tasks), a second appeal is refused; the upheld outcome restores the recognition and tells the
// parties. A user of another organisation of the same kind sees and does nothing.
import { addDays, addYears } from 'date-fns';
import { describe, expect, it } from 'vitest';
import { observers, type DashboardTask } from '../testing/observers.ts';
import { actors, iso, useScenarioStage, type Actor, type ScenarioClient } from '../testing/scenario-client.ts';

const scenario = useScenarioStage('sanctions');
const call: ScenarioClient['call'] = (...args) => scenario.client.call(...args);

const { jan, karim, els, sofie } = actors;
const bakkerij: Actor = { user: 'an.peeters', organisation: 'enterprise:0412345614' };
const horeca: Actor = { user: 'bart.horeca', organisation: 'partnership:horeca' };
const syntra: Actor = { user: 'pieter.beheerder', organisation: 'provider:syntra-mechelen' };
const dirk: Actor = { user: 'dirk.departement', organisation: 'department:dwse' };
const everyone = { jan, bakkerij, karim, els, horeca, sofie, syntra, dirk };
const { tasksOf, expectDashboards, newMail } = observers(() => scenario.client, everyone);

/** Waits until `actor` has a task of `type` (tasks made from outbox events arrive through a queue). */
async function eventually(actor: Actor, type: string): Promise<DashboardTask> {
  for (let i = 0; i < 100; i++) {
    const found = (await tasksOf(actor)).find((t) => t.type === type);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${type} task for ${actor.user}`);
}

const mega = '0417.390.703';
const heist = '2.123.456.791';
const today = iso(new Date());
const reasons = 'Na begeleiding blijven de afspraken met de mentor onuitgevoerd.';
const megaContacts = ['hr@werkplek.test', 'jan@megaworld.werkplekduaal.test'];
const megaName = 'ACM Economische Actor (ondernemingsnummer 0417.390.703)';
const handelMail = 'duaal@handel.werkplekduaal.test';
const departmentMail = 'werkplekduaal@werkplekduaal.test';

const made = {} as { recognitionId: string; renewalId: string; agreementId: string; sanctionId: string; appealId: string };

describe('an exclusion and its appeal, driven by every party over HTTP', () => {
  it('starts from a recognition with a running agreement and a submitted renewal', async () => {
    // Decided with a start date long ago, so that it ends within the renewal window.
    const recognition = await scenario.client.recogniseWorkplace({
      enterprise: jan,
      enterpriseNumber: mega,
      establishmentNumber: heist,
      programmeId: 'verkoper-duaal',
      jointCommittee: '311',
      counter: 31,
      startDate: iso(addDays(addYears(new Date(`${today}T12:00:00Z`), -5), 100)),
    });
    made.recognitionId = recognition.id;
    // Its mentors were trained in time, as the enterprise reported; the free places are set.
    let version = await scenario.client.reportTraining(
      jan,
      recognition.id,
      recognition.mentors.map((m) => m.id),
      today,
    );
    version = (await call(jan, 'PUT', `/v1/recognitions/${recognition.id}/availability`, { placeAvailable: true }, version)).body.version;

    const agreement = await scenario.client.registerAgreement({
      enterpriseNumber: mega,
      establishmentNumber: heist,
      programmeId: 'verkoper-duaal',
      mentorId: recognition.mentors[0]!.id,
      counter: 31,
    });
    made.agreementId = agreement.id;

    const renewed = await call(jan, 'POST', `/v1/recognitions/${recognition.id}/renew`, undefined, version);
    expect(renewed.status, renewed.text).toBe(201);
    made.renewalId = renewed.body.id;
    const mentors = [];
    for (const m of renewed.body.mentors as { id: string; name: string; nationalNumber: string; yearsOfExperience: number }[])
      mentors.push({
        id: m.id,
        name: m.name,
        nationalNumber: m.nationalNumber,
        yearsOfExperience: m.yearsOfExperience,
        proofDocumentId: null,
        criminalRecordExtract: { documentId: await scenario.client.upload(jan, 'criminalRecordExtract'), issuedOn: today },
      });
    const content = { criteria: renewed.body.criteria, mentors, documents: renewed.body.documents, bankAccount: renewed.body.bankAccount };
    const filled = await call(jan, 'PUT', `/v1/applications/${made.renewalId}`, content, renewed.body.version);
    expect(filled.status, filled.text).toBe(200);
    const submitted = await call(jan, 'POST', `/v1/applications/${made.renewalId}/submit`, undefined, filled.body.version);
    expect(submitted.status, submitted.text).toBe(200);
    // The first file's submission and decision, the work version ready to sign (to the enterprise), the renewal's submission.
    await newMail(6);
    await expectDashboards('before the sanction', { karim: ['checkCompleteness'] });
  });

  it('refuses a revocation without If-Match (428), and another partnership cannot revoke at all', async () => {
    const id = made.recognitionId;
    const withoutIfMatch = await call(els, 'POST', `/v1/recognitions/${id}/revoke`, { reasons });
    expect(withoutIfMatch.status, withoutIfMatch.text).toBe(428);
    expect(withoutIfMatch.body.code).toBe('if-match-required');
    const { version } = (await call(els, 'GET', `/v1/recognitions/${id}`)).body;
    expect((await call(horeca, 'POST', `/v1/recognitions/${id}/revoke`, { reasons }, version)).status).toBe(404);
    // A consultant is no administrator: sanctions are the administrator's.
    expect((await call(karim, 'POST', `/v1/recognitions/${id}/revoke`, { reasons }, version)).status).toBe(403);
    expect((await call(jan, 'GET', `/v1/recognitions/${id}`)).body.status).toBe('active');
  });

  it('excludes the establishment whole: the renewal closed, the recognition revoked, the parties told, the counsellor tasked', async () => {
    // Another partnership, or a consultant, may not exclude it.
    const exclusion = { level: 'establishment', enterpriseNumber: mega, establishmentNumber: heist, reasons, until: null };
    expect((await call(horeca, 'POST', '/v1/exclusions', exclusion)).status).toBe(404);
    expect((await call(karim, 'POST', '/v1/exclusions', exclusion)).status).toBe(403);
    const excluded = await call(els, 'POST', '/v1/exclusions', exclusion);
    expect(excluded.status, excluded.text).toBe(200);
    made.sanctionId = excluded.body.sanction.id;
    expect(excluded.body.sanction).toMatchObject({ affectedRecognitions: [made.recognitionId], closedApplications: [made.renewalId] });

    expect((await call(jan, 'GET', `/v1/recognitions/${made.recognitionId}`)).body).toMatchObject({
      status: 'revoked',
      placeAvailable: false,
      revocation: { sanctionId: made.sanctionId, reasons },
    });
    expect((await call(jan, 'GET', `/v1/applications/${made.renewalId}`)).body).toMatchObject({
      status: 'withdrawn',
      closure: { cause: 'sanction', sanctionId: made.sanctionId, reasons },
    });
    expect((await call(null, 'GET', '/v1/workplaces?programme=verkoper-duaal&postcode=2220')).body.items).toEqual([]);

    // The counsellor of the running agreement must end it; nobody else has a task left.
    const revocation = await eventually(sofie, 'processRevocation');
    expect(revocation).toMatchObject({
      title: 'Opheffing verwerken',
      subject: { kind: 'agreement', id: made.agreementId },
      link: `/v1/agreements/${made.agreementId}`,
    });
    await expectDashboards('excluded', { sofie: ['processRevocation'] });
    expect(await newMail(2)).toEqual([
      { subject: 'Erkenningsaanvraag afgesloten door een sanctie: de opleiding Verkoper duaal', to: [...megaContacts, handelMail] },
      { subject: `Officiële kennisgeving: sanctie voor ${megaName}`, to: megaContacts },
    ]);
  });

  it('takes one appeal against the sanction, which the department confirms and the committee upholds: the recognition is back', async () => {
    const appeal = {
      against: { kind: 'sanction', sanctionId: made.sanctionId },
      grounds: 'De afspraken met de mentor werden wel nageleefd.',
      contactEmail: 'beroep@megaworld.test',
    };
    // Another enterprise cannot appeal Mega World's sanction.
    expect((await call(bakkerij, 'POST', '/v1/appeals', appeal)).status).toBe(404);
    const lodged = await call(jan, 'POST', '/v1/appeals', appeal);
    expect(lodged.status, lodged.text).toBe(201);
    made.appealId = lodged.body.id;
    const second = await call(jan, 'POST', '/v1/appeals', { ...appeal, grounds: 'Nogmaals: de afspraken werden nageleefd.' });
    expect(second.status, second.text).toBe(409);
    expect(second.body.code).toBe('appeal-already-open');
    expect(await newMail(1)).toEqual([{ subject: `Nieuw beroep van ${megaName}`, to: [departmentMail] }]);
    await expectDashboards('appeal lodged', { sofie: ['processRevocation'], dirk: ['confirmAppeal'] });
    expect((await tasksOf(dirk))[0]).toMatchObject({
      title: 'Ontvangst en ontvankelijkheid beroep bevestigen',
      subject: { kind: 'appeal', id: made.appealId },
    });
    expect((await call(bakkerij, 'GET', `/v1/appeals/${made.appealId}`)).status).toBe(404);

    const confirmed = await call(
      dirk,
      'POST',
      `/v1/appeals/${made.appealId}/confirm`,
      { admissible: true, reasons: 'Tijdig en gemotiveerd' },
      lodged.body.version,
    );
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(await newMail(1)).toEqual([{ subject: 'Ontvangst van uw beroep', to: ['beroep@megaworld.test'] }]);
    await expectDashboards('appeal admissible', { sofie: ['processRevocation'], dirk: ['decideAppeal'] });
    expect((await tasksOf(dirk))[0]).toMatchObject({ title: 'Beroep behandelen', subject: { kind: 'appeal', id: made.appealId } });
    // Still one open appeal per sanction.
    expect((await call(jan, 'POST', '/v1/appeals', appeal)).body.code).toBe('appeal-already-open');

    const decided = await call(
      dirk,
      'POST',
      `/v1/appeals/${made.appealId}/outcome`,
      { outcome: 'upheld', reasons: 'De commissie volgt de onderneming.' },
      confirmed.body.version,
    );
    expect(decided.status, decided.text).toBe(200);
    expect(decided.body.status).toBe('upheld');
    // The counsellor, who was asked to end the agreement on the revocation, is told it runs on.
    expect(await newMail(2)).toEqual(
      expect.arrayContaining([
        { subject: 'Beslissing over uw beroep', to: ['beroep@megaworld.test', ...megaContacts, handelMail] },
        { subject: 'Erkenning hersteld na beroep', to: [expect.stringContaining('campus-brugge')] },
      ]),
    );
    // The revocation no longer stands: the counsellor is not asked to end the agreement any more, and the
    // enterprise is asked again for the free places the revocation took off the public search, and for its
    // renewal: the recognition is in its last 180 days.
    await expectDashboards('appeal upheld', { jan: ['renewRecognition', 'setAvailability'] });
    const restored = await call(jan, 'GET', `/v1/recognitions/${made.recognitionId}`);
    expect(restored.body).toMatchObject({ status: 'active', revocation: null, placeAvailable: false });
    // Its history says what the sanction did and what the appeal undid, and who.
    const history = restored.body.history as { action: string; by: string; before: object; after: object }[];
    expect(history.slice(-2)).toEqual([
      expect.objectContaining({ action: 'revoked', by: 'demo-els', after: { status: 'revoked', sanctionId: made.sanctionId } }),
      expect.objectContaining({
        action: 'restored-after-appeal',
        by: 'demo-dirk',
        before: { status: 'revoked', sanctionId: made.sanctionId },
        after: { status: 'active', appealId: made.appealId },
      }),
    ]);
    // A counsellor, choosing a workplace, sees the recognition but not who changed it.
    expect((await call(sofie, 'GET', `/v1/recognitions/${made.recognitionId}`)).body.history).toBeUndefined();
    expect((await call(sofie, 'GET', `/v1/agreements/${made.agreementId}`)).body.status).toBe('registered');
    const set = await call(jan, 'PUT', `/v1/recognitions/${made.recognitionId}/availability`, { placeAvailable: true }, restored.body.version);
    expect(set.status, set.text).toBe(200);
    await expectDashboards('free places set again', { jan: ['renewRecognition'] });
    const search = await call(null, 'GET', '/v1/workplaces?programme=verkoper-duaal&postcode=2220');
    expect(search.body.items.map((w: { recognitionId: string }) => w.recognitionId)).toEqual([made.recognitionId]);
    expect((await call(jan, 'GET', `/v1/appeals/${made.appealId}`)).body.outcome).toMatchObject({ outcome: 'upheld', by: 'demo-dirk' });
  });
});
