// Mandates against the emulators. Registering one is not holding one: the enterprise is told at once (e-mail
// and a task for its legal representative); until it confirms, the counsellor sees and changes only the files
// it filed itself; a confirmation widens that to all the enterprise's files; a revocation by the enterprise or
// a rejection by the competent partnership ends every access, and the parties are told.
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/adapters/clock.ts';
import { recordUser } from '../../shared/data/users.ts';
import { drainQueue, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { demo, type given } from '../../infra/local/testing/given.ts';
import { createApiWorld } from '../../infra/local/testing/api-world.ts';
import { demoUsers } from '../../infra/local/seed/users.ts';

const clock = fixedClock('2026-12-02T08:00:00.000Z');
let env: TestEnvironment;
let g: ReturnType<typeof given>;
type Mail = { id: string; to: string[]; template: string; data: Record<string, unknown> };

beforeAll(async () => {
  ({ env, g } = await createApiWorld(clock));
  // Jan signed in before: the portal knows him as Mega World's legal representative.
  const jan = demoUsers['jan.mega']!;
  await recordUser(env.deps, { userId: jan.sub, name: jan.name, email: jan.email, organisations: jan.organisations });
});

const mails = () => drainQueue<Mail>(env.deps, env.config.NOTIFICATIONS_QUEUE_URL);
const tasksOf = async (actor: typeof demo.jan) => (await g.ok(200, actor, 'GET', '/v1/tasks')).items as { type: string; link: string; actions: string[] }[];
const janAsUser = { user: 'an.peeters', organisation: 'enterprise:0417390703' };

describe('a mandate a counsellor registers', () => {
  let ownFile: { id: string; version: number };
  let enterpriseFile: { id: string; version: number };

  it('is pending, tells the enterprise at once and gives its legal representative a task', async () => {
    expect((await g.as(demo.sofie, 'GET', '/v1/enterprises/0417390703')).status).toBe(403);
    const wrongKind = await g.verifiedDocument(demo.sofie, 'other');
    const refused = await g.as(demo.sofie, 'POST', '/v1/mandates', {
      enterpriseNumber: '0417.390.703',
      documentId: wrongKind,
      enterpriseEmail: 'info@megaworld.test',
    });
    expect([refused.status, refused.body.code]).toEqual([422, 'mandate-document-invalid']);
    await mails();

    const documentId = await g.verifiedDocument(demo.sofie, 'mandate');
    const registered = await g.ok(201, demo.sofie, 'POST', '/v1/mandates', {
      enterpriseNumber: '0417.390.703',
      documentId,
      enterpriseEmail: 'info@megaworld.test',
    });
    expect(registered).toMatchObject({ enterpriseNumber: '0417.390.703', providerId: 'campus-brugge', status: 'pending', allows: 'ownFiles' });
    expect(
      (await g.as(demo.sofie, 'POST', '/v1/mandates', { enterpriseNumber: '0417390703', documentId, enterpriseEmail: 'info@megaworld.test' })).status,
    ).toBe(409);

    const [notice] = await mails();
    expect(notice!.to.sort()).toEqual(['info@megaworld.test', 'jan@megaworld.werkplekduaal.test']);
    expect(notice).toMatchObject({ template: 'mandate-registered', data: { enterpriseNumber: '0417.390.703', providerId: 'campus-brugge' } });
    expect(notice!.data.counsellorName).toEqual(expect.any(String));

    const [task] = (await tasksOf(demo.jan)).filter((t) => t.type === 'confirmMandate');
    expect(task).toMatchObject({ link: '/v1/mandates/0417390703/campus-brugge', actions: ['confirm-mandate', 'revoke-mandate'] });
    // The task is the legal representative's: a plain user of the enterprise does not get it.
    expect((await tasksOf(janAsUser)).map((t) => t.type)).not.toContain('confirmMandate');
    expect((await g.ok(200, demo.jan, 'GET', '/v1/mandates')).items).toEqual([expect.objectContaining({ providerId: 'campus-brugge', status: 'pending' })]);
    expect((await g.as(demo.jan, 'GET', `/v1/documents/${documentId}`)).status).toBe(200);
    // KBO data is public: the counsellor reads the profile it needs to file.
    expect((await g.as(demo.sofie, 'GET', '/v1/enterprises/0417390703')).status).toBe(200);
  });

  it('while pending lets the counsellor see and change only the files it filed itself', async () => {
    enterpriseFile = await g.filledApplication(demo.jan, {
      enterpriseNumber: '0417390703',
      establishmentNumber: '2.200.000.382',
      programmeId: 'verkoper-duaal',
    });
    const declaration = await g.verifiedDocument(demo.sofie, 'declarationOnHonour');
    ownFile = await g.filledApplication(demo.sofie, {
      enterpriseNumber: '0417390703',
      establishmentNumber: '2.123.456.791',
      programmeId: 'verkoper-duaal',
      documents: [{ kind: 'declarationOnHonour', documentId: declaration }],
    });
    expect((await g.as(demo.sofie, 'GET', `/v1/applications/${ownFile.id}`)).status).toBe(200);
    expect((await g.as(demo.sofie, 'GET', `/v1/applications/${enterpriseFile.id}`)).status).toBe(404);
    expect(
      (
        await g.as(
          demo.sofie,
          'PUT',
          `/v1/applications/${enterpriseFile.id}`,
          {
            criteria: { financialCapacity: false, organisationAndEquipment: false, noConvictions: false, commitments: false },
            mentors: [],
            documents: [],
            bankAccount: null,
          },
          enterpriseFile.version,
        )
      ).status,
    ).toBe(404);
    expect((await g.as(demo.sofie, 'POST', `/v1/applications/${enterpriseFile.id}/submit`, undefined, enterpriseFile.version)).status).toBe(404);
    // The enterprise sees the file filed in its name, with the mandate it was filed under.
    const seen = await g.ok(200, demo.jan, 'GET', `/v1/applications/${ownFile.id}`);
    expect(seen.mandate).toMatchObject({ providerId: 'campus-brugge', status: 'pending' });
  });

  it("is confirmed only by the legal representative, and then covers all the enterprise's files", async () => {
    expect((await g.as(janAsUser, 'POST', '/v1/mandates/0417390703/campus-brugge/confirm', undefined, 1)).status).toBe(403);
    expect((await g.as(demo.sofie, 'POST', '/v1/mandates/0417390703/campus-brugge/confirm', undefined, 1)).status).toBe(403);
    // Confirming is a change of a versioned resource: it names the version read.
    expect((await g.as(demo.jan, 'POST', '/v1/mandates/0417390703/campus-brugge/confirm')).status).toBe(428);
    const pending = await g.as(demo.jan, 'GET', '/v1/mandates/0417390703/campus-brugge');
    expect(pending.headers.ETag).toBe('"1"');
    expect((await g.as(demo.jan, 'POST', '/v1/mandates/0417390703/campus-brugge/confirm', {}, 7)).status).toBe(412);
    await mails();
    const confirmed = await g.ok(200, demo.jan, 'POST', '/v1/mandates/0417390703/campus-brugge/confirm', {}, 1);
    expect(confirmed).toMatchObject({ status: 'confirmed', allows: 'allFiles', confirmedAt: '2026-12-02T08:00:00.000Z', version: 2 });
    const again = await g.as(demo.jan, 'POST', '/v1/mandates/0417390703/campus-brugge/confirm', undefined, 2);
    expect([again.status, again.body.code]).toEqual([409, 'invalid-transition']);
    expect((await tasksOf(demo.jan)).map((t) => t.type)).not.toContain('confirmMandate');
    expect((await mails()).map((m) => m.to)).toEqual([['sofie.claes@campus-brugge.werkplekduaal.test']]);
    expect((await g.as(demo.sofie, 'GET', `/v1/applications/${enterpriseFile.id}`)).status).toBe(200);
  });

  it("is rejected by the competent partnership in the completeness check, which ends the counsellor's access", async () => {
    const submitted = await g.ok(200, demo.sofie, 'POST', `/v1/applications/${ownFile.id}/submit`, undefined, ownFile.version);
    // The partnership reads the mandate document of the file it checks; another partnership cannot reject it.
    const checked = await g.ok(200, demo.karim, 'GET', `/v1/applications/${ownFile.id}`);
    expect(checked.mandate).toMatchObject({ status: 'confirmed', documentId: expect.any(String) });
    expect((await g.as(demo.karim, 'GET', `/v1/documents/${checked.mandate.documentId}`)).status).toBe(200);
    expect(
      (await g.as(demo.bart, 'POST', `/v1/applications/${ownFile.id}/reject-mandate`, { reasons: 'Niet door de zaakvoerder ondertekend.' }, submitted.version))
        .status,
    ).toBe(404);
    await mails();

    const rejected = await g.ok(
      200,
      demo.karim,
      'POST',
      `/v1/applications/${ownFile.id}/reject-mandate`,
      { reasons: 'Niet door de zaakvoerder ondertekend.' },
      submitted.version,
    );
    expect(rejected.mandate).toMatchObject({ status: 'rejected', rejection: { partnershipId: 'handel', reasons: 'Niet door de zaakvoerder ondertekend.' } });
    expect(rejected.contactEmails).not.toContain('sofie.claes@campus-brugge.werkplekduaal.test');
    expect((await g.ok(200, demo.karim, 'GET', `/v1/applications/${ownFile.id}`)).history.at(-1)).toMatchObject({
      action: 'mandate-rejected',
      after: { mandate: 'rejected', providerId: 'campus-brugge' },
    });
    const [told] = await mails();
    expect(told!.to).toEqual(expect.arrayContaining(['info@megaworld.test', 'sofie.claes@campus-brugge.werkplekduaal.test']));
    expect(told).toMatchObject({
      template: 'mandate-rejected',
      data: { providerId: 'campus-brugge', partnershipId: 'handel', reasons: 'Niet door de zaakvoerder ondertekend.' },
    });

    for (const id of [ownFile.id, enterpriseFile.id]) expect((await g.as(demo.sofie, 'GET', `/v1/applications/${id}`)).status).toBe(404);
    expect(
      (
        await g.as(demo.sofie, 'POST', '/v1/applications', {
          enterpriseNumber: '0417390703',
          establishmentNumber: '2.200.000.481',
          programmeId: 'verkoper-duaal',
          contactEmail: 'x@megaworld.test',
        })
      ).body.code,
    ).toBe('mandate-required');
    expect((await g.as(demo.jan, 'GET', `/v1/applications/${ownFile.id}`)).status).toBe(200);
    expect((await g.as(demo.karim, 'POST', `/v1/applications/${ownFile.id}/reject-mandate`, { reasons: 'Nog eens geweigerd.' }, rejected.version)).status).toBe(
      409,
    );
  });

  it('may be registered again after a rejection, and is revoked by any user of the enterprise', async () => {
    const documentId = await g.verifiedDocument(demo.sofie, 'mandate');
    expect(
      (await g.ok(201, demo.sofie, 'POST', '/v1/mandates', { enterpriseNumber: '0417390703', documentId, enterpriseEmail: 'info@megaworld.test' })).status,
    ).toBe('pending');
    expect((await g.as(demo.an, 'POST', '/v1/mandates/0417390703/campus-brugge/revoke', undefined, 1)).status).toBe(404);
    expect((await g.as(demo.sofie, 'POST', '/v1/mandates/0417390703/campus-brugge/revoke', undefined, 1)).status).toBe(403);
    await mails();
    const revoked = await g.ok(200, janAsUser, 'POST', '/v1/mandates/0417.390.703/campus-brugge/revoke', undefined, 1);
    expect(revoked.status).toBe('revoked');
    expect((await mails()).map((m) => [m.template, m.data.status])).toEqual([['mandate-changed', 'revoked']]);
    expect((await tasksOf(demo.jan)).map((t) => t.type)).not.toContain('confirmMandate');
    expect((await g.as(demo.jan, 'POST', '/v1/mandates/0417.390.703/campus-brugge/revoke', undefined, revoked.version)).status).toBe(409);
    expect((await g.as(demo.sofie, 'GET', '/v1/enterprises/0417390703')).status).toBe(403);
    expect((await g.ok(200, demo.sofie, 'GET', '/v1/mandates/0417390703/campus-brugge')).status).toBe('revoked');
    expect((await g.as(demo.pieter, 'GET', '/v1/mandates/0417390703/campus-brugge')).status).toBe(404);
  });

  it('refuses an enterprise unknown in KBO and enterprise users registering one', async () => {
    const documentId = await g.verifiedDocument(demo.sofie, 'mandate');
    const unknown = await g.as(demo.sofie, 'POST', '/v1/mandates', { enterpriseNumber: '0403.449.823', documentId, enterpriseEmail: 'x@y.test' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].pointer).toBe('/enterpriseNumber');
    expect((await g.as(demo.jan, 'POST', '/v1/mandates', { enterpriseNumber: '0417390703', documentId, enterpriseEmail: 'x@y.test' })).status).toBe(403);
  });
});
